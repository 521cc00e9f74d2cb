package halo.parallel;

/**
 * The ghost-row exchange of a row-strip decomposition: the one place where neighbouring
 * ranks trade rows. The strip is a flat row-major array of {@code rows + 2} rows of
 * {@code stride} values; row 0 and row {@code rows + 1} are the ghost rows.
 *
 * <pre>
 *   rank r-1:  ... [its last row]  ----->  row 0 of rank r
 *   rank r:    row 1               ----->  ghost below rank r-1
 *   rank r:    row rows            ----->  row 0 of rank r+1
 *   rank r+1:  row 1               ----->  row rows+1 of rank r
 * </pre>
 *
 * The first rank's upper ghost and the last rank's lower ghost are the boundary and are left
 * alone (MPJ Express's PROC_NULL does not work, so edges are branched on). Two sweeps, each
 * a chain that ends at an edge rank, so no cycle of blocking sends can form.
 */
public final class HaloExchange {

    private static final int TAG_DOWNWARD = 11;
    private static final int TAG_UPWARD = 12;

    private final Communicator communicator;
    private final int above;
    private final int below;

    public HaloExchange(Communicator communicator) {
        this.communicator = communicator;
        int rank = communicator.rank();
        this.above = rank > 0 ? rank - 1 : -1;
        this.below = rank < communicator.size() - 1 ? rank + 1 : -1;
    }

    /** Fills both ghost rows of {@code strip} from the neighbours' edge rows. */
    public void exchange(double[] strip, int stride, int rows) {
        int firstRow = stride;
        int lastRow = rows * stride;
        int ghostAbove = 0;
        int ghostBelow = (rows + 1) * stride;
        // Downward sweep: my last row becomes the upper ghost of the rank below.
        shift(strip, lastRow, below, ghostAbove, above, stride, TAG_DOWNWARD);
        // Upward sweep: my first row becomes the lower ghost of the rank above.
        shift(strip, firstRow, above, ghostBelow, below, stride, TAG_UPWARD);
    }

    private void shift(double[] strip, int sendOffset, int destination,
                       int receiveOffset, int source, int count, int tag) {
        if (destination >= 0 && source >= 0) {
            communicator.sendReceive(strip, sendOffset, destination, strip, receiveOffset, source, count, tag);
        } else if (destination >= 0) {
            communicator.send(strip, sendOffset, count, destination, tag);
        } else if (source >= 0) {
            communicator.receive(strip, receiveOffset, count, source, tag);
        }
    }
}
