package halo.timing;

import java.util.Arrays;

/**
 * One rank's spans for the timeline ({@code --trace}), kept in arrays, so that recording a span
 * in the time-step loop stores three numbers. The arrays start small ({@value #INITIAL_SPANS}
 * spans, 68 KB: a course run fits) and double when full, so a run allocates a few times in all,
 * never per step, and pays for the memory it uses rather than for the capacity (fresh pages
 * cost a page fault each). Memory is bounded: the first {@link #capacity()} spans are kept
 * (the start-up and the first steps); beyond them spans are only counted ({@link #dropped()})
 * and trace.json says how many are missing. Written by the rank's own thread only.
 */
public final class TraceRecorder {

    /** Spans kept at most per rank: 17 bytes each, 4.5 MB; about 40 000 steps at five spans a step. */
    public static final int DEFAULT_CAPACITY = 1 << 18;

    /** Spans the arrays hold at first. */
    static final int INITIAL_SPANS = 1 << 12;

    private final int capacity;
    private byte[] spans;
    /** Start and end of span i at 2i and 2i+1, System.nanoTime() of this rank. */
    private long[] times;
    private int count;
    private long dropped;

    public TraceRecorder(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("trace capacity " + capacity + " < 1");
        }
        this.capacity = capacity;
        int initial = Math.min(capacity, INITIAL_SPANS);
        this.spans = new byte[initial];
        this.times = new long[2 * initial];
    }

    void record(Span span, long start, long end) {
        int i = count;
        if (i == spans.length && i < capacity) {
            grow();
        }
        if (i < spans.length) {
            spans[i] = (byte) span.ordinal();
            times[2 * i] = start;
            times[2 * i + 1] = end;
            count = i + 1;
        } else {
            dropped++;
        }
    }

    private void grow() {
        int larger = (int) Math.min(capacity, 2L * spans.length);
        spans = Arrays.copyOf(spans, larger);
        times = Arrays.copyOf(times, 2 * larger);
    }

    /** The most spans kept. */
    public int capacity() {
        return capacity;
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
