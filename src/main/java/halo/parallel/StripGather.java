package halo.parallel;

/**
 * Collects the interior rows of every rank's strip, in global row order, on rank 0. Rows
 * travel whole, ghost columns included, so the gathered array has the strips' row stride
 * and a row of it starts at {@code globalRow * stride}.
 */
public final class StripGather {

    private final Communicator communicator;
    private final int stride;
    private final int[] counts;
    private final int[] displacements;
    private final double[] global;

    public StripGather(Communicator communicator, BlockPartition rows, int stride) {
        this.communicator = communicator;
        this.stride = stride;
        int size = communicator.size();
        this.counts = new int[size];
        this.displacements = new int[size];
        for (int r = 0; r < size; r++) {
            counts[r] = Math.toIntExact(rows.count(r) * stride);
            displacements[r] = Math.toIntExact(rows.start(r) * stride);
        }
        this.global = communicator.isRoot() ? new double[Math.toIntExact(rows.total() * stride)] : null;
    }

    /**
     * Gathers the interior rows of every strip, which start at {@code interiorOffset}. Returns
     * the global rows on rank 0 (the same array every call: copy it to keep it), null on the
     * other ranks.
     */
    public double[] gather(double[] strip, int interiorOffset) {
        int rank = communicator.rank();
        communicator.gatherv(strip, interiorOffset, counts[rank], global, counts, displacements, 0);
        return global;
    }
}
