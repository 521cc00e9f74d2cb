package halo.e2e;

import static halo.e2e.Halo.concat;
import static halo.e2e.RunDirectoryFiles.bytes;
import static halo.e2e.RunDirectoryFiles.summary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import halo.io.Checkpoint;
import halo.io.FieldGrid;
import halo.io.FieldMeta;
import halo.io.Npy;
import halo.io.Vti;

/**
 * End to end: no rank ever holds the whole field. Every rank writes its own rows of
 * {@code final.npy} and {@code final.vti}, the snapshots and the checkpoints, and the files are
 * the serial run's bytes at every rank count (the {@code .vti} also the bytes of one writer of
 * the whole field); a field larger than any rank's heap runs, writes and restarts;
 * a rank killed in the middle of a write leaves the previous file whole.
 */
class StripOutputIT {

    /** The course problem, long enough for three snapshots and two checkpoints. */
    private static final String[] COURSE = {"diff2d", "--runtime", "1", "--outtime", "0.45", "--graphics",
            "--checkpoint-every", "0.45", "--format", "npy,vtk"};
    private static final List<String> FILES = List.of("final.npy", "final.vti", "checkpoint.bin",
            "snapshot-00000.npy", "snapshot-00001.npy", "snapshot-00002.npy", "snapshot-00000.vti",
            "snapshot-00001.vti", "snapshot-00002.vti", "field.pvd", "snapshot-00000.png", "snapshot-00001.png",
            "snapshot-00002.png", "snapshots.gif");
    private static final Duration LARGE_RUN_LIMIT = Duration.ofSeconds(600);

    @TempDir
    static Path work;
    private static Path serial;

    @TempDir
    Path dir;

    @BeforeAll
    static void serialRun() {
        Halo.Result r = Halo.serial(work, concat(COURSE, "--out", "serial"));
        assertEquals(0, r.exitStatus(), r.stderr());
        serial = work.resolve("serial");
    }

    @ParameterizedTest(name = "-np {0}")
    @ValueSource(ints = {1, 2, 3, 4, 8})
    void everyFileIsTheSerialRunsBytes(int ranks) {
        Halo.Result r = Halo.mpjrun(dir, ranks, concat(COURSE, "--out", "run"));
        assertEquals(0, r.exitStatus(), r.stderr());
        assertSameFiles(dir.resolve("run"));
    }

    @Test
    void everyFileIsTheSerialRunsBytesWithOneJvmPerRank() {
        Halo.Result r = Halo.mpjrunNiodev(dir, 3, concat(COURSE, "--out", "run"));
        assertEquals(0, r.exitStatus(), r.stderr());
        assertSameFiles(dir.resolve("run"));
    }

    /** The .vti that every rank wrote its rows of is the one a single writer makes of the whole field. */
    @Test
    void aVtiWrittenInStripsIsTheWholeFieldWritersBytes() throws IOException {
        Halo.Result r = Halo.mpjrun(dir, 3, concat(COURSE, "--out", "run"));
        assertEquals(0, r.exitStatus(), r.stderr());
        Path run = dir.resolve("run");
        Npy.Array field = Npy.read(run.resolve("final.npy"));
        Path whole = dir.resolve("whole.vti");
        Vti.write(whole, field.data(), 0, field.cols(), finalMeta(run));
        assertArrayEquals(bytes(whole), bytes(run.resolve("final.vti")));
    }

    /** What final.vti says of the final field of {@code run}: its grid, time and step. */
    private static FieldMeta finalMeta(Path run) {
        JsonNode summary = summary(run);
        JsonNode parameters = summary.get("parameters");
        return new FieldMeta("density", FieldGrid.square(summary.get("derived").get("nrows").asInt(),
                parameters.get("x1").asDouble(), parameters.get("x2").asDouble()),
                summary.get("result").get("simtime").asDouble(), summary.get("derived").get("nsteps").asLong(),
                Map.of());
    }

    private static void assertSameFiles(Path run) {
        for (String file : FILES) {
            assertArrayEquals(bytes(serial.resolve(file)), bytes(run.resolve(file)), file);
        }
        JsonNode expected = summary(serial).get("result");
        JsonNode actual = summary(run).get("result");
        for (String figure : List.of("sum", "centre_value")) { // bit for bit: the same doubles printed
            assertEquals(expected.get(figure).asText(), actual.get(figure).asText(), figure);
        }
    }

    /**
     * A 2400x2400 field is 46 MB in one array, more than the 40 MB heap of every rank's JVM:
     * gathered on one rank it cannot exist (that run ends "Java heap space"). In strips of 8
     * ranks it runs with snapshots and checkpoints, and a restart at 6 ranks from its
     * checkpoint ends on the uninterrupted serial run's field, bit for bit.
     */
    @Test
    void aFieldLargerThanEveryRanksHeapRunsWritesAndRestarts() throws IOException {
        String heap = "-Xmx40m";
        long fieldBytes = 8L * 2400 * (2400 + 2);
        assertTrue(fieldBytes > 40L << 20, "the whole field is larger than a rank's heap");
        String[] problem = {"diff2d", "--dx", "0.0083333", "--outtime", "0.0001", "--checkpoint-every", "0.0001"};

        Halo.Result first = niodev(8, heap, concat(problem, "--runtime", "0.0002", "--graphics", "--format", "npy,vtk",
                "--out", "first"));
        assertEquals(0, first.exitStatus(), first.stderr());
        Path run = dir.resolve("first");
        assertEquals(2400, summary(run).get("derived").get("nrows").asInt());
        assertEquals(Npy.file(run.resolve("final.npy"), 2400, 2400).length(), Files.size(run.resolve("final.npy")),
                "final.npy holds the whole field");
        int values = 8 * 2400 * 2400;
        byte[] npy = bytes(run.resolve("final.npy"));
        Vti.Layout vti = Vti.layout(finalMeta(run));
        assertArrayEquals(Arrays.copyOfRange(npy, npy.length - values, npy.length),
                Arrays.copyOfRange(bytes(run.resolve("final.vti")), (int) vti.dataOffset(), (int) vti.trailerOffset()),
                "final.vti holds final.npy's values");
        Checkpoint checkpoint = RunDirectoryFiles.checkpoint(run); // its CRC checked whole
        assertEquals(10, checkpoint.header().step());
        BufferedImage picture = ImageIO.read(run.resolve("snapshot-00002.png").toFile());
        assertTrue(picture.getWidth() < 800 && picture.getHeight() < 800,
                "the picture is shrunk to about 600 pixels a side: " + picture.getWidth() + "x" + picture.getHeight());

        Halo.Result restarted = niodev(6, heap, "diff2d", "--restart", run.toString(), "--runtime", "0.0003",
                "--graphics", "False", "--out", "restarted");
        assertEquals(0, restarted.exitStatus(), restarted.stderr());

        Halo.Result uninterrupted = Halo.command(dir, Map.of(), LARGE_RUN_LIMIT, List.of("java", "-jar",
                Halo.JAR.toString(), "diff2d", "--dx", "0.0083333", "--runtime", "0.0003", "--out", "serial"));
        assertEquals(0, uninterrupted.exitStatus(), uninterrupted.stderr());
        assertTrue(Arrays.equals(bytes(dir.resolve("serial/final.npy")), bytes(dir.resolve("restarted/final.npy"))),
                "the restart at 6 ranks ends on the serial run's field");
        assertEquals(summary(dir.resolve("serial")).get("result").get("sum").asText(),
                summary(dir.resolve("restarted")).get("result").get("sum").asText());
    }

    /**
     * No whole-field array limits the grid any more, only a rank's strip: 100,000² rows on one
     * rank is refused before anything is created, naming how many ranks it takes.
     */
    @Test
    void aStripLargerThanOneJavaArrayIsRefusedNamingTheRanksNeeded() throws IOException {
        Halo.Result r = Halo.serial(dir, "diff2d", "--dx", "0.0002", "--runtime", "1e-8", "--out", "run");
        assertEquals(BadInputIT.BAD_INPUT, r.exitStatus(), r.stderr());
        assertEquals(List.of("halo diff2d: error: --dx 0.0002: accepted dx >= (x2 - x1) / 46338 = 4.316112046268721E-4"
                + " at -np 1 (a rank's strip of 100000 rows must fit one Java array), or at least 5 ranks"
                + " for nrows = 100000"), r.stderrLines());
        assertFalse(Files.exists(dir.resolve("run")), "nothing created");
    }

    /**
     * Rank 1's JVM is frozen (SIGSTOP) while the temporary file of a checkpoint exists, that is
     * in the middle of the ranks writing it, then killed (SIGKILL): the launcher ends the run,
     * the checkpoint.bin before is whole, and a restart from it gives the uninterrupted field.
     */
    @Test
    void aRankKilledInTheMiddleOfAWriteLeavesThePreviousCheckpointWhole() throws Exception {
        String[] problem = {"diff2d", "--dx", "0.05", "--runtime", "0.25"}; // 400x400, 1.3 MB a checkpoint
        Halo.Result uninterrupted = Halo.serial(dir, concat(problem, "--out", "reference"));
        assertEquals(0, uninterrupted.exitStatus(), uninterrupted.stderr());

        Path killed = dir.resolve("killed"); // absolute: the ranks' command lines name it
        Process launcher = Halo.startMpjrunNiodev(dir, dir.resolve("out.txt"), dir.resolve("err.txt"), 3,
                concat(problem, "--checkpoint-every", "1e-9", "--out", killed.toString()));
        try {
            Path temporary = killed.resolve(".checkpoint.bin.parts.tmp");
            ProcessHandle rank1 = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (rank1 == null) {
                assertTrue(launcher.isAlive(), "the run ended before a rank could be killed while writing");
                assertTrue(System.nanoTime() < deadline, "no checkpoint write seen within 120 s");
                if (Files.exists(killed.resolve("checkpoint.bin")) && Files.exists(temporary)) {
                    ProcessHandle candidate = rankJvm(killed, 1);
                    Halo.systemCommand("kill", "-STOP", Long.toString(candidate.pid()));
                    if (Files.exists(temporary)) {
                        rank1 = candidate; // frozen while the next checkpoint is being written
                    } else {
                        Halo.systemCommand("kill", "-CONT", Long.toString(candidate.pid()));
                    }
                }
                Thread.sleep(1);
            }
            Halo.systemCommand("kill", "-9", Long.toString(rank1.pid()));
            assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the run did not end");
            assertEquals(137, launcher.exitValue(), Files.readString(dir.resolve("err.txt")));
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
        assertFalse(Files.exists(killed.resolve("summary.json")), "killed before the end");
        assertTrue(RunDirectoryFiles.checkpoint(killed).header().step() > 0, "the previous one, whole");

        Halo.Result r = Halo.mpjrun(dir, 2, "diff2d", "--restart", "killed", "--checkpoint-every", "0",
                "--out", "after-kill");
        assertEquals(0, r.exitStatus(), r.stderr());
        assertArrayEquals(bytes(dir.resolve("reference/final.npy")), bytes(dir.resolve("after-kill/final.npy")));
    }

    private Halo.Result niodev(int ranks, String jvmOption, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Halo.MPJRUN.toString(), "-dev", "niodev", "-np",
                Integer.toString(ranks), jvmOption, "-jar", Halo.JAR.toString()));
        command.addAll(List.of(arguments));
        return Halo.command(dir, Map.of(), LARGE_RUN_LIMIT, command);
    }

    /** The JVM of rank {@code rank} of the run whose command line names {@code run}. */
    private static ProcessHandle rankJvm(Path run, int rank) {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> {
                String line = p.info().commandLine().orElse("");
                return line.contains("halo.cli.Main " + rank + " ") && line.contains(run.toString());
            }).findFirst().orElseThrow(() -> new AssertionError("no JVM of rank " + rank));
        }
    }
}
