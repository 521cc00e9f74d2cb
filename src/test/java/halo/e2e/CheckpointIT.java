package halo.e2e;

import static halo.e2e.BadInputIT.BAD_INPUT;
import static halo.e2e.BadInputIT.FAILED;
import static halo.e2e.BadInputIT.QUICK_SECONDS;
import static halo.e2e.BadInputIT.assertOneErrorLine;
import static halo.e2e.BadInputIT.contents;
import static halo.e2e.Halo.concat;
import static halo.e2e.RunDirectoryFiles.bytes;
import static halo.e2e.RunDirectoryFiles.jsonLog;
import static halo.e2e.RunDirectoryFiles.summary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import halo.e2e.BadInputIT.Form;

/**
 * End to end: checkpoints and restarts of diff2d through the real launcher. A restart at any
 * rank count gives the uninterrupted run's final field bit for bit; a checkpoint survives a
 * kill and a full disk in the middle of writing the next one; a damaged or mismatching one is
 * refused in one line.
 */
class CheckpointIT {

    /** 100x100 grid, 98 steps; --checkpoint-every 0.3 is every 29 steps: at 29, 58 and 87. */
    private static final String[] PROBLEM = {"diff2d", "--dx", "0.2", "--runtime", "1"};
    private static final int LAST_CHECKPOINT_STEP = 87;

    @TempDir
    static Path work;
    /** The uninterrupted serial run, and a run at 3 ranks that wrote checkpoints. */
    private static Path reference;
    private static Path checkpointed;

    @TempDir
    Path dir;

    @BeforeAll
    static void referenceAndCheckpointedRuns() {
        reference = Halo.serialReference(work, "reference", PROBLEM);
        checkpointed = Halo.mpjrunReference(work, "np3", 3, concat(PROBLEM, "--checkpoint-every", "0.3"));
    }

    @Test
    void checkpointsAreWrittenEveryIntervalOnEveryRankAndSummarised() {
        JsonNode checkpoints = summary(checkpointed).get("checkpoints");
        assertEquals(0.3, checkpoints.get("every").asDouble());
        assertEquals(29, checkpoints.get("interval_steps").asInt());
        assertEquals(3, checkpoints.get("written").asInt());
        assertEquals(LAST_CHECKPOINT_STEP, checkpoints.get("last_step").asInt());
        assertTrue(checkpoints.get("restarted_from").isNull());
        for (int rank = 0; rank < 3; rank++) {
            List<Integer> steps = jsonLog(checkpointed, rank).stream()
                    .filter(line -> line.path("record").path("event").asText().equals("checkpoint"))
                    .map(line -> line.get("record").get("step").asInt()).toList();
            assertEquals(List.of(29, 58, LAST_CHECKPOINT_STEP), steps, "rank " + rank);
        }
    }

    @Test
    void restartAtTwoRanksGivesTheUninterruptedFieldBitForBit() {
        Halo.Result r = Halo.mpjrun(work, 2, "diff2d", "--restart", "np3", "--out", "restart-np2");
        assertRestartedFromStep(LAST_CHECKPOINT_STEP, r, work.resolve("restart-np2"), reference);
    }

    @Test
    void restartSeriallyGivesTheUninterruptedFieldBitForBit() {
        Halo.Result r = Halo.serial(work, "diff2d", "--restart", "np3", "--out", "restart-serial");
        assertRestartedFromStep(LAST_CHECKPOINT_STEP, r, work.resolve("restart-serial"), reference);
    }

    /** Options may take a restart further than the checkpointed run was to go. */
    @Test
    void restartWithALongerRuntimeGivesTheLongerRunBitForBit() {
        Halo.Result longer = Halo.serial(work, "diff2d", "--dx", "0.2", "--runtime", "1.5", "--out", "longer");
        assertEquals(0, longer.exitStatus(), longer.stderr());
        Halo.Result r = Halo.mpjrun(work, 4, "diff2d", "--restart", "np3", "--runtime", "1.5", "--out", "extended");
        assertRestartedFromStep(LAST_CHECKPOINT_STEP, r, work.resolve("extended"), work.resolve("longer"));
    }

    /**
     * A crash in the middle of writing a checkpoint: the JVM that holds both ranks is frozen
     * (SIGSTOP) at a moment when a checkpoint's temporary file exists, that is during a write,
     * then killed (SIGKILL). The checkpoint.bin before it must be whole, and a restart at 3
     * ranks from it must give the uninterrupted run's field bit for bit.
     */
    @Test
    void aKillDuringACheckpointWriteLeavesThePreviousCheckpointWhole() throws Exception {
        String[] problem = {"diff2d", "--dx", "0.05", "--runtime", "0.25"}; // 400x400, 1.3 MB a checkpoint
        Path uninterrupted = Halo.serialReference(work, "kill-reference", problem);

        Path killed = work.resolve("killed");
        Process run = Halo.startMpjrun(work, 2, concat(problem, "--checkpoint-every", "1e-9", "--out", "killed"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ProcessHandle jvm;
        while (true) {
            assertTrue(run.isAlive(), "the run ended before it could be killed while writing a checkpoint");
            assertTrue(System.nanoTime() < deadline, "no checkpoint write seen within 30 s");
            if (Files.exists(killed.resolve("checkpoint.bin")) && !temporaryFiles(killed).isEmpty()) {
                jvm = Halo.jvmOf(run);
                Halo.systemCommand("kill", "-STOP", Long.toString(jvm.pid()));
                if (!temporaryFiles(killed).isEmpty()) {
                    break; // frozen in the middle of writing the next checkpoint
                }
                Halo.systemCommand("kill", "-CONT", Long.toString(jvm.pid()));
            }
            Thread.sleep(1);
        }
        jvm.destroyForcibly();
        assertTrue(run.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, run.exitValue(), "mpjrun.sh reports the JVM killed by SIGKILL");
        assertFalse(temporaryFiles(killed).isEmpty(), "the interrupted write is still there");
        assertFalse(Files.exists(killed.resolve("summary.json")), "killed before the end");

        Halo.Result r = Halo.mpjrun(work, 3, "diff2d", "--restart", "killed", "--checkpoint-every", "0",
                "--out", "after-kill");
        assertEquals(0, r.exitStatus(), r.stderr());
        assertArrayEquals(bytes(uninterrupted.resolve("final.npy")), bytes(work.resolve("after-kill/final.npy")));
        assertTrue(summary(work.resolve("after-kill")).get("checkpoints").get("restarted_from").get("step").asInt() > 0);
    }

    /**
     * A 128 kB disk holds the logs and one 80 kB checkpoint but not the next beside it: the run
     * fails writing the second, in one line, and the first stays whole; a restart from it on
     * another disk gives the uninterrupted field.
     */
    @Test
    void aDiskFillingUpDuringACheckpointKeepsThePreviousOne() throws IOException {
        try (Mounts.Mount disk = Mounts.smallDisk(dir.resolve("disk"), "128k")) {
            Halo.Result r = Halo.mpjrun(dir, 2, concat(PROBLEM, "--checkpoint-every", "0.3", "--out", "disk/run"));
            String seen = "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr();
            assertEquals(FAILED, r.exitStatus(), seen);
            assertOneErrorLine(r, seen);
            assertTrue(r.stderrLines().get(0).contains("cannot write disk/run/checkpoint.bin: no space left on device"),
                    seen);
            Path run = dir.resolve("disk/run");
            assertEquals(List.of(), temporaryFiles(run));
            assertFalse(Files.exists(run.resolve("summary.json")));

            Halo.Result restarted = Halo.mpjrun(dir, 3, "diff2d", "--restart", "disk/run", "--out", "restarted");
            assertRestartedFromStep(29, restarted, dir.resolve("restarted"), reference);
        }
    }

    /**
     * A stop request (what slurm/halo-job.sh makes of Slurm's warning before the time limit):
     * every rank sees the file at the first output (step 49 of 98) and agrees to stop there,
     * with a checkpoint from which a restart at another rank count gives the uninterrupted field.
     */
    @Test
    void aStopRequestStopsEveryRankAtTheNextOutputWithACheckpoint() throws IOException {
        Path request = Files.createFile(dir.resolve("stop-requested"));
        Halo.Result r = Halo.mpjrun(dir, Map.of("HALO_STOP_FILE", request.toString()), 3,
                concat(PROBLEM, "--out", "stopped"));
        String seen = "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr() + "\nstdout:\n" + r.stdout();
        assertEquals(3, r.exitStatus(), "stopped, not completed" + seen);
        assertTrue(r.stderr().isBlank(), seen);
        assertTrue(r.stdout().contains("Stopped on request (" + request + ") at step 49, simtime "), seen);
        assertTrue(r.stdout().contains("checkpoint in stopped/checkpoint.bin; go on with --restart stopped"), seen);
        Path stopped = dir.resolve("stopped");
        assertFalse(Files.exists(stopped.resolve("summary.json")), seen);
        for (int rank = 0; rank < 3; rank++) {
            List<Integer> stops = jsonLog(stopped, rank).stream()
                    .filter(line -> line.path("record").path("event").asText().equals("stopped"))
                    .map(line -> line.get("record").get("step").asInt()).toList();
            assertEquals(List.of(49), stops, "rank " + rank);
        }

        Halo.Result restarted = Halo.mpjrun(dir, 2, "diff2d", "--restart", "stopped", "--out", "restarted");
        assertRestartedFromStep(49, restarted, dir.resolve("restarted"), reference);
    }

    /** A damaged checkpoint, a missing one, or options that contradict it. */
    record Refusal(String name, String damage, List<String> args, List<String> expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Object[]> refusals() {
        List<Refusal> refusals = List.of(
                new Refusal("a flipped byte in the field", "flip", List.of("--restart", "damaged"),
                        List.of("--restart damaged", "corrupt", "CRC-32", "accepted")),
                new Refusal("a truncated checkpoint", "truncate", List.of("--restart", "damaged"),
                        List.of("--restart damaged", "truncated", "accepted")),
                new Refusal("a .npy file as checkpoint.bin", "npy", List.of("--restart", "damaged"),
                        List.of("--restart damaged", "not a Halo checkpoint", "accepted")),
                new Refusal("a newer format version", "version", List.of("--restart", "damaged"),
                        List.of("--restart damaged", "format version 2", "accepted")),
                new Refusal("a run directory without a checkpoint", "missing", List.of("--restart", "damaged"),
                        List.of("--restart damaged", "no checkpoint.bin", "accepted")),
                new Refusal("no such directory", "none", List.of("--restart", "nowhere"),
                        List.of("--restart nowhere", "no such directory", "accepted")),
                new Refusal("another D than the checkpoint's", "none", List.of("--restart", "np3", "--D", "2"),
                        List.of("--D 2", "accepted D = 1.0", "checkpoint.bin")),
                new Refusal("a runtime the checkpoint is past", "none", List.of("--restart", "np3", "--runtime", "0.5"),
                        List.of("--runtime 0.5", "accepted runtime >= ", "step 87")));
        return refusals.stream().flatMap(c -> Stream.of(Form.NP1, Form.NP4).map(form -> new Object[] {c, form}));
    }

    @ParameterizedTest(name = "{0}  [{1}]")
    @MethodSource
    void refusals(Refusal c, Form form) throws IOException {
        Path copy = Files.createDirectory(dir.resolve("np3"));
        Files.copy(checkpointed.resolve("checkpoint.bin"), copy.resolve("checkpoint.bin"));
        if (!c.damage().equals("none")) {
            damage(Files.createDirectories(dir.resolve("damaged")), c.damage());
        }
        Halo.Result r = form.run(dir, concat(new String[] {"diff2d"}, c.args().toArray(String[]::new)));

        String seen = "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr() + "\nstdout:\n" + r.stdout();
        assertEquals(BAD_INPUT, r.exitStatus(), seen);
        assertOneErrorLine(r, seen);
        for (String expected : c.expect()) {
            assertTrue(r.stderrLines().get(0).contains(expected), "the error line should contain '" + expected + "'"
                    + seen);
        }
        assertTrue(r.stdout().isBlank(), seen);
        assertTrue(r.seconds() < QUICK_SECONDS, seen);
        assertFalse(Files.exists(dir.resolve("runs")), "no run directory" + seen);
    }

    /**
     * A flipped byte in the last row of the field, which only the last rank reads (rows 67 to 99
     * at 3 ranks): its CRC makes the combined CRC wrong, and the run is refused in one line,
     * once, before a run directory is made, whether the ranks share a JVM or not.
     */
    @ParameterizedTest(name = "{0} -np {1}")
    @CsvSource({"multicore, 1", "multicore, 3", "niodev, 3"})
    void aFlippedByteInTheLastRanksRowsIsReportedOnceBeforeAnythingIsCreated(String device, int ranks)
            throws IOException {
        Path damaged = Files.createDirectory(dir.resolve("damaged"));
        byte[] bytes = bytes(checkpointed.resolve("checkpoint.bin"));
        bytes[bytes.length - 4 - 8 * 10 - 3] ^= 0x10; // row 99, column 89; 4 bytes of CRC after the field
        Files.write(damaged.resolve("checkpoint.bin"), bytes);
        Map<String, String> before = contents(dir);

        Halo.Result r = CarelessInputIT.run(dir, device, ranks, "diff2d", "--restart", "damaged");
        String line = CarelessInputIT.assertRefused(dir, before, BAD_INPUT, r, "--restart damaged",
                "damaged/checkpoint.bin: corrupt: its CRC-32 is ", "accepted");
        assertFalse(line.contains("(on rank"), "a verdict on the whole file, not one rank's: " + line);
    }

    private static void damage(Path directory, String how) throws IOException {
        Path file = directory.resolve("checkpoint.bin");
        byte[] bytes = bytes(checkpointed.resolve("checkpoint.bin"));
        switch (how) {
            case "flip" -> bytes[bytes.length / 2] ^= 0x10;
            case "truncate" -> bytes = Arrays.copyOf(bytes, bytes.length / 2);
            case "npy" -> bytes = bytes(checkpointed.resolve("final.npy"));
            case "version" -> bytes[8] = 2;
            case "missing" -> {
                Files.createDirectories(directory.resolve("logs"));
                return;
            }
            default -> throw new IllegalArgumentException(how);
        }
        Files.write(file, bytes);
    }

    private static void assertRestartedFromStep(int step, Halo.Result r, Path run, Path uninterrupted) {
        assertEquals(0, r.exitStatus(), r.stderr());
        assertTrue(r.stdout().startsWith("Restarting from "), r.stdout());
        assertTrue(r.stdout().lines().findFirst().orElseThrow().contains(" at step " + step + ", simtime "),
                r.stdout());
        assertArrayEquals(bytes(uninterrupted.resolve("final.npy")), bytes(run.resolve("final.npy")),
                "final field of " + run + " against " + uninterrupted);
        JsonNode summary = summary(run);
        assertEquals(step, summary.get("checkpoints").get("restarted_from").get("step").asInt());
        assertEquals(summary(uninterrupted).get("derived").get("nsteps").asInt() - step, summary.get("steps").asInt());
    }

    private static List<Path> temporaryFiles(Path run) throws IOException {
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(run)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".checkpoint.bin.")).toList();
        }
    }
}
