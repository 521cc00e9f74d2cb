package halo.kernel;

/**
 * The course's integrand f(x) = 0.7x³ - 2x² + 4 and its left Riemann sum over a block of
 * sample indices. Samples are x = i·dx (not x += dx), so a block's sum depends only on its
 * index range and any split of the range across ranks samples the same points.
 *
 * <p>Like {@link Stencil}, two implementations of one order of operations, bitwise equal
 * ({@link Kernels}): the Vector API, or the scalar loop.
 */
public final class Integrand {

    /**
     * Lanes of independent partial sums: breaks the add dependency chain, limits rounding, and
     * is one 512-bit vector (two of 256 bits) in the vector kernel.
     */
    static final int LANES = 8;
    /** Samples per chunk whose lane sums are folded into the compensated total. */
    static final int CHUNK = 1024;

    /** The integral of f over [0, 3], what the sums converge to: 0.7·3⁴/4 - 2·3³/3 + 4·3. */
    public static final double EXACT_AREA = 8.175;

    private Integrand() {}

    public static double f(double x) {
        return (0.7 * x - 2.0) * x * x + 4.0;
    }

    /**
     * Sum of f(i·dx) for i in [from, to), without the factor dx. Partial sums per chunk are
     * added with Kahan compensation, so the error stays near one rounding whatever the count.
     */
    public static double sum(Kernels kernels, long from, long to, double dx) {
        return kernels == Kernels.VECTOR ? IntegrandVector.sum(from, to, dx) : sumScalar(from, to, dx);
    }

    /** The scalar loop: the reference the vector kernel must equal bit for bit. */
    static double sumScalar(long from, long to, double dx) {
        double total = 0.0;
        double compensation = 0.0;
        long i = from;
        while (i < to) {
            long chunkEnd = Math.min(to, i + CHUNK);
            double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0;
            // the index counted as a double, exact below 2^53 as in the vector kernel: the same
            // samples, without a long-to-double conversion per sample, which some x86 CPUs
            // (Xeons with AVX-512) run at a tenth of the loop's speed
            double index = i;
            for (; i + LANES <= chunkEnd; i += LANES, index += LANES) {
                s0 += f(index * dx);
                s1 += f((index + 1) * dx);
                s2 += f((index + 2) * dx);
                s3 += f((index + 3) * dx);
                s4 += f((index + 4) * dx);
                s5 += f((index + 5) * dx);
                s6 += f((index + 6) * dx);
                s7 += f((index + 7) * dx);
            }
            for (; i < chunkEnd; i++) {
                s0 += f(i * dx);
            }
            double y = fold(s0, s1, s2, s3, s4, s5, s6, s7) - compensation;
            double t = total + y;
            compensation = (t - total) - y;
            total = t;
        }
        return total;
    }

    /** The lanes of a chunk added pairwise, in one fixed order. */
    static double fold(double s0, double s1, double s2, double s3, double s4, double s5, double s6, double s7) {
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
