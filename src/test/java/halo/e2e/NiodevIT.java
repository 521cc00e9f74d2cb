package halo.e2e;

import static halo.e2e.BadInputIT.FAILED;
import static halo.e2e.BadInputIT.assertOneErrorLine;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import halo.io.Checkpoint;
import halo.io.Npy;

/**
 * End to end: {@code mpjrun.sh -dev niodev} on this machine, one JVM per rank and no MPJ
 * daemons. The field is the serial one bit for bit; a rank killed with {@code kill -9} or
 * failing for a real reason ends the whole run at once, non-zero, with no rank process left, and
 * what the run wrote before stays readable.
 */
class NiodevIT {

    private static final double LIMIT_SECONDS = 30;
    private static final String[] SHORT = {"diff2d", "--runtime", "1.0"};

    @TempDir
    static Path work;
    private static byte[] serialField;

    @TempDir
    Path dir;

    @BeforeAll
    static void serialReference() {
        serialField = bytes(Halo.serialReference(work, "serial", SHORT).resolve("final.npy"));
    }

    @ParameterizedTest(name = "-np {0}")
    @ValueSource(ints = {2, 3})
    void diff2dMatchesSerialBitForBit(int ranks) {
        Halo.Result r = Halo.mpjrunNiodev(dir, ranks, concat(SHORT, "--out", "run"));
        assertEquals(0, r.exitStatus(), r.stderr());
        assertEquals("", r.stderr(), "no JDK warning about the Vector API's module from any rank");
        assertEquals("vector", summary(dir.resolve("run")).get("parameters").get("kernels").asText());
        assertArrayEquals(serialField, bytes(dir.resolve("run/final.npy")));
        assertEquals("niodev", summary(dir.resolve("run")).get("device").asText());
        assertEquals(ranks, summary(dir.resolve("run")).get("ranks").asInt());
        assertEquals(61, summary(dir.resolve("run")).get("parameters").get("halo-depth").asInt(),
                "the automatic depth: one exchange's message within niodev's 128 KiB (63 in one JVM)");
        assertTrue(r.stdout().contains("Run directory: run"), "rank 0's output is passed through:\n" + r.stdout());
    }

    /**
     * Rank 1's JVM, found by its command line, gets SIGKILL after the first checkpoint: ranks
     * 0 and 2 would wait for its ghost rows forever, the launcher must end them and say so.
     */
    @Test
    void aRankKilledWithSigkillEndsTheRunAtOnce() throws Exception {
        Path run = dir.resolve("run"); // absolute: the ranks' command lines name this test's directory
        Process launcher = Halo.startMpjrunNiodev(dir, dir.resolve("out.txt"), dir.resolve("err.txt"), 3,
                "diff2d", "--runtime", "100", "--checkpoint-every", "0.2", "--out", run.toString());
        try {
            Halo.awaitFile(run.resolve("checkpoint.bin"), launcher);
            List<ProcessHandle> ranks = ranksOf(run);
            assertEquals(3, ranks.size(), "one JVM per rank");
            ProcessHandle rank1 = ranks.stream().filter(p -> commandLine(p).contains("halo.cli.Main 1 ")).findFirst()
                    .orElseThrow();
            long killed = System.nanoTime();
            Halo.systemCommand("kill", "-9", Long.toString(rank1.pid()));

            assertTrue(launcher.waitFor((long) LIMIT_SECONDS, TimeUnit.SECONDS), "the run did not end");
            double seconds = (System.nanoTime() - killed) * 1e-9;
            String stderr = Files.readString(dir.resolve("err.txt"));
            assertEquals(137, launcher.exitValue(), "128 + SIGKILL\n" + stderr);
            assertTrue(seconds < LIMIT_SECONDS, "took " + seconds + " s");
            assertEquals(List.of("mpjrun.sh: rank 1 was killed by signal 9; ended the other ranks"),
                    stderr.lines().toList());
            assertEquals(List.of(), ranksOf(run), "no rank left running");
            assertTrue(Files.readString(dir.resolve("out.txt")).startsWith("0.0\n"), "rank 0's output passed through");

            assertFalse(Files.exists(run.resolve("summary.json")));
            Checkpoint checkpoint = RunDirectoryFiles.checkpoint(run);
            assertTrue(checkpoint.header().step() > 0, "a whole checkpoint, written before the kill");
            for (int rank = 0; rank < 3; rank++) {
                assertFalse(RunDirectoryFiles.jsonLog(run, rank).isEmpty(), "rank " + rank + "'s log parses");
            }
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    /**
     * The real failure of {@link RunFailureIT} in niodev mode: rank 0 runs out of disk writing
     * a snapshot and exits 1 while ranks 1 and 2, in JVMs of their own, wait for its ghost rows.
     */
    @Test
    void aRankFailingMidRunEndsTheRunAndKeepsWhatWasWritten() throws IOException {
        Path disk = dir.resolve("disk");
        try (Mounts.Mount mount = Mounts.smallDisk(disk, "1m")) {
            Halo.Result r = Halo.mpjrunNiodev(dir, 3, "diff2d", "--dx", "0.1", "--runtime", "1", "--outtime", "0.1",
                    "--graphics", "--out", disk.resolve("run").toString());

            String seen = "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr();
            assertEquals(FAILED, r.exitStatus(), seen);
            assertTrue(r.seconds() < LIMIT_SECONDS, "took " + r.seconds() + " s" + seen);
            assertOneErrorLine(r, seen);
            assertTrue(r.stderrLines().get(0).contains("rank 0: cannot write"), seen);
            assertTrue(r.stderrLines().get(0).contains("no space left on device"), seen);
            assertEquals(List.of(), ranksOf(disk), "no rank left running");
            Npy.Array first = Npy.read(disk.resolve("run/snapshot-00000.npy"));
            assertEquals(200, first.rows(), "the snapshots before the failure stay whole");
            assertFalse(Files.exists(disk.resolve("run/summary.json")));
        }
    }

    /** Halo rank JVMs whose command line names {@code place} (each test's directory is its own). */
    private static List<ProcessHandle> ranksOf(Path place) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> commandLine(p).contains("halo.cli.Main") && commandLine(p).contains(place.toString()))
                .toList();
    }

    private static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("");
    }
}
