package halo.params;

import java.util.Map;

import halo.kernel.Kernels;

/**
 * How diff2d runs, not what it computes: the field is bitwise the same whatever these are.
 * Defaults chosen from measurements (README, Performance).
 *
 * @param haloDepth    ghost rows exchanged at a time, every haloDepth steps (auto:
 *                     {@link #AUTO_HALO_DEPTH}, or fewer when the strips are thinner)
 * @param overlap      post the exchange without blocking and update the rows that need no
 *                     ghost row while the messages travel
 * @param threads      threads updating each rank's strip
 * @param backgroundIo write snapshots on a thread of their own, off the time-step loop
 * @param kernels      the form of the stencil ({@link KernelChoice})
 * @param temporalBlocking carry blocks of rows through the steps between two exchanges while
 *                     they are in the cache ({@link halo.kernel.Wavefront}), with one thread
 */
public record Diff2dTuning(int haloDepth, boolean overlap, int threads, boolean backgroundIo, Kernels kernels,
                           boolean temporalBlocking) {

    /** Ghost rows per exchange when not given: fewer messages, little recomputed overlap. */
    public static final int AUTO_HALO_DEPTH = 16;
    /** More threads than this in one rank is surely a typing error. */
    public static final int MAX_THREADS = 1024;
    /** Where the default thread count comes from: Slurm's --cpus-per-task. */
    public static final String THREADS_VARIABLE = "SLURM_CPUS_PER_TASK";

    /** The tuning of a run of {@code nrows} rows on {@code ranks} ranks. */
    public static Diff2dTuning from(ParameterSource source, int nrows, int ranks) {
        return from(source, nrows, ranks, System.getenv());
    }

    /** @param environment where the default thread count is looked up */
    public static Diff2dTuning from(ParameterSource source, int nrows, int ranks, Map<String, String> environment) {
        int thinnest = nrows / ranks;
        int haloDepth;
        if (source.is("halo-depth", "auto")) {
            haloDepth = Math.max(1, Math.min(AUTO_HALO_DEPTH, thinnest));
        } else {
            haloDepth = source.positiveInt("halo-depth", Diff2dParams.MAX_ROWS);
            if (haloDepth > thinnest) {
                throw source.rejected("halo-depth", "1 to " + thinnest + " at -np " + ranks
                        + " (the thinnest strip has int(nrows/np) = " + thinnest + " rows); or auto");
            }
        }
        boolean overlap = source.bool("overlap");
        int threads = source.is("threads", "auto")
                ? threadsFrom(environment.get(THREADS_VARIABLE))
                : source.positiveInt("threads", MAX_THREADS);
        return new Diff2dTuning(haloDepth, overlap, threads, source.bool("background-io"), KernelChoice.from(source),
                source.bool("temporal-blocking"));
    }

    private static int threadsFrom(String cpusPerTask) {
        if (cpusPerTask == null || cpusPerTask.isBlank()) {
            return 1;
        }
        try {
            int threads = Integer.parseInt(cpusPerTask.trim());
            if (threads >= 1 && threads <= MAX_THREADS) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException("--threads auto: " + THREADS_VARIABLE + "=" + cpusPerTask
                + " is not a thread count; accepted 1 to " + MAX_THREADS + " (or give --threads N)");
    }
}
