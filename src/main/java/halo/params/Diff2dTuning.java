package halo.params;

import java.util.Map;

import halo.kernel.Kernels;
import halo.kernel.Wavefront;

/**
 * How diff2d runs, not what it computes: the field is bitwise the same whatever these are.
 * The reasons for each default are in docs/performance.md.
 *
 * @param haloDepth    ghost rows exchanged at a time, every haloDepth steps (auto:
 *                     {@link #autoHaloDepth})
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

    /**
     * What one halo exchange costs a rank, in cell updates: MPJ's work for its four messages
     * and the waits for its neighbours (docs/performance.md, --halo-depth).
     */
    static final double EXCHANGE_COST_CELLS = 1 << 20;
    /** More threads than this in one rank is surely a typing error. */
    public static final int MAX_THREADS = 1024;
    /** Where the default thread count comes from: Slurm's --cpus-per-task. */
    public static final String THREADS_VARIABLE = "SLURM_CPUS_PER_TASK";

    /** The tuning of a run of {@code nrows} rows (of as many cells: the grid is square) on {@code ranks} ranks. */
    public static Diff2dTuning from(ParameterSource source, int nrows, int ranks) {
        return from(source, nrows, ranks, System.getenv());
    }

    /** @param environment where the default thread count is looked up */
    public static Diff2dTuning from(ParameterSource source, int nrows, int ranks, Map<String, String> environment) {
        int thinnest = nrows / ranks;
        int haloDepth;
        if (source.is("halo-depth", "auto")) {
            haloDepth = autoHaloDepth(nrows, thinnest);
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

    /**
     * The halo depth k that costs least for rows of {@code cols} cells, at most {@code thinnest}:
     * an exchange every k steps costs {@link #EXCHANGE_COST_CELLS}/k a step, the ghost rows
     * recomputed between exchanges about k-1 rows a step; the sum is least at
     * k = sqrt(EXCHANGE_COST_CELLS / cols): 63 on the course grid (266 columns). At most the
     * steps temporal blocking carries in the cache ({@link Wavefront#stepsInCache}): 16 on 2000
     * columns, where the model's 23 would fall out of the cache and run slower.
     */
    public static int autoHaloDepth(int cols, int thinnest) {
        int depth = (int) Math.round(Math.sqrt(EXCHANGE_COST_CELLS / cols));
        depth = Math.min(depth, Wavefront.stepsInCache(cols + 2));
        return Math.max(1, Math.min(depth, thinnest));
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
