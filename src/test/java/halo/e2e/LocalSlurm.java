package halo.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Slurm on this machine, started and stopped with the project's own
 * {@code slurm/local-cluster.sh}, and the client side of it as a user has it: sbatch from the
 * project directory, {@code scontrol show job} to follow a job.
 *
 * <p>One local cluster per machine (namespaces, bridge and ports are machine-wide): a lock
 * file keeps two test runs (two checkouts, say) from tearing down each other's cluster.
 */
final class LocalSlurm implements AutoCloseable {

    static final Path SCRIPT = Halo.ROOT.resolve("slurm/local-cluster.sh");
    /** Slurm's default state directory of local-cluster.sh. */
    private static final Path CONF = Path.of("/tmp/halo-slurm/slurm.conf");
    private static final Path LOCK = Path.of("/tmp/halo-slurm.lock");
    /** Starting may install Debian's packages first. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LOCK_TIMEOUT = Duration.ofMinutes(10);
    private static final Set<String> FINAL_STATES = Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT",
            "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE");

    /** A job's end as {@code scontrol show job} tells it; {@code seconds} waited for it. */
    record JobEnd(String id, String state, String exitCode, String nodeList, LocalDateTime start,
                  LocalDateTime end, double seconds) {
    }

    private final Thread stopAtExit = new Thread(LocalSlurm::stopCluster, "stop local Slurm");

    private LocalSlurm() {
    }

    /** Holds the machine's local cluster for this JVM; waits (bounded) while another test run has it. */
    static FileLock lockMachine() {
        try {
            FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + LOCK_TIMEOUT.toNanos();
            FileLock lock;
            while ((lock = channel.tryLock()) == null) {
                if (System.nanoTime() > deadline) {
                    channel.close();
                    fail("another test run has held the local Slurm cluster (" + LOCK + ") for "
                            + LOCK_TIMEOUT.toMinutes() + " minutes");
                }
                Thread.sleep(1000);
            }
            return lock;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Ends what a test class held, either of which may be null (its set-up failed first): stops
     * {@code cluster}, then lets another test run have the machine.
     */
    static void release(LocalSlurm cluster, FileLock machine) throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        if (machine != null) {
            machine.release();
            machine.channel().close();
        }
    }

    /** {@code local-cluster.sh start --nodes N}; the cluster is stopped by {@link #close} or at JVM exit. */
    static LocalSlurm start(int nodes, int cpusPerNode) {
        LocalSlurm slurm = new LocalSlurm();
        Runtime.getRuntime().addShutdownHook(slurm.stopAtExit); // also when the test run is interrupted
        Halo.Result started = Halo.command(Halo.ROOT, Map.of(), START_TIMEOUT, List.of(SCRIPT.toString(), "start",
                "--nodes", Integer.toString(nodes), "--cpus", Integer.toString(cpusPerNode)));
        assertEquals(0, started.exitStatus(), "the local Slurm cluster did not start:\n" + started.stderr());
        assertTrue(started.stdout().contains("export SLURM_CONF=" + CONF), started.stdout());
        return slurm;
    }

    @Override
    public void close() {
        stopCluster();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway; stopping twice is harmless
        }
    }

    private static void stopCluster() {
        Halo.Result stopped = Halo.command(Halo.ROOT, Map.of(), CLIENT_TIMEOUT, List.of(SCRIPT.toString(), "stop"));
        assertEquals(0, stopped.exitStatus(), "the local Slurm cluster did not stop:\n" + stopped.stderr());
    }

    /** A Slurm client command (sbatch, scontrol, scancel...) as a user of this cluster runs it. */
    Halo.Result client(Path workDir, List<String> command) {
        return Halo.command(workDir, Map.of("SLURM_CONF", CONF.toString()), CLIENT_TIMEOUT, command);
    }

    /**
     * {@code sbatch --parsable --chdir=WORKDIR ARGS...} from the project directory, as a user
     * submits: the job scripts find Halo in the directory sbatch ran in, and write their
     * output and run directories into the job's working directory.
     */
    Halo.Result sbatch(Path workDir, String... arguments) {
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable", "--chdir=" + workDir));
        command.addAll(List.of(arguments));
        return client(Halo.ROOT, command);
    }

    /** Submits a job that Slurm must accept; returns its id. */
    String submit(Path workDir, String... arguments) {
        Halo.Result submitted = sbatch(workDir, arguments);
        assertEquals(0, submitted.exitStatus(), "sbatch refused " + List.of(arguments) + ":\n" + submitted.stderr());
        String id = submitted.stdout().strip();
        assertTrue(id.matches("\\d+"), "sbatch --parsable printed '" + id + "'");
        return id;
    }

    /** {@code scontrol show job ID} in one line. */
    String show(String id) {
        Halo.Result shown = client(Halo.ROOT, List.of("scontrol", "show", "job", "--oneliner", id));
        assertEquals(0, shown.exitStatus(), "scontrol show job " + id + ":\n" + shown.stderr());
        return shown.stdout();
    }

    static String field(String job, String name) {
        Matcher m = Pattern.compile("(?:^|\\s)" + name + "=(\\S*)").matcher(job);
        assertTrue(m.find(), "no " + name + " in: " + job);
        return m.group(1);
    }

    /**
     * Waits until the job, requeued, is pending again and eligible, then has it scheduled at
     * once. Slurm holds a requeued job back until its credential has expired (6 s on this
     * cluster), and would then start it at its next scheduling pass, up to half a minute later;
     * {@code scontrol update StartTime=now}, which its owner may do, starts it at once.
     */
    void startRequeuedWhenEligible(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String job = show(id);
        while (!field(job, "JobState").equals("PENDING") || field(job, "Restarts").equals("0")
                || LocalDateTime.parse(field(job, "EligibleTime")).isAfter(LocalDateTime.now())) {
            if (FINAL_STATES.contains(field(job, "JobState")) || System.nanoTime() > deadline) {
                client(Halo.ROOT, List.of("scancel", id));
                fail("job " + id + " was not requeued and eligible within " + timeout.toSeconds() + " s: " + job
                        + outputOf(job));
            }
            pause();
            job = show(id);
        }
        Halo.Result started = client(Halo.ROOT, List.of("scontrol", "update", "JobId=" + id, "StartTime=now"));
        assertEquals(0, started.exitStatus(), started.stderr());
    }

    /** Polls the job's state until it is final; a job still going after {@code timeout} is cancelled and fails the test. */
    JobEnd await(String id, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            String job = show(id);
            String state = field(job, "JobState");
            if (FINAL_STATES.contains(state)) {
                return new JobEnd(id, state, field(job, "ExitCode"), field(job, "NodeList"),
                        LocalDateTime.parse(field(job, "StartTime")), LocalDateTime.parse(field(job, "EndTime")),
                        (System.nanoTime() - start) * 1e-9);
            }
            if (System.nanoTime() > deadline) {
                client(Halo.ROOT, List.of("scancel", id));
                fail("job " + id + " still " + state + " after " + timeout.toSeconds() + " s: " + job + outputOf(job));
            }
            pause();
        }
    }

    /** The job's output so far (its StdOut file), for a failure's message: the test's directory goes with it. */
    private static String outputOf(String job) {
        Path file = Path.of(field(job, "StdOut"));
        try {
            return "\njob output (" + file + "):\n" + Files.readString(file);
        } catch (IOException e) {
            return "\nno job output: " + e;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
