package halo.timing;

/**
 * One rank's spans for the timeline ({@code --trace}), kept in arrays made once, as the run
 * starts, so that recording a span in the time-step loop stores three numbers and allocates
 * nothing. Memory is bounded: the first {@link #capacity()} spans are kept (the start-up and
 * the first steps); beyond them spans are only counted ({@link #dropped()}) and trace.json
 * says how many are missing. Written by the rank's own thread only.
 */
public final class TraceRecorder {

    /** Spans kept per rank: 17 bytes each, 4.5 MB; about 40 000 steps at five spans a step. */
    public static final int DEFAULT_CAPACITY = 1 << 18;

    private final byte[] spans;
    /** Start and end of span i at 2i and 2i+1, System.nanoTime() of this rank. */
    private final long[] times;
    private int count;
    private long dropped;

    public TraceRecorder(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("trace capacity " + capacity + " < 1");
        }
        this.spans = new byte[capacity];
        this.times = new long[2 * capacity];
    }

    void record(Span span, long start, long end) {
        int i = count;
        if (i < spans.length) {
            spans[i] = (byte) span.ordinal();
            times[2 * i] = start;
            times[2 * i + 1] = end;
            count = i + 1;
        } else {
            dropped++;
        }
    }

    public int capacity() {
        return spans.length;
    }

    /** Spans kept, in the order they ended. */
    public int count() {
        return count;
    }

    /** Spans that did not fit and were not kept. */
    public long dropped() {
        return dropped;
    }

    public Span span(int i) {
        return Span.byOrdinal(spans[i]);
    }

    public long start(int i) {
        return times[2 * i];
    }

    public long end(int i) {
        return times[2 * i + 1];
    }
}
