package halo.parallel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ranks of one run and the few collective and point-to-point operations Halo needs, on
 * primitive buffers given as (array, offset, count). Two implementations: MPJ Express ranks,
 * and a single rank for a plain {@code java -jar} run without MPJ.
 */
public interface Communicator extends AutoCloseable {

    int rank();

    int size();

    /** "serial", or the MPJ device: "smpdev" (ranks are threads of one JVM), "niodev", … */
    String device();

    /** True when all ranks share one JVM, so that one rank's System.exit ends them all. */
    default boolean ranksShareJvm() {
        return device().equals("smpdev");
    }

    /**
     * The most bytes of doubles one message carries the device's direct way: a larger one
     * first asks the receiver for room (MPJ's niodev beyond its protocol switch limit).
     */
    default long eagerMessageBytes() {
        return Long.MAX_VALUE;
    }

    void send(double[] buffer, int offset, int count, int destination, int tag);

    void receive(double[] buffer, int offset, int count, int source, int tag);

    void sendReceive(double[] sendBuffer, int sendOffset, int destination,
                     double[] receiveBuffer, int receiveOffset, int source, int count, int tag);

    /** A message under way; the buffer must be left alone until {@link #await()} returned. */
    interface Request {
        void await();
    }

    /** Starts sending (Isend); returns at once. */
    Request startSend(double[] buffer, int offset, int count, int destination, int tag);

    /** Starts receiving (Irecv); returns at once. */
    Request startReceive(double[] buffer, int offset, int count, int source, int tag);

    /** Rank r's {@code counts[r]} values land at {@code displacements[r]} of root's buffer. */
    void gatherv(double[] sendBuffer, int sendOffset, int sendCount,
                 double[] receiveBuffer, int[] counts, int[] displacements, int root);

    /** As {@link #gatherv(double[], int, int, double[], int[], int[], int)}, for bytes. */
    void gatherv(byte[] sendBuffer, int sendOffset, int sendCount,
                 byte[] receiveBuffer, int[] counts, int[] displacements, int root);

    /** The smallest of every rank's value, on every rank. */
    int allMin(int value);

    /** Root's bytes, on every rank. */
    byte[] broadcast(byte[] bytes, int root);

    void barrier();

    /** Ends message passing (MPI.Finalize). */
    @Override
    void close();

    default boolean isRoot() {
        return rank() == 0;
    }

    /**
     * Every rank's values gathered on rank 0, rank after rank (null elsewhere). Fixed order on
     * purpose: a sum taken from it is bitwise reproducible, unlike a reduction tree.
     */
    default double[] gatherToRoot(double[] values) {
        int[] counts = new int[size()];
        int[] displacements = new int[size()];
        for (int r = 0; r < size(); r++) {
            counts[r] = values.length;
            displacements[r] = r * values.length;
        }
        double[] all = isRoot() ? new double[values.length * size()] : null;
        gatherv(values, 0, values.length, all, counts, displacements, 0);
        return all;
    }

    /** Every rank's longs, any number from each, on rank 0 (null elsewhere): element r holds rank r's. */
    default long[][] gatherToRoot(long[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES * values.length);
        bytes.asLongBuffer().put(values);
        byte[][] all = gatherToRoot(bytes.array());
        if (all == null) {
            return null;
        }
        long[][] byRank = new long[all.length][];
        for (int r = 0; r < all.length; r++) {
            byRank[r] = new long[all[r].length / Long.BYTES];
            ByteBuffer.wrap(all[r]).asLongBuffer().get(byRank[r]);
        }
        return byRank;
    }

    /** Every rank's bytes, any number from each, on rank 0 (null elsewhere): element r holds rank r's. */
    default byte[][] gatherToRoot(byte[] bytes) {
        double[] lengths = gatherToRoot(new double[] {bytes.length});
        int[] counts = new int[size()];
        int[] displacements = new int[size()];
        int total = 0;
        for (int r = 0; isRoot() && r < size(); r++) {
            counts[r] = (int) lengths[r];
            displacements[r] = total;
            total += counts[r];
        }
        byte[] all = isRoot() ? new byte[total] : null;
        gatherv(bytes, 0, bytes.length, all, counts, displacements, 0);
        if (!isRoot()) {
            return null;
        }
        byte[][] byRank = new byte[size()][];
        for (int r = 0; r < size(); r++) {
            byRank[r] = Arrays.copyOfRange(all, displacements[r], displacements[r] + counts[r]);
        }
        return byRank;
    }

    /** The sum of every rank's value, added in rank order on rank 0 (NaN elsewhere). */
    default double sumAtRoot(double value) {
        double[] all = gatherToRoot(new double[] {value});
        if (all == null) {
            return Double.NaN;
        }
        double sum = 0.0;
        for (double v : all) {
            sum += v;
        }
        return sum;
    }

    default String broadcast(String text, int root) {
        byte[] bytes = rank() == root ? text.getBytes(StandardCharsets.UTF_8) : null;
        return new String(broadcast(bytes, root), StandardCharsets.UTF_8);
    }

    /**
     * Whether any rank failed, agreed by all: the lowest failing rank, or -1 when none did.
     * Lets one rank report an error that every rank found, instead of each rank repeating it.
     */
    default int lowestFailingRank(boolean failed) {
        int lowest = allMin(failed ? rank() : size());
        return lowest == size() ? -1 : lowest;
    }
}
