package halo.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;

/**
 * The directory one run writes into: the contract every later tool reads.
 *
 * <pre>
 * DIR/
 *   summary.json            parameters, results, timings
 *   final.npy               the final field (.vti, .h5 too with --format vtk, hdf5)
 *   snapshot-00000.npy/.png the initial state, then one pair per output (and .vti, .h5)
 *   field.pvd               with --format vtk: the .vti files and their simulated times
 *   checkpoint.bin          diff2d with --checkpoint-every: the latest checkpoint
 *   logs/                   one log per rank
 * </pre>
 *
 * A run directory is always new: Halo never reuses or overwrites one, so a finished run cannot
 * be spoiled by the next. Creation is a single {@code mkdir}, which the file system does
 * atomically, so two runs started at the same moment cannot take the same directory.
 */
public final class RunDirectory {

    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    /**
     * Creates the directory the user named with {@code --out}, and its parents.
     *
     * @throws RunDirectoryException if it already exists or cannot be created
     */
    public static RunDirectory createNew(Path requested) throws RunDirectoryException {
        String label = "--out " + requested;
        try {
            Path parent = requested.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException failure) {
            throw cannotCreate(label, failure);
        }
        try {
            Files.createDirectory(requested);
        } catch (FileAlreadyExistsException exists) {
            String what = Files.isDirectory(requested, LinkOption.NOFOLLOW_LINKS) ? "directory" : "a file of that name";
            throw new RunDirectoryException(label + ": " + what
                    + " already exists; Halo never reuses or overwrites a run directory", exists);
        } catch (IOException failure) {
            throw cannotCreate(label, failure);
        }
        return withLogs(requested, label);
    }

    /** {@link #createDefault(Path, String, String, LocalDateTime)} at this machine's local time. */
    public static RunDirectory createDefault(Path base, String app, String slurmJobId) throws RunDirectoryException {
        return createDefault(base, app, slurmJobId, LocalClock.now());
    }

    /**
     * Creates a new directory under {@code base} named {@code <app>-<slurmJobId>}, or
     * {@code <app>-<yyyyMMdd-HHmmss>} ({@code now}) outside Slurm; if that name is
     * taken, {@code -2}, {@code -3}, ... is appended until a free name is found.
     *
     * @param slurmJobId the Slurm job id, or null (or blank) when not running under Slurm
     * @throws RunDirectoryException if base or the directory cannot be created
     */
    public static RunDirectory createDefault(Path base, String app, String slurmJobId, LocalDateTime now)
            throws RunDirectoryException {
        String stem = app + "-" + (slurmJobId == null || slurmJobId.isBlank()
                ? timestamp(now)
                : safeName(slurmJobId));
        try {
            Files.createDirectories(base);
        } catch (IOException failure) {
            throw cannotCreate("--out default " + base, failure);
        }
        for (int suffix = 1; ; suffix++) {
            Path candidate = base.resolve(suffix == 1 ? stem : stem + "-" + suffix);
            try {
                Files.createDirectory(candidate);
                return withLogs(candidate, "--out default " + candidate);
            } catch (FileAlreadyExistsException taken) {
                // another run has it (or had it): never share, try the next suffix
            } catch (IOException failure) {
                throw cannotCreate("--out default " + candidate, failure);
            }
        }
    }

    /**
     * Wraps a run directory another process created, e.g. on ranks other than the one that
     * created it. It is not checked: on a shared file system a new directory may take a moment
     * to appear on other nodes, and the writes that follow report it if it never does.
     */
    public static RunDirectory existing(Path path) {
        return new RunDirectory(path);
    }

    public Path path() {
        return path;
    }

    /** The per-rank logs. */
    public Path logs() {
        return path.resolve("logs");
    }

    /** {@code summary.json}: parameters, results and timings of the run. */
    public Path summary() {
        return path.resolve("summary.json");
    }

    /** {@code final.npy}: the field at the end of the run. */
    public Path finalField() {
        return path.resolve("final.npy");
    }

    /** {@code final.EXTENSION}: the field at the end of the run in another format, e.g. "vti". */
    public Path finalField(String extension) {
        return path.resolve("final." + extension);
    }

    /** {@code snapshot-NNNNN.EXTENSION}: a snapshot in another format, e.g. "vti". */
    public Path snapshot(int index, String extension) {
        return path.resolve(snapshotName(index) + "." + extension);
    }

    /** {@code field.pvd}: the ParaView collection of the run's {@code .vti} files. */
    public Path fieldCollection() {
        return path.resolve("field.pvd");
    }

    /** {@code checkpoint.bin}: the latest checkpoint, replaced whole by the next (see {@link Checkpoint}). */
    public Path checkpoint() {
        return path.resolve("checkpoint.bin");
    }

    /** {@code snapshot-NNNNN.npy}; index counts outputs, 0 being the initial state. */
    public Path snapshotNpy(int index) {
        return path.resolve(snapshotName(index) + ".npy");
    }

    /** {@code snapshot-NNNNN.png}, the picture of {@link #snapshotNpy(int)}. */
    public Path snapshotPng(int index) {
        return path.resolve(snapshotName(index) + ".png");
    }

    /**
     * Leaves a marker in the directory, for a moment: every rank that sees it shares the file
     * system with the rank that made it ({@link #seesMarker}).
     */
    public void createMarker() throws IOException {
        try {
            Files.deleteIfExists(marker());
            Files.createFile(marker());
        } catch (IOException failure) {
            throw new IOException("cannot write " + marker() + ": " + IoErrors.reason(failure), failure);
        }
    }

    /**
     * Whether this process sees the marker within {@code waitMillis}: a file system shared over
     * the network (NFS) may show another node's new file a moment late.
     */
    public boolean seesMarker(long waitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (!Files.exists(marker())) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    public void removeMarker() throws IOException {
        Files.deleteIfExists(marker());
    }

    private Path marker() {
        return path.resolve(".seen-by-every-rank");
    }

    @Override
    public String toString() {
        return path.toString();
    }

    private static String snapshotName(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("snapshot index " + index + " is negative");
        }
        return String.format("snapshot-%05d", index);
    }

    private static RunDirectory withLogs(Path path, String label) throws RunDirectoryException {
        RunDirectory run = new RunDirectory(path);
        try {
            Files.createDirectory(run.logs());
        } catch (IOException failure) {
            throw cannotCreate(label + "/logs", failure);
        }
        return run;
    }

    /** A job id becomes part of a path: keep it to one harmless path element. */
    private static String safeName(String text) {
        return text.strip().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * {@code yyyyMMdd-HHmmss}, built by hand: java.time's formatter loads and sets up some forty
     * classes first, about 10 ms of every rank JVM's start-up.
     */
    static String timestamp(LocalDateTime t) {
        long date = t.getYear() * 10_000L + t.getMonthValue() * 100 + t.getDayOfMonth();
        int time = 1_000_000 + t.getHour() * 10_000 + t.getMinute() * 100 + t.getSecond();
        return date + "-" + Integer.toString(time).substring(1);
    }

    private static RunDirectoryException cannotCreate(String label, IOException failure) {
        String where = failure instanceof FileSystemException located && located.getFile() != null
                ? " (" + located.getFile() + ")" : "";
        return new RunDirectoryException(label + ": cannot create directory: " + IoErrors.reason(failure) + where
                + "; accepted: a new directory on a writable file system", failure);
    }
}
