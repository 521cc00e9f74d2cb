package halo.timing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class PhaseTimerTraceTest {

    @Test
    void spansAreTheSameReadingsAsThePhaseTotals() throws InterruptedException {
        PhaseTimer timer = new PhaseTimer(new TraceRecorder(16));
        long t = timer.now();
        Thread.sleep(2);
        t = timer.stop(Span.POST, t);
        Thread.sleep(1);
        t = timer.stop(Span.INTERIOR_ROWS, t);
        long waited = timer.stop(Span.WAIT, t);
        timer.mark(Span.IN_FLIGHT, t, waited);
        timer.stop(Phase.COMPUTE, waited);

        TraceRecorder trace = timer.trace();
        assertEquals(5, trace.count());
        long halo = 0;
        long compute = 0;
        for (int i = 0; i < trace.count(); i++) {
            long nanos = trace.end(i) - trace.start(i);
            if (trace.span(i).phase() == Phase.HALO) {
                halo += nanos;
            } else if (trace.span(i).phase() == Phase.COMPUTE) {
                compute += nanos;
            }
        }
        assertEquals(timer.seconds(Phase.HALO), halo * 1e-9, 1e-15);
        assertEquals(timer.seconds(Phase.COMPUTE), compute * 1e-9, 1e-15);
        assertEquals(Span.COMPUTE, trace.span(4)); // a phase's own stop records its plain span
        assertEquals(Span.IN_FLIGHT, trace.span(3));
        assertEquals(2, timer.count(Phase.HALO));
    }

    @Test
    void aFullRecorderKeepsTheFirstSpansAndCountsTheRest() {
        PhaseTimer timer = new PhaseTimer(new TraceRecorder(3));
        long t = timer.now();
        for (int i = 0; i < 10; i++) {
            t = timer.stop(Span.STEP, t);
        }
        assertEquals(3, timer.trace().count());
        assertEquals(7, timer.trace().dropped());
        assertEquals(10, timer.count(Phase.COMPUTE));
    }

    /** The arrays grow as spans come, past their first size, and keep every span in order. */
    @Test
    void aRecorderGrowsUpToItsCapacity() {
        int capacity = 3 * TraceRecorder.INITIAL_SPANS;
        TraceRecorder trace = new TraceRecorder(capacity);
        PhaseTimer timer = new PhaseTimer(trace);
        for (int i = 0; i < capacity + 5; i++) {
            timer.mark(Span.IN_FLIGHT, i, i + 1);
        }
        assertEquals(capacity, trace.count());
        assertEquals(5, trace.dropped());
        assertEquals(capacity, trace.capacity());
        for (int i : new int[] {0, TraceRecorder.INITIAL_SPANS, capacity - 1}) {
            assertEquals(i, trace.start(i));
            assertEquals(i + 1, trace.end(i));
        }
    }

    /** Track by track; in a track by start, an enclosing span (kept after its inner spans) first. */
    @Test
    void theTimeOrderIsTrackByTrackByStartEnclosingFirst() {
        TraceRecorder trace = new TraceRecorder(16);
        PhaseTimer timer = new PhaseTimer(trace);
        timer.mark(Span.JVM_START, 0, 10);          // 0
        timer.mark(Span.POST, 20, 25);              // 1
        timer.mark(Span.INTERIOR_ROWS, 25, 40);     // 2
        timer.mark(Span.WAIT, 40, 45);              // 3
        timer.mark(Span.IN_FLIGHT, 25, 45);         // 4: holds the wait, kept after it
        timer.mark(Span.EXCHANGE, 20, 45);          // 5: holds post, in flight and wait
        timer.mark(Span.EDGE_ROWS, 45, 50);         // 6
        timer.mark(Span.STEP, 20, 50);              // 7: holds both compute spans
        timer.mark(Span.FINAL_FIELD, 50, 60);       // 8
        timer.mark(Span.IO, 50, 60);                // 9: same start and end as 8: kept in order
        assertArrayEquals(new int[] {0, 8, 9, 7, 2, 6, 5, 1, 4, 3}, trace.timeOrder());
    }

    /** What rank 0 reads back is what the rank kept: spans, times, the count not kept. */
    @Test
    void aRecorderTravelsAsBytesWhole() {
        TraceRecorder trace = new TraceRecorder(3);
        PhaseTimer timer = new PhaseTimer(trace);
        timer.mark(Span.POST, 20, 25);
        timer.mark(Span.WAIT, Long.MAX_VALUE - 7, Long.MAX_VALUE);
        timer.mark(Span.IN_FLIGHT, -5, 45);
        timer.mark(Span.STEP, 50, 60); // not kept
        ByteBuffer bytes = ByteBuffer.allocate(trace.serializedBytes() + 2);
        bytes.put((byte) 7);
        trace.writeTo(bytes);
        bytes.put((byte) 9);
        bytes.flip().get();

        TraceRecorder read = TraceRecorder.readFrom(bytes);
        assertEquals(9, bytes.get()); // read up to its end exactly
        assertEquals(3, read.count());
        assertEquals(1, read.dropped());
        for (int i = 0; i < 3; i++) {
            assertEquals(trace.span(i), read.span(i));
            assertEquals(trace.start(i), read.start(i));
            assertEquals(trace.end(i), read.end(i));
        }
        assertArrayEquals(trace.timeOrder(), read.timeOrder());
    }

    @Test
    void withoutARecorderNothingIsKept() {
        PhaseTimer timer = new PhaseTimer();
        timer.mark(Span.IN_FLIGHT, 0, 1);
        timer.stop(Span.STEP, timer.now());
        assertNull(timer.trace());
        assertEquals(1, timer.count(Phase.COMPUTE));
    }

    @Test
    void everyPhaseHasItsOwnPlainSpan() {
        for (Phase phase : Phase.values()) {
            assertEquals(phase, Span.of(phase).phase());
        }
    }
}
