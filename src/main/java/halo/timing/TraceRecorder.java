package halo.timing;

import java.nio.ByteBuffer;
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

    /** Bytes {@link #writeTo} puts. */
    public int serializedBytes() {
        return Integer.BYTES + Long.BYTES + count + 2 * Long.BYTES * count;
    }

    /** The kept spans and the count of those not kept, to be read back by {@link #readFrom}, in bulk copies. */
    public void writeTo(ByteBuffer out) {
        out.putInt(count).putLong(dropped).put(spans, 0, count);
        out.asLongBuffer().put(times, 0, 2 * count);
        out.position(out.position() + 2 * Long.BYTES * count);
    }

    /** A recorder holding what {@link #writeTo} put (full: it keeps no more). */
    public static TraceRecorder readFrom(ByteBuffer in) {
        int count = in.getInt();
        long dropped = in.getLong();
        byte[] spans = new byte[count];
        in.get(spans);
        long[] times = new long[2 * count];
        in.asLongBuffer().get(times);
        in.position(in.position() + 2 * Long.BYTES * count);
        return new TraceRecorder(spans, times, dropped);
    }

    private TraceRecorder(byte[] spans, long[] times, long dropped) {
        this.capacity = spans.length;
        this.spans = spans;
        this.times = times;
        this.count = spans.length;
        this.dropped = dropped;
    }

    /**
     * The kept spans in the order a timeline draws them: track by track, in a track by start,
     * and of two that start together the longer first (an enclosing span before the spans
     * inside it). Spans are kept in the order they ended, which on one track is already the
     * start order but for an enclosing span, kept after the spans inside it: an insertion sort
     * moves each such span back past those, so it costs the spans times their nesting depth,
     * run once as the run ends, before the JIT has compiled it, without a general sort's boxed
     * comparisons.
     */
    public int[] timeOrder() {
        int[] order = new int[count];
        int placed = 0;
        for (Span.Track track : Span.Track.values()) {
            int trackStart = placed;
            for (int i = 0; i < count; i++) {
                if (Span.byOrdinal(spans[i]).track() != track) {
                    continue;
                }
                int at = placed++;
                for (; at > trackStart && drawnAfter(order[at - 1], i); at--) {
                    order[at] = order[at - 1];
                }
                order[at] = i;
            }
        }
        return order;
    }

    /** Whether span a comes after span b on their track: it starts later, or with b and ends first. */
    private boolean drawnAfter(int a, int b) {
        long startA = times[2 * a];
        long startB = times[2 * b];
        return startA > startB || startA == startB && times[2 * a + 1] < times[2 * b + 1];
    }
}
