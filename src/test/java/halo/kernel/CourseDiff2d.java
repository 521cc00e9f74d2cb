package halo.kernel;

/**
 * The course's diff2d.py transcribed line by line with 2D arrays, as the reference that
 * Halo's flat, strip-decomposed code must match bit for bit.
 */
public final class CourseDiff2d {

    private CourseDiff2d() {}

    /** The final density (npnts × npnts, ghost frame included) after the course's time loop. */
    public static double[][] run(double D, double x1, double x2, double runtime, double dx) {
        int nrows = (int) ((x2 - x1) / dx);
        int ncols = nrows;
        int npnts = nrows + 2;
        dx = (x2 - x1) / nrows;
        double dt = 0.25 * Math.pow(dx, 2) / D;
        long nsteps = (long) (runtime / dt);
        double[] x = new double[npnts];
        for (int i = 0; i < npnts; i++) {
            x[i] = x1 + ((i - 1) * (x2 - x1)) / nrows;
        }
        double[][] dens = new double[npnts][npnts];
        double[][] densnext = new double[npnts][npnts];
        for (int i = 1; i < npnts - 1; i++) {
            double a = 1 - Math.abs(1 - 4 * Math.abs((x[i] - (x1 + x2) / 2) / (x2 - x1)));
            for (int j = 1; j < npnts - 1; j++) {
                double b = 1 - Math.abs(1 - 4 * Math.abs((x[j] - (x1 + x2) / 2) / (x2 - x1)));
                dens[i][j] = a * b;
            }
        }
        double[][] laplacian = new double[npnts][npnts];
        for (long s = 0; s < nsteps; s++) {
            for (int i = 1; i < nrows + 1; i++) {
                for (int j = 1; j < ncols + 1; j++) {
                    laplacian[i][j] = dens[i + 1][j] + dens[i - 1][j] + dens[i][j + 1] + dens[i][j - 1] - 4 * dens[i][j];
                }
            }
            for (int i = 1; i < nrows + 1; i++) {
                for (int j = 1; j < ncols + 1; j++) {
                    densnext[i][j] = dens[i][j] + (D / Math.pow(dx, 2)) * dt * laplacian[i][j];
                }
            }
            double[][] t = dens;
            dens = densnext;
            densnext = t;
        }
        return dens;
    }
}
