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
        return sum(kernels, from, to, dx, SAMPLES_PER_CALL);
    }

    /**
     * Samples per call of a kernel, a whole number of chunks: the chunks and their order are
     * those of one call over the whole range, so the sum is the same. Many short calls rather
     * than one long one: a rank's call that starts before C2 has compiled the kernel (the JIT
     * warm-up still at it) is soon followed by calls that run the compiled code.
     */
    static final long SAMPLES_PER_CALL = 8L * CHUNK;

    static double sum(Kernels kernels, long from, long to, double dx, long samplesPerCall) {
        CompensatedSum total = new CompensatedSum();
        for (long start = from; start < to; start += samplesPerCall) {
            long end = Math.min(to, start + samplesPerCall);
            if (kernels == Kernels.VECTOR) {
                IntegrandVector.addChunks(start, end, dx, total);
            } else {
                addChunksScalar(start, end, dx, total);
            }
        }
        return total.value();
    }

    /** The scalar loop: the reference the vector kernel must equal bit for bit. */
    static void addChunksScalar(long from, long to, double dx, CompensatedSum total) {
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
            total.add(fold(s0, s1, s2, s3, s4, s5, s6, s7));
        }
    }

    /** The chunks' sums added with Kahan compensation, carried from one call of a kernel to the next. */
    static final class CompensatedSum {
        private double total;
        private double compensation;

        void add(double chunk) {
            double y = chunk - compensation;
            double t = total + y;
            compensation = (t - total) - y;
            total = t;
        }

        double value() {
            return total;
        }
    }

    /** The lanes of a chunk added pairwise, in one fixed order. */
    static double fold(double s0, double s1, double s2, double s3, double s4, double s5, double s6, double s7) {
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
