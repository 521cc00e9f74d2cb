package halo.launch;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What makes a multicore run's exit status true: every rank's {@code main} is called through
 * {@link #callMain}, which records how it ended, and {@link #await} turns the first failure
 * into status {@value #RANK_FAILED} as soon as it happens. MPJ Express's own
 * {@code MulticoreStarter} calls {@code System.exit(0)} whatever the ranks did.
 *
 * <ul>
 * <li>{@value #SUCCESS}: every rank's {@code main} returned normally;
 * <li>{@value #RANK_FAILED}: a rank's {@code main} threw ({@code rank R failed: …} and the stack
 *     trace on stderr), reported without waiting for the other ranks, which may be blocked in
 *     a receive forever;
 * <li>{@value #CANNOT_LAUNCH}: a bad command line or a program that cannot be launched;
 * <li>n: a rank called {@code System.exit(n)}, which ends the JVM itself.
 * </ul>
 */
final class ExitStatus {
    static final int SUCCESS = 0;
    static final int RANK_FAILED = 1;
    static final int CANNOT_LAUNCH = 2;

    /** One rank's end: {@code error} null when its main returned normally. */
    private record Outcome(int rank, Throwable error) {
    }

    private final int nprocs;
    private final String mainClass;
    private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

    ExitStatus(int nprocs, String mainClass) {
        this.nprocs = nprocs;
        this.mainClass = mainClass;
    }

    /** Calls one rank's main, in the rank's own thread, and records how it ended. */
    void callMain(int rank, Method main, String[] argv) {
        Throwable error = null;
        try {
            main.invoke(null, (Object) argv);
        } catch (InvocationTargetException e) {
            error = e.getCause();
        } catch (Throwable e) { // initialiser errors, access problems
            error = e;
        }
        outcomes.add(new Outcome(rank, error));
    }

    /**
     * Waits until every rank has returned ({@value #SUCCESS}) or one has failed: reports it on
     * stderr, then waits up to {@code graceMillis} for the others, reporting further failures,
     * and returns {@value #RANK_FAILED}.
     */
    int await(long graceMillis) {
        boolean failed = false;
        long deadline = 0;
        int ended = 0;
        try {
            while (ended < nprocs) {
                Outcome o;
                if (!failed) {
                    o = outcomes.take();
                } else {
                    o = outcomes.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (o == null) {
                        break;
                    }
                }
                ended++;
                if (o.error() != null) {
                    reportFailure(o.rank(), o.error(), mainClass);
                    if (!failed) {
                        failed = true;
                        if (graceMillis <= 0) {
                            break;
                        }
                        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RANK_FAILED;
        }
        return failed ? RANK_FAILED : SUCCESS;
    }

    /** {@code rank R failed: <exception>} and its stack trace, cut below the program's main. */
    static void reportFailure(int rank, Throwable error, String mainClass) {
        StackTraceElement[] trace = error.getStackTrace();
        for (int i = trace.length - 1; i >= 0; i--) {
            if (trace[i].getClassName().equals(mainClass) && trace[i].getMethodName().equals("main")) {
                error.setStackTrace(Arrays.copyOf(trace, i + 1));
                break;
            }
        }
        synchronized (System.err) {
            System.err.print("rank " + rank + " failed: ");
            error.printStackTrace(System.err);
            System.err.flush();
        }
    }
}
