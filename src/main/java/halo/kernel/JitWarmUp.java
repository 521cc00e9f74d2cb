package halo.kernel;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The time-step kernel compiled while a run is still starting. HotSpot runs a method in the
 * interpreter, then compiled by C1, and only after many calls compiled by C2; the Vector API
 * forms are many times slower until C2 has compiled them (until then every vector is an
 * object). Without a warm-up every rank spends its first steps so, and the more ranks share
 * the cores, the later C2 gets to it. With one, a thread steps a small scratch strip while the
 * ranks are still starting (MPI.Init, their logs), and their first steps find the kernel
 * compiled. It touches no field of a run, so results are the same.
 *
 * <p>One thread per JVM, shared by the ranks of a multicore run (this class is shared). The
 * system property {@value #PROPERTY}{@code =false} turns it off.
 */
public final class JitWarmUp {

    public static final String PROPERTY = "halo.jit-warm-up";

    /** Calls of {@link Wavefront#steps}: enough for C2 at mpjrun.sh's thresholds for halo.kernel. */
    private static final int CALLS = 200;
    private static final int ROWS = 16;
    private static final int STEPS = 4;

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static volatile boolean stopped;

    private JitWarmUp() {}

    /** Starts the warm-up of {@code kernels} on rows of {@code cols} cells, once per JVM. */
    public static void start(Kernels kernels, int cols) {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> run(kernels, cols), "halo-jit-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Ends the warm-up, if still going: the run's own steps begin, and the cores are theirs. */
    public static void stop() {
        stopped = true;
    }

    private static void run(Kernels kernels, int cols) {
        int stride = cols + 2;
        double[] a = new double[(ROWS + 2) * stride];
        double[] b = new double[a.length];
        for (int i = stride; i < a.length - stride; i++) {
            a[i] = (i % 7) / 8.0;
        }
        for (int call = 0; call < CALLS && !stopped; call++) {
            Wavefront.steps(kernels, a, b, stride, cols, 1, ROWS, 0, 0, STEPS, 0.25, ROWS / 2);
        }
    }
}
