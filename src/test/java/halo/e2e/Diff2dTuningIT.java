package halo.e2e;

import static halo.e2e.Halo.concat;
import static halo.e2e.RunDirectoryFiles.bytes;
import static halo.e2e.RunDirectoryFiles.summary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * diff2d's performance options change how a run goes, never its result: every combination of
 * halo depth, overlap, threads and kernel form (--kernels vector, the default under mpjrun.sh,
 * or scalar, which java -jar without jdk.incubator.vector runs), at several rank counts, gives
 * the serial run's final.npy byte for byte. Bad values of the options give one line and status
 * 2, like every bad input.
 */
class Diff2dTuningIT {

    /** 707 steps: not a multiple of the halo depths below, so the last block is a short one. */
    private static final String[] SHORT = {"diff2d", "--runtime", "1.0"};

    @TempDir
    static Path work;
    private static byte[] serialField;

    @BeforeAll
    static void serialReference() {
        Path serial = Halo.serialReference(work, "serial", concat(SHORT, "--halo-depth", "1", "--overlap", "False"));
        serialField = bytes(serial.resolve("final.npy"));
        assertEquals("scalar", summary(serial).get("parameters").get("kernels").asText());
    }

    @ParameterizedTest(name = "-np {0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "1|--halo-depth 3 --threads 2|scalar",
            "2|--halo-depth 1 --overlap False|scalar",
            "2|--halo-depth 8 --threads 2|vector",
            "3|--halo-depth 5 --overlap False --threads 3|scalar",
            "3|--halo-depth 88 --threads 2|vector",
            "4|--halo-depth auto --overlap True|scalar",
            "4|--halo-depth 66 --overlap False|vector",
            "8|--halo-depth 33 --threads 2|scalar",
            "1|--halo-depth 40|vector", // temporal blocking: 39 steps at a time, two blocks of rows
            "3|--halo-depth 50 --overlap False|scalar",
            "2|--halo-depth 16 --temporal-blocking False|vector"})
    void everyTuningGivesTheSerialFieldBitForBit(int ranks, String options, String kernels) {
        String out = "np" + ranks + options.replace(" ", "").replace("--", "-") + "-" + kernels;
        List<String> arguments = new ArrayList<>(List.of(SHORT));
        arguments.addAll(List.of(options.split(" ")));
        arguments.addAll(List.of("--kernels", kernels, "--out", out));
        Halo.Result result = Halo.mpjrun(work, ranks, arguments.toArray(String[]::new));
        assertEquals(0, result.exitStatus(), result.stderr());
        Path run = work.resolve(out);
        assertArrayEquals(serialField, bytes(run.resolve("final.npy")), options);
        assertEquals(kernels, summary(run).get("parameters").get("kernels").asText());
    }

    /** The vector kernels, without the JDK's warning about their incubator module on stderr. */
    @Test
    void theDefaultRunsTheVectorKernelsQuietly() {
        Halo.Result result = Halo.mpjrun(work, 2, concat(SHORT, "--out", "default"));
        assertEquals(0, result.exitStatus(), result.stderr());
        assertEquals("", result.stderr());
        assertEquals("vector", summary(work.resolve("default")).get("parameters").get("kernels").asText());
        assertArrayEquals(serialField, bytes(work.resolve("default/final.npy")));
    }

    /** The JIT warm-up steps a scratch strip of its own: without it, the same field. */
    @Test
    void withoutTheJitWarmUpTheFieldIsTheSame() {
        Halo.Result result = Halo.mpjrunWithJvmOption(work, "-Dhalo.jit-warm-up=false", 3,
                concat(SHORT, "--out", "no-warm-up"));
        assertEquals(0, result.exitStatus(), result.stderr());
        assertArrayEquals(serialField, bytes(work.resolve("no-warm-up/final.npy")));
    }

    @Test
    void serialRunWithDeepHalosAndThreadsMatchesToo() {
        Halo.Result result = Halo.serial(work, concat(SHORT, "--out", "serial-tuned", "--halo-depth", "7",
                "--threads", "3"));
        assertEquals(0, result.exitStatus(), result.stderr());
        assertArrayEquals(serialField, bytes(work.resolve("serial-tuned/final.npy")));
    }

    @Test
    void threadsDefaultToSlurmsCpusPerTask() {
        Halo.Result result = Halo.mpjrun(work, Map.of("SLURM_CPUS_PER_TASK", "3"), 2,
                concat(SHORT, "--out", "slurm-threads"));
        assertEquals(0, result.exitStatus(), result.stderr());
        Path run = work.resolve("slurm-threads");
        assertEquals(3, summary(run).get("parameters").get("threads").asInt());
        assertArrayEquals(serialField, bytes(run.resolve("final.npy")));
    }

    @Test
    void backgroundSnapshotsAreTheSnapshotsWrittenInTheLoop() throws IOException {
        for (String background : List.of("True", "False")) {
            Halo.Result result = Halo.mpjrun(work, 3, "diff2d", "--runtime", "0.5", "--outtime", "0.25",
                    "--graphics", "--background-io", background, "--out", "snapshots-" + background);
            assertEquals(0, result.exitStatus(), result.stderr());
        }
        for (int i = 0; i < 3; i++) {
            String npy = String.format("snapshot-%05d.npy", i);
            String png = String.format("snapshot-%05d.png", i);
            assertArrayEquals(bytes(work.resolve("snapshots-False").resolve(npy)),
                    bytes(work.resolve("snapshots-True").resolve(npy)), npy);
            assertArrayEquals(bytes(work.resolve("snapshots-False").resolve(png)),
                    bytes(work.resolve("snapshots-True").resolve(png)), png);
        }
        assertFalse(Files.exists(work.resolve("snapshots-True/snapshot-00003.png")));
    }

    @ParameterizedTest(name = "{1} at -np {0}")
    @CsvSource(delimiter = '|', value = {
            "1|--halo-depth 0|--halo-depth 0: accepted 1 to 266 at -np 1",
            "4|--halo-depth 67|--halo-depth 67: accepted 1 to 66 at -np 4",
            "4|--halo-depth lots|--halo-depth lots: not a whole number",
            "1|--threads 0|--threads 0: accepted 1 to 1024",
            "4|--threads many|--threads many: not a whole number",
            "4|--overlap maybe|--overlap maybe: accepted True or False",
            "1|--background-io 2|--background-io 2: accepted True or False",
            "4|--kernels simd|--kernels simd: accepted auto, vector or scalar"})
    void badTuningIsOneLineAndStatusTwo(int ranks, String options, String expected, @TempDir Path dir)
            throws IOException {
        Halo.Result result = Halo.mpjrun(dir, ranks, concat(new String[] {"diff2d"}, options.split(" ")));
        assertEquals(2, result.exitStatus(), result.stderr());
        assertEquals(1, result.stderrLines().size(), result.stderr());
        assertTrue(result.stderrLines().get(0).startsWith("halo diff2d: error: " + expected), result.stderr());
        assertEquals("", result.stdout());
        try (var created = Files.list(dir)) {
            assertTrue(created.noneMatch(p -> p.getFileName().toString().equals("runs")));
        }
    }

    @Test
    void aBadSlurmCpuCountIsOneLine(@TempDir Path dir) {
        Halo.Result result = Halo.mpjrun(dir, Map.of("SLURM_CPUS_PER_TASK", "lots"), 2, "diff2d");
        assertEquals(2, result.exitStatus(), result.stderr());
        assertEquals(1, result.stderrLines().size(), result.stderr());
        assertTrue(result.stderrLines().get(0).contains("SLURM_CPUS_PER_TASK=lots"), result.stderr());
    }
}
