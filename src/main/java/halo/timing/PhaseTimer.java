package halo.timing;

/**
 * Accumulated wall time and count per phase of one rank. Used inside the time-step loop, so
 * it allocates nothing: callers keep the start from {@link #now()} and hand it back.
 * <pre>
 *   long t = timer.now();
 *   exchange();
 *   t = timer.stop(Phase.HALO, t);
 *   step();
 *   timer.stop(Phase.COMPUTE, t);
 * </pre>
 */
public final class PhaseTimer {

    private final long[] nanos = new long[Phase.values().length];
    private final long[] counts = new long[Phase.values().length];

    public long now() {
        return System.nanoTime();
    }

    /** Adds the time since {@code start} to {@code phase}; returns now, the start of what follows. */
    public long stop(Phase phase, long start) {
        long now = System.nanoTime();
        nanos[phase.ordinal()] += now - start;
        counts[phase.ordinal()]++;
        return now;
    }

    public double seconds(Phase phase) {
        return nanos[phase.ordinal()] * 1e-9;
    }

    public long count(Phase phase) {
        return counts[phase.ordinal()];
    }

    /** Seconds of every phase in {@link Phase} order, for gathering on rank 0. */
    public double[] secondsByPhase() {
        double[] seconds = new double[nanos.length];
        for (int p = 0; p < nanos.length; p++) {
            seconds[p] = nanos[p] * 1e-9;
        }
        return seconds;
    }
}
