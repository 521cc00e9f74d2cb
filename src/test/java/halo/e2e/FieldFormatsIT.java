package halo.e2e;

import static halo.e2e.RunDirectoryFiles.bytes;
import static halo.e2e.RunDirectoryFiles.summary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import halo.io.Quote;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * --format through the real launcher, the files read back with the tools users use: Debian's
 * python3-h5py, python3-xarray (with python3-h5netcdf) and python3-vtk9 (vtkXMLImageDataReader)
 * and python3-numpy, in src/test/python/check_field_files.py, which compares every .vti and .h5
 * with the .npy of the same name bit for bit and reads field.pvd. A missing tool fails the test
 * (setup.sh installs them).
 */
class FieldFormatsIT {

    /** Debian's interpreter, which has Debian's packages (a python3 earlier on PATH may not). */
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path CHECKER = Halo.ROOT.resolve("src/test/python/check_field_files.py");
    private static final String[] SHORT = {"diff2d", "--runtime", "1.0", "--graphics", "--format", "npy,vtk,hdf5"};
    private static final List<String> FIELD_FILES = List.of("final.npy", "final.vti", "final.h5", "field.pvd",
            "snapshot-00000.vti", "snapshot-00001.h5", "snapshot-00002.vti");

    @TempDir
    static Path work;

    @BeforeAll
    static void oneRank() {
        run(1);
    }

    @ParameterizedTest(name = "-np {0}")
    @ValueSource(ints = {1, 3, 4})
    void everyFormatHoldsTheNpyValuesBitForBitAndTheToolsReadIt(int ranks) {
        Path run = ranks == 1 ? work.resolve("np1") : run(ranks);
        check(run, false);
        for (String name : FIELD_FILES) {
            assertArrayEquals(bytes(work.resolve("np1").resolve(name)), bytes(run.resolve(name)),
                    name + " at -np " + ranks + " is the file of -np 1");
        }
        JsonNode summary = summary(run);
        assertEquals("npy,vtk,hdf5", summary.get("parameters").get("format").asText());
        assertEquals("final.npy", summary.get("result").get("final_field").asText());
    }

    @Test
    void vtkAloneWritesNoNpyAndTheDefaultWritesOnlyNpy() throws IOException {
        Halo.Result vtk = Halo.serial(work, "diff2d", "--runtime", "0.6", "--format", "VTK", "--out", "vtk-only");
        assertEquals(0, vtk.exitStatus(), vtk.stderr());
        Path run = work.resolve("vtk-only");
        assertEquals(List.of("field.pvd", "final.vti", "logs", "summary.json"), names(run));
        assertEquals("final.vti", summary(run).get("result").get("final_field").asText());
        assertEquals("vtk", summary(run).get("parameters").get("format").asText());

        Halo.Result npy = Halo.mpjrun(work, 2, "diff2d", "--runtime", "0.6", "--graphics", "--out", "default");
        assertEquals(0, npy.exitStatus(), npy.stderr());
        assertEquals(List.of("final.npy", "logs", "snapshot-00000.npy", "snapshot-00000.png", "snapshot-00001.npy",
                "snapshot-00001.png", "snapshots.gif", "summary.json"), names(work.resolve("default")));
    }

    @Test
    void aRestartWritesTheFormatsOfTheRunItGoesOnFrom() throws IOException {
        Halo.Result first = Halo.mpjrun(work, 2, "diff2d", "--runtime", "0.6", "--checkpoint-every", "0.5",
                "--format", "hdf5,vtk", "--out", "to-restart");
        assertEquals(0, first.exitStatus(), first.stderr());
        Halo.Result restart = Halo.mpjrun(work, 3, "diff2d", "--restart", "to-restart", "--runtime", "1.0",
                "--checkpoint-every", "0",
                "--out", "restarted");
        assertEquals(0, restart.exitStatus(), restart.stderr());
        assertEquals(List.of("field.pvd", "final.h5", "final.vti", "logs", "summary.json"),
                names(work.resolve("restarted")));
    }

    @ParameterizedTest(name = "-np {0}")
    @ValueSource(ints = {1, 4})
    void aBadFormatIsOneLineAndStatusTwo(int ranks) throws IOException {
        for (String bad : List.of("xyz", "npy,,vtk", "npy;vtk")) {
            Path dir = Files.createDirectories(work.resolve("bad-" + ranks + "-" + bad.hashCode()));
            Halo.Result r = Halo.mpjrun(dir, ranks, "diff2d", "--format", bad);
            String seen = "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr() + "\nstdout:\n" + r.stdout();
            assertEquals(2, r.exitStatus(), seen);
            assertEquals(List.of("halo diff2d: error: --format " + Quote.input(bad)
                    + ": accepted a comma-separated list of npy, vtk, hdf5"), r.stderrLines(), seen);
            assertTrue(r.stdout().isBlank(), seen);
            assertEquals(List.of(), names(dir), "nothing created" + seen);
        }
    }

    /**
     * The course grid's field (566 kB) cannot fit on a 128 kB disk: writing its .vti or .h5
     * (jHDF's own writes) fails in one line naming the file, and leaves no part of it.
     */
    @ParameterizedTest(name = "--format {0}")
    @ValueSource(strings = {"vtk", "hdf5"})
    void aDiskThatFillsUpIsOneLineNamingTheFile(String format) throws IOException {
        Path base = Files.createDirectories(work.resolve("full-" + format));
        try (Mounts.Mount mount = Mounts.smallDisk(base.resolve("disk"), "128k")) {
            Halo.Result r = Halo.mpjrun(base, 4, "diff2d", "--runtime", "0.01", "--format", format,
                    "--out", "disk/run");
            String seen = "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr();
            assertEquals(1, r.exitStatus(), seen);
            String file = format.equals("vtk") ? "final.vti" : "final.h5";
            assertEquals(1, r.stderrLines().size(), seen);
            assertTrue(r.stderrLines().get(0).startsWith("halo diff2d: error: rank 0: cannot write disk/run/" + file
                    + ": no space left on device"), seen);
            assertEquals(List.of("logs"), names(base.resolve("disk/run")), "no part of " + file + seen);
        }
    }

    /**
     * jHDF takes the field as double[rows][cols], a second copy on rank 0: a heap too small for
     * it (here 110 MB, where the 2000x2000 run itself needs about 100) is one line and status 1,
     * final.npy before it kept, no final.h5 nor a temporary file.
     */
    @Test
    void anHdf5FieldThatDoesNotFitInMemoryIsOneLineAndStatusOne() throws IOException {
        Halo.Result r = Halo.command(work, Map.of(), Duration.ofSeconds(300), List.of("java", "-Xmx110m", "-jar",
                Halo.JAR.toString(), "diff2d", "--dx", "0.01", "--runtime", "0.0005", "--format", "npy,hdf5",
                "--out", "too-big"));
        String seen = "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr();
        assertEquals(1, r.exitStatus(), seen);
        assertEquals(List.of("halo diff2d: error: cannot write too-big/final.h5: the 2000x2000 field (31 MiB) does not"
                + " fit in memory a second time, as HDF5 output needs it on rank 0 (raise the JVM's -Xmx, or leave"
                + " hdf5 out of --format) (--debug shows the stack trace)"), r.stderrLines(), seen);
        assertEquals(List.of("final.npy", "logs"), names(work.resolve("too-big")));
    }

    /**
     * A run killed (SIGKILL) while it writes snapshots keeps what it wrote: field.pvd lists
     * whole .vti files, each at its time, and every .h5 and .vti there is whole.
     */
    @Test
    void aKilledRunKeepsAUsableCollection() throws Exception {
        Path killed = work.resolve("killed");
        Process run = Halo.startMpjrun(work, 3, "diff2d", "--runtime", "100", "--outtime", "0.01", "--graphics",
                "--max-snapshots", "20000", "--format", "npy,vtk,hdf5", "--out", "killed");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(killed.resolve("snapshot-00012.h5"))) {
            assertTrue(run.isAlive(), "the run ended before it could be killed");
            assertTrue(System.nanoTime() < deadline, "12 snapshots not written within 90 s");
            Thread.sleep(20);
        }
        Halo.jvmOf(run).destroyForcibly();
        assertTrue(run.waitFor(10, TimeUnit.SECONDS));
        assertFalse(Files.exists(killed.resolve("summary.json")), "killed before the end");
        check(killed, true);
    }

    private static Path run(int ranks) {
        String out = "np" + ranks;
        Halo.Result result = Halo.mpjrun(work, ranks, Halo.concat(SHORT, "--out", out));
        assertEquals(0, result.exitStatus(), result.stderr());
        assertTrue(result.stderr().isBlank(), "nothing on stderr (jHDF's logging goes to Log4j):\n"
                + result.stderr());
        return work.resolve(out);
    }

    /** The Python checker on {@code run}; a missing interpreter or package fails here. */
    private static void check(Path run, boolean killed) {
        assertTrue(Files.isExecutable(PYTHON), PYTHON + " is missing: run src/main/scripts/setup.sh");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), CHECKER.toString(), run.toString()));
        if (killed) {
            command.add("--killed");
        }
        Halo.Result r = Halo.command(work, Map.of(), Duration.ofSeconds(300), command);
        assertEquals(0, r.exitStatus(), "the field files of " + run + " as Python's tools read them:\n"
                + r.stderr() + r.stdout());
        assertTrue(r.stdout().startsWith("checked "), r.stdout());
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

}
