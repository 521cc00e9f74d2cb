package halo.parallel;

import java.util.function.LongSupplier;

/**
 * How far this rank's clock is from rank 0's, measured as NTP does. Rank r sends a message at
 * t0 (its clock), rank 0 receives it at t1 and answers at t2 (rank 0's clock), rank r receives
 * the answer at t3. Then
 * <pre>
 *   offset = ((t1 - t0) + (t2 - t3)) / 2      (add to rank r's clock to read rank 0's)
 *   round trip = (t3 - t0) - (t2 - t1)
 * </pre>
 * and whatever the two directions' delays are, the true offset lies within half the round trip
 * of the estimate. Of several rounds the one with the shortest round trip is kept: it had the
 * least delay to be uneven. Rank 0 serves one rank after the other, which waits its turn.
 *
 * @param offsetNanos add to this rank's clock to read rank 0's (0 on rank 0)
 * @param boundNanos  the true offset is within this of {@code offsetNanos}: half the best round trip
 */
public record ClockOffset(long offsetNanos, long boundNanos) {

    private static final int TAG_TURN = 21;
    private static final int TAG_PING = 22;
    private static final int TAG_PONG = 23;

    /**
     * Collective: every rank's offset from rank 0, each measured by {@code rounds} round trips.
     *
     * @param clock this rank's clock in nanoseconds (System.nanoTime(), or a shifted one in tests)
     */
    public static ClockOffset measure(Communicator communicator, LongSupplier clock, int rounds) {
        if (communicator.isRoot()) {
            double[] ping = new double[1];
            double[] pong = new double[4];
            for (int rank = 1; rank < communicator.size(); rank++) {
                communicator.send(ping, 0, 1, rank, TAG_TURN);
                for (int round = 0; round < rounds; round++) {
                    communicator.receive(ping, 0, 1, rank, TAG_PING);
                    LongWords.put(clock.getAsLong(), pong, 0);
                    LongWords.put(clock.getAsLong(), pong, 2);
                    communicator.send(pong, 0, 4, rank, TAG_PONG);
                }
            }
            return new ClockOffset(0, 0);
        }
        double[] ping = new double[1];
        double[] pong = new double[4];
        communicator.receive(ping, 0, 1, 0, TAG_TURN);
        long bestRoundTrip = Long.MAX_VALUE;
        long offset = 0;
        for (int round = 0; round < rounds; round++) {
            long t0 = clock.getAsLong();
            communicator.send(ping, 0, 1, 0, TAG_PING);
            communicator.receive(pong, 0, 4, 0, TAG_PONG);
            long t3 = clock.getAsLong();
            long t1 = LongWords.get(pong, 0);
            long t2 = LongWords.get(pong, 2);
            long roundTrip = (t3 - t0) - (t2 - t1);
            if (roundTrip < bestRoundTrip) {
                bestRoundTrip = roundTrip;
                offset = ((t1 - t0) + (t2 - t3)) / 2;
            }
        }
        return new ClockOffset(offset, (bestRoundTrip + 1) / 2);
    }
}
