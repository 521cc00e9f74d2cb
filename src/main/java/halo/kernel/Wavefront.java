package halo.kernel;

/**
 * Several time steps at once on a strip too big for the cache (temporal blocking by time
 * skewing): the rows are cut into blocks, and each block is carried through all the steps
 * before the next block starts, one row further back at each step, so that its rows are
 * still in the cache when the next step reads them. One sweep of memory for many steps,
 * where {@link Stencil#step} step after step sweeps it once a step.
 *
 * <p>Every cell is updated by {@link Stencil#step} from the same five values as step after
 * step would, in the same arithmetic, so the field is bitwise the same; only the order of
 * the updates differs, and it respects every dependency: row r at step t+1 reads rows r-1..r+1
 * at step t, which the same block made one iteration earlier or the block before made; and a
 * block overwrites (two time levels, ping-pong) only step t-1 rows that no later block reads.
 */
public final class Wavefront {

    /** What one block's rows, both time levels, may take of a core's cache (half of a 2 MiB L2). */
    static final int CACHE_BYTES = 1 << 20;

    private Wavefront() {}

    /**
     * The most steps a call can carry with its blocks in {@link #CACHE_BYTES}: a block of as
     * many rows as steps and the rows its skew reaches back, both time levels.
     */
    public static int stepsInCache(int stride) {
        long rowsInCache = CACHE_BYTES / (2L * Double.BYTES * stride);
        return (int) Math.max(1, rowsInCache / 2);
    }

    /**
     * Rows per block for rows of {@code stride} doubles and {@code steps} steps: a block and the
     * {@code steps} rows its skew reaches back, both time levels, within {@link #CACHE_BYTES}.
     */
    public static int blockRows(int stride, int steps) {
        long rowsInCache = CACHE_BYTES / (2L * Double.BYTES * stride);
        return (int) Math.max(Math.max(1, steps), rowsInCache - steps);
    }

    /**
     * Advances {@code steps} steps, step t (0-based) updating rows {@code from + t·shrinkTop}
     * to {@code to - t·shrinkBottom} (array rows; a shrink of 1 on a side whose ghost rows
     * become stale one by one, 0 on a side whose neighbour row stays fixed) from {@code a} into
     * {@code b} for even t, from {@code b} into {@code a} for odd t: as many calls of
     * {@link Stencil#step} would, with {@code a} holding the field at step 0. Afterwards the
     * field is in {@code a} when {@code steps} is even, else in {@code b}.
     */
    public static void steps(Kernels kernels, double[] a, double[] b, int stride, int cols, int from, int to,
                             int shrinkTop, int shrinkBottom, int steps, double factor, int blockRows) {
        for (int low = from; low <= to; low += blockRows) {
            int high = low + blockRows - 1;
            boolean first = low == from;
            boolean last = high >= to;
            for (int t = 0; t < steps; t++) {
                int stepFrom = from + t * shrinkTop;
                int stepTo = to - t * shrinkBottom;
                int rowFrom = first ? stepFrom : Math.max(stepFrom, low - t);
                int rowTo = last ? stepTo : Math.min(stepTo, high - t);
                if (rowFrom <= rowTo) {
                    boolean even = t % 2 == 0;
                    Stencil.step(kernels, even ? a : b, even ? b : a, stride, cols, rowFrom, rowTo, factor);
                }
            }
        }
    }
}
