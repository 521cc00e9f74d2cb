package halo.kernel;

/**
 * One rank's strip of the density: its interior rows plus {@code ghostRows} (g) ghost rows
 * above and below and a ghost column on each side, in one flat row-major {@code double[]} per
 * time level.
 *
 * <pre>
 *             col 0   1 ........... ncols   ncols+1
 *   row 0       0   [ ghost: rows of the rank above, or the zero boundary ]  0
 *   ...         0   [ (g rows)                                            ]  0
 *   row g       0   [ first interior row = global row firstRow+1          ]  0
 *   ...         0   [ ...                                                 ]  0
 *   row g+n-1   0   [ last interior row                                   ]  0
 *   row g+n     0   [ ghost: rows of the rank below, or the zero boundary ]  0
 *   ...         0   [ (g rows)                                            ]  0
 * </pre>
 *
 * With g = 1 ghost rows are refreshed every step; with g = k, k rows every k steps (see
 * halo.diff2d.Diff2d). The ghost columns are the zero boundary and stay zero. Row r starts at
 * index {@code r * stride()}, so whole rows go into a message as (array, offset, count).
 * {@code current()} and {@code next()} swap after every step; nothing is allocated then.
 */
public final class Field {

    private final int rows;
    private final int cols;
    private final int firstRow;
    private final int ghostRows;
    private double[] current;
    private double[] next;

    /**
     * @param rows      interior rows of this strip (n above)
     * @param cols      interior columns (ncols)
     * @param firstRow  global 0-based index of the first interior row
     * @param ghostRows ghost rows on each side (g above), at least 1
     */
    public Field(int rows, int cols, int firstRow, int ghostRows) {
        if (ghostRows < 1) {
            throw new IllegalArgumentException("ghostRows " + ghostRows + " < 1");
        }
        this.rows = rows;
        this.cols = cols;
        this.firstRow = firstRow;
        this.ghostRows = ghostRows;
        this.current = new double[(rows + 2 * ghostRows) * (cols + 2)];
        this.next = new double[current.length];
    }

    /** A strip with one ghost row on each side. */
    public Field(int rows, int cols, int firstRow) {
        this(rows, cols, firstRow, 1);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int firstRow() {
        return firstRow;
    }

    /** Array row of the first interior row: g. */
    public int firstInteriorRow() {
        return ghostRows;
    }

    /** Array row of the last interior row: g + n - 1. */
    public int lastInteriorRow() {
        return ghostRows + rows - 1;
    }

    /** Distance between the starts of two rows: cols + 2. */
    public int stride() {
        return cols + 2;
    }

    /** Index of the first cell (ghost column) of array row {@code row}. */
    public int rowStart(int row) {
        return row * stride();
    }

    public double[] current() {
        return current;
    }

    public double[] next() {
        return next;
    }

    public void swap() {
        double[] t = current;
        current = next;
        next = t;
    }
}
