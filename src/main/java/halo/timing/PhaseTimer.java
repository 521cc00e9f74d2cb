package halo.timing;

/**
 * Accumulated wall time and count per phase of one rank. Used inside the time-step loop, so
 * it allocates nothing: callers keep the start from {@link #now()} and hand it back.
 *
 * <p>With a {@link TraceRecorder} ({@code --trace}) the same two clock readings also become a
 * span of the rank's timeline, so that the spans add up to the phase totals exactly. Without
 * one, the only cost is the test of a final boolean.
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
    /** Null without --trace. */
    private final TraceRecorder trace;
    private final boolean tracing;

    public PhaseTimer() {
        this(null);
    }

    /** @param trace where spans go, or null to record none */
    public PhaseTimer(TraceRecorder trace) {
        this.trace = trace;
        this.tracing = trace != null;
    }

    public long now() {
        return System.nanoTime();
    }

    /** Adds the time since {@code start} to {@code phase}; returns now, the start of what follows. */
    public long stop(Phase phase, long start) {
        long now = System.nanoTime();
        nanos[phase.ordinal()] += now - start;
        counts[phase.ordinal()]++;
        if (tracing) {
            trace.record(Span.of(phase), start, now);
        }
        return now;
    }

    /** As {@link #stop(Phase, long)}, into {@code span}'s phase; on the timeline as {@code span}. */
    public long stop(Span span, long start) {
        long now = System.nanoTime();
        int phase = span.phase().ordinal();
        nanos[phase] += now - start;
        counts[phase]++;
        if (tracing) {
            trace.record(span, start, now);
        }
        return now;
    }

    /** A span the timeline alone shows (no phase total), from System.nanoTime() readings. */
    public void mark(Span span, long start, long end) {
        if (tracing) {
            trace.record(span, start, end);
        }
    }

    /** The recorder of --trace, or null. */
    public TraceRecorder trace() {
        return trace;
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
