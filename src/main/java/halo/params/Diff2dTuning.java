package halo.params;

import java.util.Map;

import halo.io.Quote;
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
 * @param autoDepth    the halo depth is Halo's choice, not the user's
 */
public record Diff2dTuning(int haloDepth, boolean overlap, int threads, boolean backgroundIo, Kernels kernels,
                           boolean temporalBlocking, boolean autoDepth) {

    /**
     * What one halo exchange costs a rank, in cell updates: MPJ's work for its four messages
     * and the waits for its neighbours (docs/performance.md, --halo-depth).
     */
    static final double EXCHANGE_COST_CELLS = 1 << 20;
    /** More threads than this in one rank is surely a typing error. */
    public static final int MAX_THREADS = 1024;
    /** Where the default thread count comes from: Slurm's --cpus-per-task. */
    public static final String THREADS_VARIABLE = "SLURM_CPUS_PER_TASK";
    /**
     * Stencil threads per CPU a JVM runs at about full speed: a team hands every step over
     * between its threads, and with many threads to a CPU each hand-over waits for the
     * scheduler (docs/input.md, Limits: the figures).
     */
    static final int THREADS_PER_CPU = 8;
    /** The limit on a machine of one or two CPUs, where the per-CPU share leaves little room. */
    static final int MIN_THREAD_LIMIT = 16;

    /** The tuning of a run of {@code nrows} rows (of as many cells: the grid is square) on {@code ranks} ranks. */
    public static Diff2dTuning from(ParameterSource source, int nrows, int ranks) {
        return from(source, nrows, ranks, System.getenv());
    }

    /** @param environment where the default thread count is looked up */
    public static Diff2dTuning from(ParameterSource source, int nrows, int ranks, Map<String, String> environment) {
        int thinnest = nrows / ranks;
        int haloDepth;
        boolean autoDepth = source.is("halo-depth", "auto");
        if (autoDepth) {
            haloDepth = autoHaloDepth(nrows, thinnest);
        } else {
            haloDepth = source.positiveInt("halo-depth", thinnest, "1 to " + thinnest + " at -np " + ranks
                    + " (the thinnest strip has int(nrows/np) = " + thinnest + " rows); or auto");
        }
        boolean overlap = source.bool("overlap");
        int threads = source.is("threads", "auto")
                ? threadsFrom(environment.get(THREADS_VARIABLE))
                : source.positiveInt("threads", MAX_THREADS);
        return new Diff2dTuning(haloDepth, overlap, threads, source.bool("background-io"), KernelChoice.from(source),
                source.bool("temporal-blocking"), autoDepth);
    }

    /**
     * This tuning on ranks whose device sends a message of at most {@code eagerBytes} bytes at
     * once: an automatic depth shrinks until one exchange's message of {@code cols} + 2 cells a
     * row fits, since a larger one goes by a rendezvous protocol (MPJ's niodev asks the
     * receiver first: round trips that on the course grid cost more than the fewer exchanges
     * save; docs/performance.md). 61 rows of 268 cells within niodev's 128 KiB. A depth the
     * user chose stays.
     */
    public Diff2dTuning forMessagesUpTo(long eagerBytes, int cols) {
        long rowsFitting = eagerBytes / (Double.BYTES * (cols + 2L));
        if (!autoDepth || haloDepth <= rowsFitting) {
            return this;
        }
        return new Diff2dTuning((int) Math.max(1, rowsFitting), overlap, threads, backgroundIo, kernels,
                temporalBlocking, true);
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

    /**
     * Refuses more stencil threads in {@code jvm} than its CPUs run at about full speed: at most
     * {@value #THREADS_PER_CPU} per CPU (at least {@value #MIN_THREAD_LIMIT}) over all its ranks.
     * One thread per rank is always accepted: it runs no team.
     *
     * @param environment where an automatic thread count came from, for the message
     */
    public void checkThreads(ParameterSource source, RankJvm jvm, Map<String, String> environment) {
        long limit = Math.max(MIN_THREAD_LIMIT, (long) THREADS_PER_CPU * jvm.cpus());
        if (threads == 1 || (long) threads * jvm.ranksHere() <= limit) {
            return;
        }
        long most = Math.max(1, limit / jvm.ranksHere());
        String why = "1 to " + most + " here (at most " + limit + " threads in this JVM: " + THREADS_PER_CPU
                + " per CPU, " + jvm.cpus() + (jvm.cpus() == 1 ? " CPU, " : " CPUs, ") + jvm.ranksHere()
                + (jvm.ranksHere() == 1 ? " rank" : " ranks") + " in it; more stall every step)";
        if (source.is("threads", "auto")) {
            throw new ParameterException("--threads auto: " + THREADS_VARIABLE + "="
                    + Quote.input(environment.getOrDefault(THREADS_VARIABLE, "")) + " asks for " + threads
                    + " threads per rank; accepted " + why + "; or give --threads N");
        }
        throw source.rejected("threads", why + ", or auto");
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
        throw new ParameterException("--threads auto: " + THREADS_VARIABLE + "=" + Quote.input(cpusPerTask)
                + " is not a thread count; accepted 1 to " + MAX_THREADS + " (or give --threads N)");
    }
}
