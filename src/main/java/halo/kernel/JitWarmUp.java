package halo.kernel;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A run's kernel compiled while the run is still starting. HotSpot runs a method in the
 * interpreter, then compiled by C1, and only after many calls compiled by C2; the Vector API
 * forms are many times slower until C2 has compiled them (until then every vector is an
 * object). Without a warm-up every rank spends its first steps so, and the more ranks share
 * the cores, the later C2 gets to it. With one, a thread calls the kernel on scratch data
 * while the ranks are still starting (their run directory and logs), and their first steps
 * find it compiled. It touches no data of a run, so results are the same.
 *
 * <p>One thread per JVM, shared by the ranks of a multicore run (this class is shared). The
 * system property {@value #PROPERTY}{@code =false} turns it off.
 */
public final class JitWarmUp {

    public static final String PROPERTY = "halo.jit-warm-up";

    /** Calls of the kernel: enough for C2 at mpjrun.sh's thresholds for halo.kernel. */
    private static final int CALLS = 200;
    private static final int ROWS = 16;
    private static final int STEPS = 4;
    /** One chunk of auc's sum a call: short calls, compiled as a method (see startStencil). */
    private static final int SAMPLES = Integrand.CHUNK;

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static volatile boolean stopped;
    /** Where the integrand's sums go, so that the JIT cannot drop the calls. */
    private static volatile double sink;

    private JitWarmUp() {}

    /** Starts the warm-up of diff2d's time step ({@link Wavefront#steps}) on rows of {@code cols} cells. */
    public static void startStencil(Kernels kernels, int cols) {
        if (!claim()) {
            return;
        }
        int stride = cols + 2;
        double[] a = new double[(ROWS + 2) * stride];
        double[] b = new double[a.length];
        for (int i = stride; i < a.length - stride; i++) {
            a[i] = (i % 7) / 8.0;
        }
        // Blocks of one row: each call of the kernel is short, so that C2 compiles it as a method
        // after a few calls. Calls over many rows would spend long in its interpreted loop, and
        // C2 would compile that loop first (on-stack replacement), and loops inside the interpreted
        // vector operations too: compiles the ranks wait for and never use.
        run(() -> Wavefront.steps(kernels, a, b, stride, cols, 1, ROWS, 0, 0, STEPS, 0.25, 1));
    }

    /** Starts the warm-up of auc's sum ({@link Integrand#sum}). */
    public static void startIntegrand(Kernels kernels) {
        if (claim()) {
            run(() -> sink = Integrand.sum(kernels, 0, SAMPLES, 3.0 / SAMPLES));
        }
    }

    /** Whether this caller starts the warm-up: the first in the JVM, unless it is turned off. */
    private static boolean claim() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) && STARTED.compareAndSet(false, true);
    }

    /** Runs {@code call} {@value #CALLS} times on a thread of its own. */
    private static void run(Runnable call) {
        Thread thread = new Thread(() -> {
            for (int i = 0; i < CALLS && !stopped; i++) {
                call.run();
            }
        }, "halo-jit-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Ends the warm-up, if still going: the run's own steps begin, and the cores are theirs. */
    public static void stop() {
        stopped = true;
    }
}
