package halo.kernel;

/**
 * One explicit step of 2D diffusion with the 5-point Laplacian, in the course's arithmetic:
 * lapl = d[i+1][j] + d[i-1][j] + d[i][j+1] + d[i][j-1] - 4·d[i][j], added left to right, and
 * next = d + factor·lapl with factor = (D/dx²)·dt. The same operations in the same order on
 * every rank and in the serial run make every run's field bitwise identical.
 *
 * <p>Two implementations of the same arithmetic, bitwise equal ({@link Kernels}): with the JDK's
 * Vector API, or the scalar loop. C2 does not vectorise the scalar loop by itself: it cannot
 * prove that {@code next} is not {@code current}, and then loads at k±1 may depend on the store
 * at k.
 */
public final class Stencil {

    private Stencil() {}

    /**
     * Updates rows {@code fromRow..toRow} (inclusive, array rows) of {@code next} from
     * {@code current}; columns 1..cols, ghost columns untouched (left zero).
     */
    public static void step(Kernels kernels, double[] current, double[] next, int stride, int cols,
                            int fromRow, int toRow, double factor) {
        if (kernels == Kernels.VECTOR) {
            StencilVector.step(current, next, stride, cols, fromRow, toRow, factor);
        } else {
            stepScalar(current, next, stride, cols, fromRow, toRow, factor);
        }
    }

    /** The scalar loop: the reference the vector kernel must equal bit for bit. */
    static void stepScalar(double[] current, double[] next, int stride, int cols,
                           int fromRow, int toRow, double factor) {
        for (int row = fromRow; row <= toRow; row++) {
            int start = row * stride + 1;
            int end = start + cols;
            for (int k = start; k < end; k++) {
                double centre = current[k];
                double laplacian = current[k + stride] + current[k - stride] + current[k + 1] + current[k - 1]
                        - 4.0 * centre;
                next[k] = centre + factor * laplacian;
            }
        }
    }

    /** One step of the whole strip's interior. */
    public static void step(Kernels kernels, Field field, double factor) {
        step(kernels, field.current(), field.next(), field.stride(), field.cols(),
                field.firstInteriorRow(), field.lastInteriorRow(), factor);
    }
}
