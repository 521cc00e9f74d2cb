package halo.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
