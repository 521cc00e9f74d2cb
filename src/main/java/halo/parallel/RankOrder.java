package halo.parallel;

import java.util.function.DoubleUnaryOperator;

/**
 * Figures that must come out bitwise the same at every rank count, made without gathering the
 * data on one rank: a value carried from rank to rank in rank order, so that the same
 * operations happen in the same order as in one process (a reduction tree's order depends on
 * the rank count), and one rank's value sent to rank 0.
 */
public final class RankOrder {

    private static final int TAG_RUNNING = 21;
    private static final int TAG_RESULT = 22;
    private static final int TAG_VALUE = 23;

    private RankOrder() {
    }

    /**
     * Collective: {@code initial} goes through every rank's {@code step} in rank order (rank 0's
     * first), e.g. a running sum that each rank continues over its own rows. Returns the end
     * value on rank 0, NaN elsewhere. The ranks take their turns one after another: for results
     * at the end of a run, not for every step.
     */
    public static double fold(Communicator communicator, double initial, DoubleUnaryOperator step) {
        int rank = communicator.rank();
        int last = communicator.size() - 1;
        double[] running = {initial};
        if (rank > 0) {
            communicator.receive(running, 0, 1, rank - 1, TAG_RUNNING);
        }
        running[0] = step.applyAsDouble(running[0]);
        if (rank < last) {
            communicator.send(running, 0, 1, rank + 1, TAG_RUNNING);
        } else if (rank > 0) {
            communicator.send(running, 0, 1, 0, TAG_RESULT);
        }
        if (rank == 0 && last > 0) {
            communicator.receive(running, 0, 1, last, TAG_RESULT);
        }
        return communicator.isRoot() ? running[0] : Double.NaN;
    }

    /** Collective: rank {@code owner}'s {@code value} on rank 0 (NaN elsewhere); the others' are ignored. */
    public static double fromRank(Communicator communicator, int owner, double value) {
        if (owner == 0) {
            return communicator.isRoot() ? value : Double.NaN;
        }
        double[] buffer = {value};
        if (communicator.rank() == owner) {
            communicator.send(buffer, 0, 1, 0, TAG_VALUE);
        } else if (communicator.isRoot()) {
            communicator.receive(buffer, 0, 1, owner, TAG_VALUE);
            return buffer[0];
        }
        return Double.NaN;
    }

    /**
     * Collective: every rank's {@code count} values from {@code part}, of any length including
     * none, one after another in rank order on rank 0 (null elsewhere): for small pieces, such
     * as each rank's rows of a picture.
     */
    public static double[] concatenate(Communicator communicator, double[] part, int count) {
        return concatenate(communicator, part, 0, count, null);
    }

    /**
     * As {@link #concatenate(Communicator, double[], int)}, from {@code part[offset]} on, and into
     * {@code into} on rank 0 when it is given (of exactly the total length): for a large whole,
     * whose allocation the caller checks before every rank sends its part.
     */
    public static double[] concatenate(Communicator communicator, double[] part, int offset, int count,
                                       double[] into) {
        int size = communicator.size();
        double[] counts = communicator.gatherToRoot(new double[] {count});
        int[] receiveCounts = new int[size];
        int[] displacements = new int[size];
        double[] all = null;
        if (communicator.isRoot()) {
            long total = 0;
            for (int r = 0; r < size; r++) {
                receiveCounts[r] = (int) counts[r];
                displacements[r] = Math.toIntExact(total);
                total += receiveCounts[r];
            }
            all = into != null ? into : new double[Math.toIntExact(total)];
            if (all.length != total) {
                throw new IllegalArgumentException(all.length + " places for " + total + " values");
            }
        }
        communicator.gatherv(part, offset, count, all, receiveCounts, displacements, 0);
        return all;
    }
}
