package halo.launch;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs an MPJ Express program on the niodev device on this machine, one JVM per rank, without
 * MPJ's daemons: the ranks meet through a {@link Rendezvous} held in this JVM on a loopback
 * port the system picks for the run, which admits only ranks that prove the run's
 * {@link JobSecret} (made here, passed to each rank in its environment), and this JVM
 * supervises them. Their output goes straight
 * to this launcher's stdout and stderr.
 *
 * <p>The first rank to end with a non-zero status (a failure, {@code System.exit(n)}, a signal
 * such as {@code kill -9}) ends every other rank at once (SIGKILL: a niodev rank waiting for a
 * lost peer never returns by itself), and the launcher exits with that status, 128 + N for
 * signal N. So do a rendezvous that fails (a rank that never reports within
 * {@code HALO_RENDEZVOUS_TIMEOUT} seconds, default 60) and ranks still running
 * {@value #LINGER_SECONDS} s after another returned (a peer it still needs is gone): status 1,
 * one line. Exit status 0 only when every rank exited 0. A launcher ended by SIGTERM or SIGINT
 * ends its ranks first.
 *
 * <p>Each rank runs {@link NiodevRank}, which calls the program's main and always ends its JVM.
 *
 * <p>Usage, normally through {@code $MPJ_HOME/bin/mpjrun.sh -dev niodev}, which makes the paths
 * absolute, changes to the working directory ({@code -wdir}) and exports {@code MPJ_HOME}:
 * <pre>
 *   java -cp $MPJ_HOME/lib/halo-launcher.jar halo.launch.NiodevLauncher \
 *        [-np N] [JVM options for every rank] [-cp CLASSPATH] (-jar JAR | MAINCLASS) [args…]
 * </pre>
 * Exit status 2: a bad command line or a program that cannot be launched.
 *
 * <p>JDK only, like the rest of this package (package-info).
 */
public final class NiodevLauncher {

    private static final Duration DEFAULT_RENDEZVOUS_TIMEOUT = Duration.ofSeconds(60);
    /** As {@code srun --wait=60} in slurm/halo-job.sh: how long ranks may go on once one has returned. */
    private static final int LINGER_SECONDS = 60;
    /** Bounded: SIGKILL normally ends a process within milliseconds. */
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final String PREFIX = "mpjrun.sh: ";

    /** How a rank ended ({@code rank} -1: the rendezvous failed, {@code message} says why). */
    private record Ending(int rank, int status, String message) {
    }

    private final List<Process> ranks = new ArrayList<>();
    private final BlockingQueue<Ending> endings = new LinkedBlockingQueue<>();
    private volatile boolean shuttingDown;

    private NiodevLauncher() {
    }

    public static void main(String[] argv) {
        ParentWatch.start(PREFIX);
        int status;
        try {
            LaunchCommand command = LaunchCommand.parse(argv, true);
            Preflight.check(command.classPath, command.mainClass, command.nprocs, command.args);
            status = new NiodevLauncher().run(MpjInstallation.fromEnvironment(), command, rendezvousTimeout());
        } catch (LaunchException e) {
            System.err.println(PREFIX + e.getMessage());
            status = 2;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    private static Duration rendezvousTimeout() {
        String seconds = System.getenv("HALO_RENDEZVOUS_TIMEOUT");
        return seconds == null || seconds.isBlank() ? DEFAULT_RENDEZVOUS_TIMEOUT
                : Duration.ofSeconds(LaunchCommand.positive(seconds.strip(), "HALO_RENDEZVOUS_TIMEOUT"));
    }

    private int run(MpjInstallation mpj, LaunchCommand command, Duration rendezvousTimeout) {
        checkMainClass(mpj, command);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        JobSecret secret = JobSecret.generate();
        try (Rendezvous rendezvous = Rendezvous.open(command.nprocs, loopback, secret)) {
            Thread meeting = new Thread(() -> meet(rendezvous, rendezvousTimeout), "rendezvous");
            meeting.setDaemon(true);
            meeting.start();
            Thread endRanks = new Thread(this::endRanksOnShutdown, "end ranks");
            Runtime.getRuntime().addShutdownHook(endRanks); // SIGTERM, SIGINT: no rank outlives the launcher
            String configuration = Rendezvous.rankConfiguration(command.nprocs, loopback.getHostAddress(),
                    rendezvous.port());
            for (int rank = 0; rank < command.nprocs; rank++) {
                start(rank, rankCommand(mpj, command, rank, configuration), secret);
            }
            int status = supervise(command.nprocs);
            endRanks();
            try {
                Runtime.getRuntime().removeShutdownHook(endRanks);
            } catch (IllegalStateException e) {
                // SIGTERM or SIGINT came meanwhile: the hook ends the ranks, and the JVM
            }
            return status;
        } catch (IOException e) {
            endRanks();
            throw new LaunchException("cannot start the ranks: " + e.getMessage(), e);
        }
    }

    /** A wrong class name or class path is one line here, not one per rank. */
    private static void checkMainClass(MpjInstallation mpj, LaunchCommand command) {
        List<Path> classPath = new ArrayList<>(command.classPath);
        classPath.add(mpj.lib().resolve("mpj.jar"));
        try (URLClassLoader loader = new URLClassLoader(RankClassLoaders.urls(classPath),
                ClassLoader.getPlatformClassLoader())) {
            LaunchCommand.mainMethod(loader, command.mainClass, command.classPath);
        } catch (IOException e) {
            // closing a class loader: nothing to report
        }
    }

    private void meet(Rendezvous rendezvous, Duration timeout) {
        try {
            rendezvous.meet(timeout);
        } catch (Rendezvous.RendezvousException e) {
            endings.add(new Ending(-1, 1, "the ranks did not meet: " + e.getMessage()));
        } catch (IOException e) {
            // the rendezvous was closed: the run has ended already
        }
    }

    /** {@code java [JVM options] -cp launcher:mpj.jar:APP halo.launch.NiodevRank MAINCLASS RANK CONFIGURATION niodev args…}. */
    private static List<String> rankCommand(MpjInstallation mpj, LaunchCommand command, int rank,
                                            String configuration) {
        Path lib = mpj.lib();
        List<String> classPath = new ArrayList<>(List.of(lib.resolve("halo-launcher.jar").toString(),
                lib.resolve("mpj.jar").toString()));
        command.classPath.forEach(entry -> classPath.add(entry.toString()));
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(command.jvmOptions);
        java.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), NiodevRank.class.getName(),
                command.mainClass, Integer.toString(rank), configuration, "niodev"));
        java.addAll(List.of(command.args));
        return java;
    }

    private void start(int rank, List<String> command, JobSecret secret) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(JobSecret.VARIABLE, secret.hex()); // never on the command line
        builder.environment().put(RankRelay.TIMEOUT_VARIABLE, Long.toString(rendezvousTimeout().toSeconds()));
        // a rank ends itself when this launcher is killed with kill -9 (its hooks cannot run)
        builder.environment().put(ParentWatch.VARIABLE, Long.toString(ProcessHandle.current().pid()));
        Process process = builder.start();
        synchronized (ranks) {
            ranks.add(process);
        }
        process.onExit().thenAccept(p -> endings.add(new Ending(rank, p.exitValue(), null)));
    }

    /** Waits for every rank to end; returns the launcher's exit status. */
    private int supervise(int nprocs) {
        long lingerDeadline = 0;
        int firstReturned = -1;
        try {
            for (int ended = 0; ended < nprocs; ) {
                Ending ending = firstReturned < 0 ? endings.take()
                        : endings.poll(lingerDeadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (ending == null) {
                    System.err.println(PREFIX + "rank " + firstReturned + " returned " + LINGER_SECONDS
                            + " s ago and " + stillRunning() + " still running; ended them");
                    return 1;
                }
                if (ending.rank() < 0) {
                    System.err.println(PREFIX + ending.message());
                    return ending.status();
                }
                ended++;
                if (ending.status() != 0) {
                    if (ending.status() > 128 && !shuttingDown) { // the rank could not say why: say it for it
                        System.err.println(PREFIX + "rank " + ending.rank() + " was killed by signal "
                                + (ending.status() - 128) + "; ended the other ranks");
                    }
                    return ending.status();
                }
                if (firstReturned < 0) {
                    firstReturned = ending.rank();
                    lingerDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LINGER_SECONDS);
                }
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** "ranks 1, 2 are" or "rank 1 is". */
    private String stillRunning() {
        List<Integer> running = new ArrayList<>();
        synchronized (ranks) {
            for (int rank = 0; rank < ranks.size(); rank++) {
                if (ranks.get(rank).isAlive()) {
                    running.add(rank);
                }
            }
        }
        String list = running.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return running.size() == 1 ? "rank " + list + " is" : "ranks " + list + " are";
    }

    /** The launcher got SIGTERM or SIGINT: its ranks die of its hand, which is no news to report. */
    private void endRanksOnShutdown() {
        shuttingDown = true;
        endRanks();
    }

    /** SIGKILL to every rank still running, then waits (bounded) until they are gone. */
    private void endRanks() {
        List<Process> started;
        synchronized (ranks) {
            started = List.copyOf(ranks);
        }
        started.forEach(Process::destroyForcibly);
        long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
        for (Process process : started) {
            try {
                process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
