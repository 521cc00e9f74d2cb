package halo.parallel;

/**
 * The ghost-row exchange of a row-strip decomposition: the one place where neighbouring
 * ranks trade rows. The strip is a flat row-major array of {@code rows + 2·depth} rows of
 * {@code stride} values: {@code depth} ghost rows, the interior rows, {@code depth} ghost rows.
 *
 * <pre>
 *   rank r-1:  ... [its last depth rows]  ----->  ghost rows above rank r
 *   rank r:    first depth rows           ----->  ghost rows below rank r-1
 *   rank r:    last depth rows            ----->  ghost rows above rank r+1
 *   rank r+1:  first depth rows           ----->  ghost rows below rank r
 * </pre>
 *
 * The first rank's upper ghosts and the last rank's lower ghosts are the boundary and are left
 * alone (MPJ Express's PROC_NULL does not work, so edges are branched on).
 *
 * <p>Two ways, the same rows: {@link #exchange} blocks, in two sweeps of Sendrecv, each a chain
 * that ends at an edge rank, so no cycle of blocking sends can form; {@link #start} posts all
 * four messages without blocking and {@link #finish} waits for them, so that a step can update
 * the rows that need no ghost row while the messages travel.
 *
 * <p>It counts what it does ({@link #totals}): messages and bytes, and its time in three
 * parts. With start/finish, posting (MPJ Express packs the sent rows into its own buffers
 * there) is told apart from waiting for the neighbours' rows in finish; a blocking exchange
 * waits and copies inside one Sendrecv, so its time is one figure. Two clock readings per
 * call, next to a message of at least a row.
 */
public final class HaloExchange {

    private static final int TAG_DOWNWARD = 11;
    private static final int TAG_UPWARD = 12;

    private final Communicator communicator;
    private final int above;
    private final int below;
    private final int count;
    private final int firstRows;
    private final int lastRows;
    private final int ghostsAbove;
    private final int ghostsBelow;
    private final Communicator.Request[] pending = new Communicator.Request[4];
    private int pendingCount;
    /** Messages each way per exchange: one per neighbour. */
    private final int neighbours;
    private long blockingExchanges;
    private long startedExchanges;
    private long blockingNanos;
    private long postNanos;
    private long waitNanos;

    /**
     * @param stride values per row
     * @param rows   interior rows of this rank's strip, at least {@code depth}
     * @param depth  ghost rows on each side, all exchanged at once
     */
    public HaloExchange(Communicator communicator, int stride, int rows, int depth) {
        if (depth < 1 || depth > rows) {
            throw new IllegalArgumentException("halo depth " + depth + " outside 1.." + rows);
        }
        this.communicator = communicator;
        int rank = communicator.rank();
        this.above = rank > 0 ? rank - 1 : -1;
        this.below = rank < communicator.size() - 1 ? rank + 1 : -1;
        this.count = depth * stride;
        this.ghostsAbove = 0;
        this.firstRows = depth * stride;
        this.lastRows = rows * stride;
        this.ghostsBelow = (depth + rows) * stride;
        this.neighbours = (above >= 0 ? 1 : 0) + (below >= 0 ? 1 : 0);
    }

    /**
     * What this rank's exchanges did so far.
     *
     * @param exchanges        exchanges done (blocking or started)
     * @param blockingSeconds  in {@link #exchange}: waiting and copying, not told apart
     * @param postSeconds      in {@link #start}: posting the messages, packing the sent rows
     * @param waitSeconds      in {@link #finish}: waiting for the neighbours' rows
     */
    public record Totals(long exchanges, long messagesSent, long messagesReceived, long bytesSent,
                         long bytesReceived, double blockingSeconds, double postSeconds, double waitSeconds) {}

    public Totals totals() {
        long exchanges = blockingExchanges + startedExchanges;
        long messages = exchanges * neighbours;
        long bytes = messages * count * Double.BYTES;
        return new Totals(exchanges, messages, messages, bytes, bytes,
                blockingNanos * 1e-9, postNanos * 1e-9, waitNanos * 1e-9);
    }

    /** Fills the ghost rows of {@code strip} from the neighbours' edge rows; blocks until done. */
    public void exchange(double[] strip) {
        long start = System.nanoTime();
        // Downward sweep: my last rows become the upper ghosts of the rank below.
        shift(strip, lastRows, below, ghostsAbove, above, TAG_DOWNWARD);
        // Upward sweep: my first rows become the lower ghosts of the rank above.
        shift(strip, firstRows, above, ghostsBelow, below, TAG_UPWARD);
        blockingNanos += System.nanoTime() - start;
        blockingExchanges++;
    }

    /**
     * Starts the exchange of {@link #exchange} and returns at once. Until {@link #finish}, the
     * ghost rows and the edge rows being sent must be left alone; the rows between may be read.
     */
    public void start(double[] strip) {
        long start = System.nanoTime();
        pendingCount = 0;
        if (above >= 0) {
            pending[pendingCount++] = communicator.startReceive(strip, ghostsAbove, count, above, TAG_DOWNWARD);
        }
        if (below >= 0) {
            pending[pendingCount++] = communicator.startReceive(strip, ghostsBelow, count, below, TAG_UPWARD);
        }
        if (below >= 0) {
            pending[pendingCount++] = communicator.startSend(strip, lastRows, count, below, TAG_DOWNWARD);
        }
        if (above >= 0) {
            pending[pendingCount++] = communicator.startSend(strip, firstRows, count, above, TAG_UPWARD);
        }
        postNanos += System.nanoTime() - start;
        startedExchanges++;
    }

    /** Waits for the messages of {@link #start}: then the ghost rows are filled. */
    public void finish() {
        long start = System.nanoTime();
        for (int i = 0; i < pendingCount; i++) {
            pending[i].await();
            pending[i] = null;
        }
        pendingCount = 0;
        waitNanos += System.nanoTime() - start;
    }

    /** Whether a rank above sends ghost rows (false: the upper ghosts are the boundary). */
    public boolean hasAbove() {
        return above >= 0;
    }

    /** Whether a rank below sends ghost rows (false: the lower ghosts are the boundary). */
    public boolean hasBelow() {
        return below >= 0;
    }

    private void shift(double[] strip, int sendOffset, int destination, int receiveOffset, int source, int tag) {
        if (destination >= 0 && source >= 0) {
            communicator.sendReceive(strip, sendOffset, destination, strip, receiveOffset, source, count, tag);
        } else if (destination >= 0) {
            communicator.send(strip, sendOffset, count, destination, tag);
        } else if (source >= 0) {
            communicator.receive(strip, receiveOffset, count, source, tag);
        }
    }
}
