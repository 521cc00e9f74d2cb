package halo.kernel;

/**
 * The course's tent-shaped initial density a(x)·b(y) on [x1,x2]², with
 * a(x) = 1 - |1 - 4·|(x - (x1+x2)/2)/(x2-x1)|| and x_i = x1 + ((i-1)·(x2-x1))/nrows.
 */
public final class InitialDensity {

    private InitialDensity() {}

    /** The tent profile at global grid index i (1 … nrows are interior). */
    public static double tent(int i, double x1, double x2, int nrows) {
        double x = x1 + ((i - 1) * (x2 - x1)) / nrows;
        return 1 - Math.abs(1 - 4 * Math.abs((x - (x1 + x2) / 2) / (x2 - x1)));
    }

    /** Fills the interior of the strip's current level; the ghost frame stays zero. */
    public static void fill(Field field, double x1, double x2, int nrows) {
        double[] column = new double[field.cols() + 1];
        for (int j = 1; j <= field.cols(); j++) {
            column[j] = tent(j, x1, x2, nrows);
        }
        double[] data = field.current();
        for (int r = 0; r < field.rows(); r++) {
            double a = tent(field.firstRow() + r + 1, x1, x2, nrows);
            int rowStart = field.rowStart(field.firstInteriorRow() + r);
            for (int j = 1; j <= field.cols(); j++) {
                data[rowStart + j] = a * column[j];
            }
        }
    }
}
