package halo.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import halo.io.Quote;
import halo.parallel.Agreement;
import halo.parallel.CommunicationException;
import halo.parallel.Communicator;
import halo.parallel.Launch;
import halo.params.ParameterException;
import halo.report.ReportCommand;
import halo.params.RankJvm;
import halo.params.ResourceLimitException;
import halo.run.RunContext;
import halo.run.RunStopped;
import halo.run.Startup;
import halo.run.Version;

/**
 * Entry point of every rank: {@code mpjrun.sh -np N -jar halo.jar PROGRAM [options]}, or
 * {@code java -jar halo.jar PROGRAM [options]} for one rank without MPJ Express.
 *
 * <p>Exit status: 0 when the run completed, 2 for a bad option or parameter (reported once,
 * by one rank, after all ranks agreed on it), 1 when anything failed while running or the run
 * does not fit the JVM's heap (refused as bad input is, before it starts), 3 when the run
 * stopped early at a checkpoint as asked ({@link halo.run.StopRequest}). A failing
 * rank ends its whole JVM at once: in multicore mode that is every rank, and no rank is left
 * waiting in a receive.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;
    /** Stopped early on request, every rank at the same step, after writing a checkpoint. */
    static final int STOPPED = 3;
    /** Bounded: the reporting rank's own exit normally ends the wait at once. */
    private static final long REPORT_GRACE_MILLIS = 10_000;
    /**
     * How long rank 0 waits, after refusing bad input before MPI.Init, before it leaves: its exit
     * makes srun end the other ranks, and one ended before it came to the same verdict would
     * leave with a signal's status instead of bad input's.
     */
    private static final long ROOT_LEAVES_AFTER_MILLIS = 3_000;
    /**
     * How long a rank that lost the connection to another rank's JVM keeps quiet: whoever
     * supervises the ranks (mpjrun.sh -dev niodev, srun --kill-on-bad-exit) saw that rank end,
     * says why, and ends this one meanwhile, so the user reads the cause and not its echoes.
     */
    private static final long PEER_LOSS_GRACE_MILLIS = 5_000;

    /** The sub-command that reads run directories: plain Java, no ranks (halo.report). */
    static final String REPORT = "report";
    /** What {@code report} says when it is started as ranks (by a launcher, or by its pre-flight). */
    static final String REPORT_AS_RANKS = "halo report: error: report reads run directories and starts no ranks;"
            + " run it as java -jar halo.jar report RUN_DIR...";

    private Main() {}

    /** {@code halo report ...}, which reads files only: started as ranks, it says how to run it, once. */
    private static int report(String[] arguments, String[] userArguments) {
        boolean startedAsRanks = userArguments.length != arguments.length; // MPJ's rank, size, device came first
        if (startedAsRanks) {
            if (System.getProperties().putIfAbsent("halo.failure.reported", REPORT) == null) {
                System.err.println(REPORT_AS_RANKS);
            }
            return BAD_INPUT;
        }
        return ReportCommand.run(java.util.Arrays.copyOfRange(arguments, 1, arguments.length), System.out, System.err);
    }

    public static void main(String[] arguments) {
        long start = Startup.enterMain();
        System.setProperty("java.awt.headless", "true"); // pictures are drawn off-screen, also on nodes without X
        String[] userArguments = Launch.userArguments(arguments);
        if (userArguments.length > 0 && userArguments[0].equals(REPORT)) {
            System.exit(report(arguments, userArguments));
        }
        Parsed parsed = Parsed.of(userArguments);
        parsed.startWarmUp(); // while MPI.Init and the logs are set up
        Launch.RankOfRun ownJvm = Launch.ownJvmRank(arguments);
        if (ownJvm != null) {
            parsed = parsed.planned(ownJvm.size());
            refuseBeforeInit(ownJvm, userArguments, parsed);
        }
        long parsedAt = System.nanoTime();
        Communicator communicator;
        try {
            communicator = Launch.communicator(arguments);
        } catch (RuntimeException | LinkageError e) {
            System.err.println("halo: error: cannot start MPJ Express: " + e);
            System.exit(FAILED);
            return;
        }
        int status = run(communicator, userArguments, parsed, Startup.afterInit(start, parsedAt));
        if (status == OK) {
            communicator.close();
            if (communicator.ranksShareJvm()) {
                return; // the multicore launcher ends the JVM once every rank has returned
            }
        }
        System.exit(status);
    }

    /**
     * The command line read once, as the rank starts: what it asks for, or what is wrong with it;
     * and the run planned, where that is done before MPI.Init.
     */
    private record Parsed(Invocation invocation, Program.Plan plan, RuntimeException error) {

        static Parsed of(String[] arguments) {
            try {
                return new Parsed(Invocation.parse(arguments), null, null);
            } catch (RuntimeException e) {
                return new Parsed(null, null, e);
            }
        }

        /** With the run planned for {@code ranks} ranks, if a run is asked for. */
        Parsed planned(int ranks) {
            if (invocation == null || invocation.action() != Invocation.Action.RUN) {
                return this;
            }
            try {
                return new Parsed(invocation, invocation.program().plan(invocation.source(), ranks), null);
            } catch (RuntimeException e) {
                return new Parsed(null, null, e);
            }
        }

        /** The JIT warm-up of the run asked for, if a run is asked for. */
        void startWarmUp() {
            if (invocation != null && invocation.action() == Invocation.Action.RUN) {
                try {
                    invocation.program().startWarmUp(invocation.source());
                } catch (RuntimeException e) {
                    // a parameter the run will report, once: nothing to warm up
                }
            }
        }
    }

    /**
     * A rank with a JVM of its own refuses bad input before MPI.Init, as the launcher's
     * {@link Preflight} does where there is one (a multi-node Slurm job has none): every rank
     * comes to the same verdict; rank 0 says it, the others leave silently once it had time to.
     */
    private static void refuseBeforeInit(Launch.RankOfRun rank, String[] arguments, Parsed parsed) {
        if (!(parsed.error() instanceof ParameterException e)) {
            return;
        }
        // Once one rank has left, srun --kill-on-bad-exit ends the others with SIGTERM: their
        // verdict stands, and the job's status must be that of bad input, not of a signal.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Runtime.getRuntime().halt(BAD_INPUT)));
        if (rank.rank() == 0) {
            System.err.println(Quote.line(label(arguments) + ": error: " + e.getMessage()));
            System.err.flush();
            pause(ROOT_LEAVES_AFTER_MILLIS); // the ranks whose JVMs started later come to their verdict too
        } else {
            pause(REPORT_GRACE_MILLIS); // whoever supervises the ranks ends this one when rank 0 exits
        }
        System.exit(BAD_INPUT);
    }

    /** "halo diff2d", or "halo" before a program is named: how errors start. */
    static String label(String[] arguments) {
        return arguments.length > 0 && !arguments[0].startsWith("-") ? "halo " + arguments[0] : "halo";
    }

    private static int run(Communicator communicator, String[] arguments, Parsed parsed, Startup start) {
        String name = label(arguments);
        boolean debug = java.util.Arrays.asList(arguments).contains("--debug");
        try {
            if (parsed.error() instanceof ParameterException e) {
                return reportOnce(communicator, name, e);
            } else if (parsed.error() != null) {
                throw parsed.error();
            }
            Invocation invocation = parsed.invocation();
            if (agreedFailure(communicator, null)) {
                return BAD_INPUT;
            }
            switch (invocation.action()) {
                case HELP -> say(communicator, invocation.help());
                case VERSION -> say(communicator, "Halo " + Version.get());
                case RUN -> {
                    return run(communicator, invocation, parsed.plan(), name, start);
                }
            }
            return OK;
        } catch (Throwable e) {
            reportFailure(communicator, name, e, debug);
            return FAILED;
        }
    }

    private static int run(Communicator communicator, Invocation invocation, Program.Plan planned, String name,
                           Startup start) {
        Program.Job job = null;
        boolean trace = false;
        ParameterException badInput = null;
        ResourceLimitException tooLarge = null;
        try {
            Program.Plan plan = planned != null ? planned
                    : invocation.program().plan(invocation.source(), communicator.size());
            boolean shared = communicator.ranksShareJvm();
            job = plan.prepare(RankJvm.current(shared ? communicator.size() : 1, shared || communicator.isRoot()));
            trace = invocation.source().bool("trace");
        } catch (ParameterException e) {
            badInput = e;
        } catch (ResourceLimitException e) {
            tooLarge = e;
        }
        // two verdicts, in this order on every rank: bad input wins over a run too large
        if (agreedFailure(communicator, badInput == null ? null : name + ": error: " + badInput.getMessage())) {
            return BAD_INPUT;
        }
        if (agreedFailure(communicator, tooLarge == null ? null : name + ": error: " + tooLarge.getMessage())) {
            return FAILED;
        }
        // Input each rank checks a part of (diff2d: its rows of a checkpoint) is judged here, all
        // ranks together: not in plan(), which runs where the ranks cannot talk yet (the
        // launcher's pre-flight, a rank's own JVM before MPI.Init); after the verdicts above, so
        // that every rank takes part; before RunContext.open, so that bad input leaves no run
        // directory behind.
        try {
            job.checkInput(communicator);
        } catch (ParameterException e) {
            return reportOnce(communicator, name, e);
        }
        RunContext context;
        try {
            context = RunContext.open(communicator, invocation.program().name(), invocation.out(), start, trace,
                    job.decomposition());
        } catch (ParameterException e) {
            return reportOnce(communicator, name, e);
        }
        try {
            job.run(context);
            return OK;
        } catch (RunStopped stopped) {
            return STOPPED;
        } catch (Throwable e) {
            context.log().error("rank " + communicator.rank() + " failed", e);
            throw e;
        }
    }

    /**
     * Every rank calls this once at the same point, failed or not. All ranks learn whether any
     * failed; the lowest failing rank prints its message; the barrier lets it finish printing
     * before a rank's exit can end the JVM that all ranks share.
     */
    private static boolean agreedFailure(Communicator communicator, String messageLine) {
        int failing = communicator.lowestFailingRank(messageLine != null);
        if (failing < 0) {
            return false;
        }
        if (failing == communicator.rank()) {
            System.err.println(Quote.line(messageLine));
            System.err.flush();
        }
        communicator.barrier();
        return true;
    }

    private static int reportOnce(Communicator communicator, String name, ParameterException e) {
        agreedFailure(communicator, name + ": error: " + e.getMessage());
        return BAD_INPUT;
    }

    private static void reportFailure(Communicator communicator, String name, Throwable e, boolean debug) {
        if (e instanceof Agreement.FailedOnAnotherRank) {
            awaitReportingRank(); // rank 0 reports a failure all ranks agreed on, once
        }
        // Ranks that share a JVM (multicore mode) often fail together (all out of memory, say);
        // the first one reports for all, and its exit ends the others. System properties are
        // the one table the ranks' separate class loaders share.
        if (communicator.ranksShareJvm()
                && System.getProperties().putIfAbsent("halo.failure.reported", name) != null) {
            awaitReportingRank();
        }
        if (!communicator.ranksShareJvm() && CommunicationException.isPeerLost(e)) {
            pause(PEER_LOSS_GRACE_MILLIS);
        }
        String where = communicator.size() > 1 ? "rank " + communicator.rank() + ": " : "";
        Throwable shown = e instanceof UncheckedIOException wrapper ? wrapper.getCause() : e; // its message says it all
        String what = shown.getMessage() != null ? shown.getMessage() : shown.getClass().getName();
        System.err.println(Quote.line(name + ": error: " + where + what.lines().findFirst().orElse(what)
                + (debug ? "" : " (--debug shows the stack trace)")));
        if (debug) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            System.err.print(trace);
        }
        System.err.flush();
    }

    /** Gives the rank that reports a shared failure time to print before this rank's exit ends the JVM. */
    private static void awaitReportingRank() {
        pause(REPORT_GRACE_MILLIS);
        System.exit(FAILED);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void say(Communicator communicator, String text) {
        if (communicator.isRoot()) {
            System.out.print(text.endsWith("\n") ? text : text + "\n");
            System.out.flush();
        }
    }
}
