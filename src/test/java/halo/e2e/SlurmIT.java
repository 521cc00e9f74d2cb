package halo.e2e;

import static halo.e2e.RunDirectoryFiles.bytes;
import static halo.e2e.RunDirectoryFiles.summary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


/**
 * End to end under a real Slurm (the project's local cluster, {@code slurm/local-cluster.sh}):
 * {@code sbatch jobs/diff2d.slurm} and {@code jobs/auc.slurm} as a user submits them, on one
 * node (all ranks in one JVM) and across two nodes in network namespaces (one JVM per rank,
 * talking over the bridge). Every job is followed with {@code scontrol show job} to its final
 * state and exit code; results are compared with the serial run, diff2d byte for byte.
 */
class SlurmIT {

    /** diff2d's course problem for this long (simulated seconds): 266x266 cells, 711 steps. */
    private static final String RUNTIME = "1";
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    /**
     * Long enough (141,500 steps, a few seconds even with the vector kernels) for a warning to
     * come while the ranks compute: the job script passes it on only between its half-second naps.
     * The warned jobs keep the halo depth of 16 they had when this was measured ({@link
     * #WARNED_DEPTH}): with the auto depth a job of 4 ranks once completed before the warning
     * reached it.
     */
    private static final String WARNED_RUNTIME = "200";
    private static final String WARNED_DEPTH = "16";
    /**
     * The warned job's time limit, in minutes: long enough that slurmctld never warns a run of
     * it during the test, which sends that warning itself.
     */
    private static final int WARNED_TIME_LIMIT_MINUTES = 10;

    @TempDir
    static Path work;
    private static FileLock machine;
    private static byte[] serialField;
    private static byte[] serialWarnedField;
    private static double serialArea;

    @BeforeAll
    static void serialReferencesAndTheMachine() {
        serialField = bytes(Halo.serialReference(work, "serial-diff2d", "diff2d", "--runtime", RUNTIME)
                .resolve("final.npy"));
        // one rank, with the vector kernels (bitwise the scalar ones): seconds, not tens of them
        serialWarnedField = bytes(Halo.mpjrunReference(work, "serial-warned", 1, "diff2d", "--runtime", WARNED_RUNTIME)
                .resolve("final.npy"));
        serialArea = summary(Halo.serialReference(work, "serial-auc", "auc")).get("result").get("area").asDouble();
        machine = LocalSlurm.lockMachine();
    }

    @AfterAll
    static void releaseTheMachine() throws IOException {
        LocalSlurm.release(null, machine);
    }

    /** The tests of a subclass share one cluster, started before the first, stopped after the last. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class WithCluster {

        private final int nodes;
        private final int cpusPerNode;
        LocalSlurm slurm;

        WithCluster(int nodes, int cpusPerNode) {
            this.nodes = nodes;
            this.cpusPerNode = cpusPerNode;
        }

        @BeforeAll
        void startCluster() {
            slurm = LocalSlurm.start(nodes, cpusPerNode);
        }

        @AfterAll
        void stopCluster() {
            if (slurm != null) {
                slurm.close();
            }
        }
    }

    /** One node claiming 8 CPUs: jobs run in MPJ's multicore mode through mpjrun.sh. */
    @Nested
    class OneNode extends WithCluster {

        OneNode() {
            super(1, 8);
        }

        /** 8 ranks: the node claims 8 CPUs, more than the machine may have. */
        @ParameterizedTest(name = "-n {0}")
        @ValueSource(ints = {1, 4, 8})
        void diff2dMatchesSerial(int ranks, @TempDir Path dir) {
            Finished job = run(slurm, dir, List.of("-n", Integer.toString(ranks)), "diff2d", "--runtime", RUNTIME);
            assertCompleted(job, ranks, "smpdev");
            assertArrayEquals(serialField, bytes(job.runDirectory().resolve("final.npy")), job.describe());
            assertTrue(job.output().contains("in one JVM on"), job.describe());
        }

        @Test
        void aucWithTheJobScriptsDefaultsAgreesWithSerial(@TempDir Path dir) {
            Finished job = run(slurm, dir, List.of(), "auc"); // #SBATCH --ntasks=4
            assertCompleted(job, 4, "smpdev");
            assertArea(job);
        }

        @Test
        void aBadParameterFailsTheJobWithTheOneLineError(@TempDir Path dir) {
            assertFailsWithTheOneLineError(run(slurm, dir, List.of("-n", "4"), "diff2d", "--dx", "30"));
        }

        @Test
        void aRunDirectoryGivenWithOutIsTheOneTheJobChecks(@TempDir Path dir) {
            Finished job = run(slurm, dir, List.of("-n", "2"), "auc", "--out", "results/area");
            assertEquals("COMPLETED", job.end().state(), job.describe());
            assertEquals("completed", summary(dir.resolve("results/area")).get("status").asText(), job.describe());
            assertFalse(Files.exists(dir.resolve("runs")), job.describe());
            assertTrue(job.output().contains("completed; results in results/area"), job.describe());
        }

        @Test
        void warnedBeforeItsTimeLimitTheJobCheckpointsRequeuesAndEndsWithTheUninterruptedField(@TempDir Path dir)
                throws Exception {
            assertWarnedJobGoesOn(slurm, dir, List.of("-n", "4"), 4, "smpdev");
        }

        /** scancel: SIGTERM to every process of the job; what the run wrote stays whole. */
        @Test
        void aCancelledJobLeavesItsLogsAndCheckpointReadableAndSaysHowToGoOn(@TempDir Path dir) throws Exception {
            String id = slurm.submit(dir, "-n", "2", "jobs/diff2d.slurm", "--runtime", "100", "--checkpoint-every", "1");
            Path run = dir.resolve("runs/diff2d-" + id);
            awaitFile(run.resolve("checkpoint.bin"), slurm, id);
            Halo.Result cancelled = slurm.client(Halo.ROOT, List.of("scancel", id));
            assertEquals(0, cancelled.exitStatus(), cancelled.stderr());

            LocalSlurm.JobEnd end = slurm.await(id, JOB_TIMEOUT);
            assertEquals("CANCELLED", end.state(), end.toString());
            assertTrue(RunDirectoryFiles.checkpoint(run).header().step() > 0);
            for (int rank = 0; rank < 2; rank++) {
                assertFalse(RunDirectoryFiles.jsonLog(run, rank).isEmpty(), "rank " + rank + "'s log, every line");
                assertTrue(RunDirectoryFiles.textLog(run, rank).contains("checkpoint: step"), "rank " + rank);
            }
            assertFalse(Files.exists(run.resolve("summary.json")));
            String output = read(dir.resolve("diff2d-" + id + ".out"));
            assertTrue(output.contains("halo job " + id + ": ended by Slurm (scancel or the time limit); last checkpoint "
                    + "runs/diff2d-" + id + "/checkpoint.bin; to go on: sbatch jobs/diff2d.slurm --restart runs/diff2d-"
                    + id + "\n"), output);
        }

        @Test
        void anImpossibleRequestIsRefusedAtSubmission(@TempDir Path dir) throws IOException {
            Halo.Result refused = slurm.sbatch(dir, "-n", "64", "jobs/diff2d.slurm");
            assertNotEquals(0, refused.exitStatus(), refused.stdout());
            assertTrue(refused.stderr().contains("Batch job submission failed"), refused.stderr());
            assertTrue(refused.seconds() < 10, "took " + refused.seconds() + " s");
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(), files.toList(), "no output, no run directory");
            }
        }
    }

    /**
     * Two nodes, each in its own network namespace with its own address and hostname: jobs run
     * one JVM per rank (MPJ's niodev device), started by srun, joined by the job's rendezvous.
     */
    @Nested
    class TwoNodes extends WithCluster {

        TwoNodes() {
            super(2, 8);
        }

        @Test
        void twoJobsAtOnceOnTheSameNodesBothMatchSerial(@TempDir Path dir) {
            // Held, then released together: both run on both nodes at the same time, each
            // with its own rendezvous port and its own niodev ports (8 CPUs a node: both fit).
            String diff2d = slurm.submit(dir, "--hold", "-N", "2", "-n", "4", "jobs/diff2d.slurm", "--runtime", RUNTIME);
            String auc = slurm.submit(dir, "--hold", "-N", "2", "-n", "2", "--cpus-per-task", "2", "jobs/auc.slurm");
            Halo.Result released = slurm.client(Halo.ROOT, List.of("scontrol", "release", diff2d + "," + auc));
            assertEquals(0, released.exitStatus(), released.stderr());

            Finished field = finished(dir, "diff2d", slurm.await(diff2d, JOB_TIMEOUT));
            Finished area = finished(dir, "auc", slurm.await(auc, JOB_TIMEOUT));
            assertCompleted(field, 4, "niodev");
            assertCompleted(area, 2, "niodev");
            for (Finished job : List.of(field, area)) {
                assertEquals("halo-n[1-2]", job.end().nodeList(), job.describe());
                assertTrue(job.output().contains("on 2 nodes: halo-n1 halo-n2 (niodev)"), job.describe());
            }
            assertTrue(area.output().contains("on 2 ranks, 2 CPUs each, on 2 nodes"), area.describe());
            assertTrue(!field.end().start().isAfter(area.end().end()) && !area.end().start().isAfter(field.end().end()),
                    "the two jobs ran at the same time" + field.describe() + area.describe());
            assertArrayEquals(serialField, bytes(field.runDirectory().resolve("final.npy")), field.describe());
            assertArea(area);
        }

        @Test
        void aBadParameterFailsTheJobWithTheOneLineError(@TempDir Path dir) {
            assertFailsWithTheOneLineError(run(slurm, dir, List.of("-N", "2", "-n", "4"), "diff2d", "--dx", "30"));
        }

        /** Every rank a JVM of its own, which sees the request by itself: the Allreduce makes them agree. */
        @Test
        void warnedBeforeItsTimeLimitTheJobCheckpointsRequeuesAndEndsWithTheUninterruptedField(@TempDir Path dir)
                throws Exception {
            assertWarnedJobGoesOn(slurm, dir, List.of("-N", "2", "-n", "4"), 4, "niodev");
        }

        /** A rank's JVM on the second node is killed mid-run: the whole job ends FAILED within seconds. */
        @Test
        void aLostRankEndsTheJobWithinSeconds(@TempDir Path dir) throws Exception {
            String id = slurm.submit(dir, "-N", "2", "-n", "4", "jobs/diff2d.slurm", "--runtime", "60");
            Path lastLog = dir.resolve("runs/diff2d-" + id + "/logs/rank-3.log");
            awaitFile(lastLog, slurm, id);
            ProcessHandle rank = rankOnNode("halo-n2");
            rank.destroyForcibly();
            LocalSlurm.JobEnd end = slurm.await(id, Duration.ofSeconds(60));
            assertEquals("FAILED", end.state(), end.toString());
            assertNotEquals("0:0", end.exitCode(), end.toString());
            assertTrue(end.seconds() < 15, "the job took " + end.seconds() + " s to end after the kill");
            Path run = dir.resolve("runs/diff2d-" + id);
            assertFalse(Files.exists(run.resolve("summary.json")), "a lost rank leaves no summary.json");
            String output = read(dir.resolve("diff2d-" + id + ".out"));
            assertTrue(output.contains("halo job " + id + ": failed"), output);
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Slurm's warning before the time limit, then the requeued job going on. The job asks for
     * SIGUSR1 to its batch script 60 s before its time limit (#SBATCH --signal=B:USR1@60 in
     * jobs/diff2d.slurm), which slurmctld may send up to 60 s earlier than that (sbatch(1): the
     * resolution of its event handling): with a limit of a minute or two, at any moment of any
     * run, the requeued one too. So the job gets {@value #WARNED_TIME_LIMIT_MINUTES} minutes, and
     * the test sends that same signal to that same process with {@code scancel --batch
     * --signal=USR1} as soon as the ranks compute, so that it takes seconds.
     * The ranks must all stop at one step with a checkpoint; the job requeues itself,
     * runs again (as soon as it may: see {@link LocalSlurm#startRequeuedWhenEligible}) in runs/diff2d-ID-2,
     * going on from that checkpoint, and ends with the uninterrupted run's field, bit for bit.
     */
    private static void assertWarnedJobGoesOn(LocalSlurm slurm, Path dir, List<String> shape, int ranks,
                                              String device) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--time=" + WARNED_TIME_LIMIT_MINUTES));
        arguments.addAll(shape);
        arguments.addAll(List.of("jobs/diff2d.slurm", "--runtime", WARNED_RUNTIME, "--halo-depth", WARNED_DEPTH));
        String id = slurm.submit(dir, arguments.toArray(String[]::new));
        Path first = dir.resolve("runs/diff2d-" + id);
        awaitFile(first.resolve("logs/rank-0.log"), slurm, id);
        awaitOutput(first, slurm, id);
        Halo.Result warned = slurm.client(Halo.ROOT, List.of("scancel", "--batch", "--signal=USR1", id));
        assertEquals(0, warned.exitStatus(), warned.stderr());
        slurm.startRequeuedWhenEligible(id, JOB_TIMEOUT);
        Finished job = finished(dir, "diff2d", slurm.await(id, JOB_TIMEOUT));

        Set<Long> stops = new HashSet<>();
        for (int rank = 0; rank < ranks; rank++) {
            RunDirectoryFiles.jsonLog(first, rank).stream().map(line -> line.path("record"))
                    .filter(record -> record.path("event").asText().equals("stopped"))
                    .forEach(record -> stops.add(record.get("step").asLong()));
        }
        assertEquals(1, stops.size(), "every rank stopped, at one step: " + stops + job.describe());
        long step = stops.iterator().next();
        assertEquals(step, RunDirectoryFiles.checkpoint(first).header().step(), job.describe());
        assertFalse(Files.exists(first.resolve("summary.json")), "the first run did not complete" + job.describe());

        Finished resumed = new Finished(job.end(), job.output(), dir.resolve("runs/diff2d-" + id + "-2"));
        assertCompleted(resumed, ranks, device);
        assertEquals(step, summary(resumed.runDirectory()).get("checkpoints").get("restarted_from").get("step").asLong(),
                job.describe());
        assertArrayEquals(serialWarnedField, bytes(resumed.runDirectory().resolve("final.npy")), job.describe());
        for (String line : List.of("SIGUSR1, the time limit is near", "stopped at a checkpoint in runs/diff2d-" + id
                + "; requeuing: the job goes on", "requeued, run 2 of this job: going on from runs/diff2d-" + id + "\n")) {
            assertTrue(job.output().contains(line), "'" + line + "' in the output" + job.describe());
        }
    }

    /** A finished job, its output file and its run directory. */
    record Finished(LocalSlurm.JobEnd end, String output, Path runDirectory) {
        String describe() {
            return "\njob " + end + "\noutput:\n" + output;
        }
    }

    /** {@code sbatch OPTIONS jobs/APP.slurm HALO_ARGUMENTS} in DIR, and waits for the job's end. */
    private static Finished run(LocalSlurm slurm, Path dir, List<String> sbatchOptions, String app,
                                String... haloArguments) {
        List<String> arguments = new ArrayList<>(sbatchOptions);
        arguments.add("jobs/" + app + ".slurm");
        arguments.addAll(List.of(haloArguments));
        String id = slurm.submit(dir, arguments.toArray(String[]::new));
        return finished(dir, app, slurm.await(id, JOB_TIMEOUT));
    }

    /** The job script's name (#SBATCH --job-name) is the app's. */
    private static Finished finished(Path dir, String jobName, LocalSlurm.JobEnd end) {
        // #SBATCH --output=%x-%j.out, in the job's working directory
        return new Finished(end, read(dir.resolve(jobName + "-" + end.id() + ".out")),
                dir.resolve("runs/" + jobName + "-" + end.id()));
    }

    private static void assertCompleted(Finished job, int ranks, String device) {
        assertEquals("COMPLETED", job.end().state(), job.describe());
        assertEquals("0:0", job.end().exitCode(), job.describe());
        assertTrue(Files.isRegularFile(job.runDirectory().resolve("summary.json")), () -> "no summary.json in "
                + job.runDirectory() + "; beside it: " + names(job.runDirectory().getParent()) + job.describe());
        assertEquals("completed", summary(job.runDirectory()).get("status").asText(), job.describe());
        assertEquals(ranks, summary(job.runDirectory()).get("ranks").asInt(), job.describe());
        assertEquals(device, summary(job.runDirectory()).get("device").asText(), job.describe());
        assertEquals(logsOfRanks(ranks), logs(job.runDirectory()), "one log per rank" + job.describe());
        assertTrue(job.output().contains("halo job " + job.end().id() + ": completed"), job.describe());
    }

    private static void assertArea(Finished job) {
        double area = summary(job.runDirectory()).get("result").get("area").asDouble();
        assertEquals(serialArea, area, Math.abs(serialArea) * 1e-12, job.describe());
    }

    private static void assertFailsWithTheOneLineError(Finished job) {
        assertEquals("FAILED", job.end().state(), job.describe());
        assertEquals("2:0", job.end().exitCode(), "Halo's status for bad input" + job.describe());
        String error = "halo diff2d: error: --dx 30: accepted 0 < dx < x2 - x1 = 20.0";
        assertEquals(1, job.output().lines().filter(error::equals).count(), "the error, once" + job.describe());
        assertEquals(1, job.output().lines().filter(l -> l.startsWith("halo diff2d:")).count(), job.describe());
        assertFalse(Files.exists(job.runDirectory().resolve("summary.json")), job.describe());
    }

    private static Set<String> logsOfRanks(int ranks) {
        return Stream.iterate(0, r -> r < ranks, r -> r + 1).flatMap(r -> Stream.of("rank-" + r + ".log",
                "rank-" + r + ".json")).collect(Collectors.toSet());
    }

    private static Set<String> logs(Path runDirectory) {
        return names(runDirectory.resolve("logs"));
    }

    /** The names of the files in {@code directory}, sorted. */
    private static Set<String> names(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the job has created FILE (its ranks are running), failing if the job ends first. */
    private static void awaitFile(Path file, LocalSlurm slurm, String id) throws InterruptedException {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        while (!Files.exists(file)) {
            String state = LocalSlurm.field(slurm.show(id), "JobState");
            if (!Set.of("PENDING", "CONFIGURING", "RUNNING").contains(state) || System.nanoTime() > deadline) {
                fail("job " + id + " is " + state + " and has not written " + file);
            }
            Thread.sleep(200);
        }
    }

    /** Waits until rank 0 has logged its first output: the ranks compute. */
    private static void awaitOutput(Path runDirectory, LocalSlurm slurm, String id) throws InterruptedException {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        while (!RunDirectoryFiles.textLog(runDirectory, 0).contains("output: step")) {
            if (System.nanoTime() > deadline) {
                fail("job " + id + " has not logged an output: " + slurm.show(id));
            }
            Thread.sleep(50);
        }
    }

    /** A Halo rank's JVM running in the network namespace of NODE. */
    private static ProcessHandle rankOnNode(String node) {
        Halo.Result pids = Halo.command(Halo.ROOT, Map.of(), Duration.ofSeconds(10),
                List.of("ip", "netns", "pids", node));
        assertEquals(0, pids.exitStatus(), pids.stderr());
        return pids.stdout().lines().map(Long::parseLong).map(ProcessHandle::of).flatMap(Optional::stream)
                .filter(p -> p.info().commandLine().orElse("").contains("halo.cli.Main"))
                .findFirst().orElseThrow(() -> new AssertionError("no Halo rank runs on " + node));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
