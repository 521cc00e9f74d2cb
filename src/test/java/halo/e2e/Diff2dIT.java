package halo.e2e;

import static halo.e2e.Halo.concat;
import static halo.e2e.RunDirectoryFiles.bytes;
import static halo.e2e.RunDirectoryFiles.jsonLog;
import static halo.e2e.RunDirectoryFiles.summary;
import static halo.e2e.RunDirectoryFiles.textLog;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import halo.io.Npy;
import halo.kernel.CourseDiff2d;

/**
 * diff2d through the real launcher: every rank count gives the serial run's field bit for
 * bit, and the run directory holds what the contract says.
 */
class Diff2dIT {

    /** 707 steps of the course grid: long enough for halos to matter, short for CI. */
    private static final String[] SHORT = {"diff2d", "--runtime", "1.0"};

    @TempDir
    static Path work;
    private static Path serial;

    @BeforeAll
    static void serialReference() {
        serial = Halo.serialReference(work, "serial", SHORT);
    }

    @Test
    void serialRunIsTheCourseAlgorithmBitForBit() throws IOException {
        double[][] course = CourseDiff2d.run(1.0, -10.0, 10.0, 1.0, 0.075);
        Npy.Array halo = Npy.read(serial.resolve("final.npy"));
        assertEquals(266, halo.rows());
        assertEquals(266, halo.cols());
        for (int i = 0; i < 266; i++) {
            for (int j = 0; j < 266; j++) {
                assertEquals(Double.doubleToRawLongBits(course[i + 1][j + 1]),
                        Double.doubleToRawLongBits(halo.get(i, j)), "cell " + i + "," + j);
            }
        }
    }

    @ParameterizedTest(name = "-np {0}")
    @ValueSource(ints = {1, 2, 3, 4, 8})
    void everyRankCountGivesTheSerialFieldBitForBit(int ranks) {
        String out = "np" + ranks;
        Halo.Result result = Halo.mpjrun(work, ranks, concat(SHORT, "--out", out));
        assertEquals(0, result.exitStatus(), result.stderr());
        Path run = work.resolve(out);
        assertArrayEquals(bytes(serial.resolve("final.npy")), bytes(run.resolve("final.npy")));

        JsonNode summary = summary(run);
        JsonNode reference = summary(serial);
        assertEquals("completed", summary.get("status").asText());
        assertEquals(ranks, summary.get("ranks").asInt());
        assertEquals("smpdev", summary.get("device").asText());
        assertEquals(reference.get("result").get("sum").asDouble(), summary.get("result").get("sum").asDouble());
        assertEquals(reference.get("result").get("centre_value").asDouble(),
                summary.get("result").get("centre_value").asDouble());
        assertEquals(266, summary.get("derived").get("nrows").asInt());
        assertEquals(707, summary.get("derived").get("nsteps").asInt());
        assertEquals(ranks, summary.get("per_rank").size());
        for (String phase : List.of("setup", "compute", "halo_exchange", "reduction", "io", "wall")) {
            JsonNode stats = summary.get("phase_seconds").get(phase);
            assertTrue(stats.get("min").asDouble() <= stats.get("mean").asDouble()
                    && stats.get("mean").asDouble() <= stats.get("max").asDouble(), phase);
        }

        for (int r = 0; r < ranks; r++) {
            String text = textLog(run, r);
            assertTrue(text.contains("rank " + r + " INFO  start:"), text);
            assertTrue(text.contains("phase: phase halo_exchange, seconds"), text);
            assertTrue(text.contains("totals: steps 707"), text);
            List<JsonNode> records = jsonLog(run, r);
            JsonNode totals = records.stream().filter(n -> n.get("record").get("event").asText().equals("totals"))
                    .findFirst().orElseThrow();
            assertEquals(Integer.toString(r), totals.get("rank").asText());
            assertTrue(totals.get("record").get("cell_updates_per_second").asDouble() > 0);
            assertTrue(totals.get("record").get("peak_heap_mib").asDouble() > 0);
        }
        assertTrue(Files.notExists(run.resolve("logs/rank-" + ranks + ".log")));

        // simtime at 0 and every outtime, once (rank 0 only), then the per-rank table
        List<String> lines = result.stdout().lines().toList();
        assertEquals(List.of("0.0", "0.49889761998981985", "0.9977952399796545"), lines.subList(0, 3));
        assertEquals(ranks, lines.stream().filter(l -> l.matches("\\s+\\d+( +\\d+\\.\\d+s){6}")).count(),
                result.stdout());
        assertTrue(lines.get(lines.size() - 1).startsWith("Run directory: "));
    }

    @Test
    void courseProblemAtEightRanksMatchesSerial() {
        Halo.Result serialRun = Halo.serial(work, "diff2d", "--out", "course-serial");
        Halo.Result parallelRun = Halo.mpjrun(work, 8, "diff2d", "--out", "course-np8");
        assertEquals(0, serialRun.exitStatus(), serialRun.stderr());
        assertEquals(0, parallelRun.exitStatus(), parallelRun.stderr());
        assertEquals(7075, summary(work.resolve("course-np8")).get("derived").get("nsteps").asInt());
        assertArrayEquals(bytes(work.resolve("course-serial/final.npy")), bytes(work.resolve("course-np8/final.npy")));
        assertEquals(21, parallelRun.stdout().lines().filter(l -> l.matches("\\d+\\.\\d+(E-?\\d+)?")).count());
    }

    @Test
    void graphicsWritesAPictureAndASnapshotEveryOuttime() throws IOException {
        Halo.Result result = Halo.mpjrun(work, 3, "diff2d", "--runtime", "1.0", "--outtime", "0.25",
                "--graphics", "--out", "pictures");
        assertEquals(0, result.exitStatus(), result.stderr());
        Path run = work.resolve("pictures");
        // initial state plus every 176 of 707 steps: 0, 176, 352, 528, 704
        for (int i = 0; i < 5; i++) {
            BufferedImage image = ImageIO.read(run.resolve(String.format("snapshot-%05d.png", i)).toFile());
            assertTrue(image.getWidth() > 500 && image.getHeight() > 400);
            Npy.Array snapshot = Npy.read(run.resolve(String.format("snapshot-%05d.npy", i)));
            assertEquals(266, snapshot.rows());
        }
        assertTrue(Files.notExists(run.resolve("snapshot-00005.png")));
        assertEquals(5, summary(run).get("result").get("snapshots").asInt());
        // the tent peaks at 1 between grid points; the initial snapshot is the tent itself
        double peak = maximum(Npy.read(run.resolve("snapshot-00000.npy")).data());
        assertTrue(peak > 0.95 && peak <= 1.0, "initial peak " + peak);
    }

    @Test
    void defaultRunDirectoriesAreNewEveryTimeAndNamedAfterTheSlurmJob() throws IOException {
        Path dir = Files.createDirectories(work.resolve("defaults"));
        assertEquals(0, Halo.serial(dir, "diff2d", "--runtime", "0.01").exitStatus());
        assertEquals(0, Halo.mpjrun(dir, 2, "diff2d", "--runtime", "0.01").exitStatus());
        try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
            List<Path> created = runs.toList();
            assertEquals(2, created.size());
            assertNotEquals(created.get(0), created.get(1));
            created.forEach(run -> assertTrue(Files.isRegularFile(run.resolve("summary.json")), run.toString()));
        }
    }

    /**
     * Halo configures each rank's Log4j context in code; a Log4j configuration file of the
     * user's own, named as Log4j's documentation says, takes its place, with the context keys
     * logDir and rank for its file names.
     */
    @Test
    void aLog4jConfigurationFileOfTheUsersOwnIsUsed() throws IOException {
        Path config = work.resolve("my-log4j2.xml");
        Files.writeString(config, """
                <Configuration status="off" shutdownHook="disable">
                  <Appenders>
                    <File name="mine" fileName="${ctx:logDir}/mine-${ctx:rank}.txt">
                      <PatternLayout pattern="mine %X{rank} of %X{ranks}: %msg%n"/>
                    </File>
                  </Appenders>
                  <Loggers><Root level="info"><AppenderRef ref="mine"/></Root></Loggers>
                </Configuration>
                """);
        Halo.Result result = Halo.mpjrunWithJvmOption(work, "-Dlog4j2.configurationFile=" + config, 2,
                "diff2d", "--runtime", "0.01", "--out", "own-log-config");
        assertEquals(0, result.exitStatus(), result.stderr());
        Path logs = work.resolve("own-log-config/logs");
        for (int r = 0; r < 2; r++) {
            String text = Files.readString(logs.resolve("mine-" + r + ".txt"));
            assertTrue(text.startsWith("mine " + r + " of 2: startup: jvm_seconds "), text);
            assertTrue(text.contains("mine " + r + " of 2: end: status completed"), text);
        }
        assertTrue(Files.notExists(logs.resolve("rank-0.log")), "Halo's own files are not written");
    }

    private static double maximum(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

}
