package halo.kernel;

/**
 * One rank's strip of the density: its interior rows plus a ghost row above and below and a
 * ghost column on each side, in one flat row-major {@code double[]} per time level.
 *
 * <pre>
 *            col 0   1 ........... ncols   ncols+1
 *   row 0      0   [ ghost: last row of the rank above, or the zero boundary ]  0
 *   row 1      0   [ first interior row = global row firstRow+1            ]  0
 *   ...        0   [ ...                                                    ]  0
 *   row n      0   [ last interior row                                     ]  0
 *   row n+1    0   [ ghost: first row of the rank below, or the zero boundary ]  0
 * </pre>
 *
 * The ghost columns are the zero boundary and are never written. Row r starts at index
 * {@code r * stride()}, so a whole row goes into a message as (array, offset, stride).
 * {@code current()} and {@code next()} swap after every step; nothing is allocated then.
 */
public final class Field {

    private final int rows;
    private final int cols;
    private final int firstRow;
    private double[] current;
    private double[] next;

    /**
     * @param rows     interior rows of this strip (n above)
     * @param cols     interior columns (ncols)
     * @param firstRow global 0-based index of the first interior row
     */
    public Field(int rows, int cols, int firstRow) {
        this.rows = rows;
        this.cols = cols;
        this.firstRow = firstRow;
        this.current = new double[(rows + 2) * (cols + 2)];
        this.next = new double[current.length];
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

    /** Distance between the starts of two rows: cols + 2. */
    public int stride() {
        return cols + 2;
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

    /** Index of the first interior cell (row 1, column 1). */
    public int interiorOffset() {
        return stride() + 1;
    }
}
