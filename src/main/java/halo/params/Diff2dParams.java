package halo.params;

/**
 * Parameters of diff2d, validated, with the quantities the course derives from them. The
 * derivation is the course's own, operation for operation, so that every run (serial or at
 * any rank count) does the same arithmetic as diff2d.py.
 *
 * @param nrows interior rows (and columns) of the grid: int((x2-x1)/dx)
 * @param dx    the spacing actually used: (x2-x1)/nrows
 * @param dt    0.25·dx²/D, the edge of stability of the explicit scheme
 * @param nsteps int(runtime/dt)
 * @param nper  steps between outputs: int(outtime/dt), at least 1
 */
public record Diff2dParams(double D, double x1, double x2, double runtime, double dxRequested,
                           double outtime, boolean graphics,
                           int nrows, double dx, double dt, long nsteps, long nper) {

    /**
     * Largest grid: no rank holds more than its strip, so the bound is a strip of one row and a
     * ghost row on each side, 3·(nrows+2) cells, in one Java array; how many ranks a grid
     * needs for its strips to fit is checked with the rank count ({@link #maxStripRows}).
     */
    public static final int MAX_ROWS = 700_000_000;
    /** Cells a Java array can hold (a little below 2^31, as the JDK allocates them). */
    public static final long MAX_ARRAY_CELLS = Integer.MAX_VALUE - 8;
    /** The parameter that bounds the snapshots of a run with graphics. */
    public static final String MAX_SNAPSHOTS = "max-snapshots";
    /** The header of a snapshot's .npy file (halo.io.Npy), for the size a run's snapshots take. */
    private static final long NPY_HEADER_BYTES = 128;

    /** The most rows a strip with {@code ghostRows} ghost rows on each side may have to fit one array. */
    public long maxStripRows(int ghostRows) {
        return stripRowsFitting(ncols(), ghostRows);
    }

    /** The largest nrows whose strips on {@code ranks} ranks, {@code ghostRows} a side, fit one array each. */
    public static int mostRowsFitting(int ranks, int ghostRows) {
        int low = 1;
        int high = MAX_ROWS;
        while (low < high) { // a wider grid has longer rows and more of them a strip
            int middle = (int) ((low + (long) high + 1) / 2);
            if ((middle + ranks - 1L) / ranks <= stripRowsFitting(middle, ghostRows)) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    private static long stripRowsFitting(int ncols, int ghostRows) {
        return MAX_ARRAY_CELLS / (ncols + 2L) - 2L * ghostRows;
    }


    public static Diff2dParams from(ParameterSource source) {
        double D = source.positiveDouble("D");
        double x1 = source.finiteDouble("x1");
        double x2 = source.finiteDouble("x2");
        if (!(x2 > x1)) {
            throw source.rejected("x2", "x2 > x1 = " + x1);
        }
        double width = x2 - x1;
        double dxRequested = source.positiveDouble("dx");
        if (!(dxRequested < width)) {
            throw source.rejected("dx", "0 < dx < x2 - x1 = " + width);
        }
        double rows = width / dxRequested;
        if (rows > MAX_ROWS) {
            throw source.rejected("dx", "dx >= (x2 - x1) / " + MAX_ROWS + " = " + width / MAX_ROWS
                    + " (it gives " + (long) rows + " rows)");
        }
        int nrows = (int) rows;
        double dx = width / nrows;
        double dt = 0.25 * (dx * dx) / D;
        double runtime = source.positiveDouble("runtime");
        long nsteps = (long) (runtime / dt);
        if (nsteps < 1) {
            throw source.rejected("runtime", "runtime >= one time step dt = 0.25*dx^2/D = " + dt);
        }
        double outtime = source.positiveDouble("outtime");
        long nper = Math.max(1, (long) (outtime / dt));
        boolean graphics = source.bool("graphics");
        return new Diff2dParams(D, x1, x2, runtime, dxRequested, outtime, graphics, nrows, dx, dt, nsteps, nper);
    }

    /** Snapshots a run with graphics writes from {@code startStep} on: every nper steps, and step 0 itself. */
    public long snapshots(long startStep) {
        return nsteps / nper - startStep / nper + (startStep == 0 ? 1 : 0);
    }

    /**
     * Refuses a run with graphics that would write more snapshots than {@code max-snapshots}
     * allows: an outtime of one step makes a snapshot pair of files every step.
     */
    public void checkSnapshots(ParameterSource source, long startStep) {
        long snapshots = snapshots(startStep);
        long allowed = source.positiveLong(MAX_SNAPSHOTS);
        if (!graphics || snapshots <= allowed) {
            return;
        }
        long bytes = snapshots * (NPY_HEADER_BYTES + (long) nrows * ncols() * Double.BYTES);
        throw new ParameterException(source.describe("outtime") + ": with graphics, a snapshot every int(outtime/dt) = "
                + nper + (nper == 1 ? " step" : " steps") + " makes " + snapshots + " snapshots (" + 2 * snapshots
                + " files, " + RankJvm.size(bytes) + " of .npy alone), more than " + source.describe(MAX_SNAPSHOTS)
                + " allows; accepted a larger outtime, or --" + MAX_SNAPSHOTS + " " + snapshots + " to write them all");
    }

    public int ncols() {
        return nrows;
    }

    /** The factor (D/dx²)·dt of the update, computed as the course computes it. */
    public double updateFactor() {
        return (D / (dx * dx)) * dt;
    }
}
