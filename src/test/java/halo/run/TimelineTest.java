package halo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TimelineTest {

    @Test
    void theTestClockShiftMovesOnlyTheRankItNames() {
        assertEquals(5_000_000_000L, Timeline.testClockShift(2, "2:5.0"));
        assertEquals(-1_500_000L, Timeline.testClockShift(1, " 1:-0.0015 "));
        assertEquals(0, Timeline.testClockShift(0, "2:5.0"));
        assertEquals(0, Timeline.testClockShift(0, null));
        assertEquals(0, Timeline.testClockShift(0, ""));
    }

    @Test
    void aMalformedShiftIsRefusedNotIgnored() {
        for (String bad : new String[] {"5.0", "two:5", "2:NaN", "2:5:1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Timeline.testClockShift(0, bad));
            assertEquals(Timeline.TEST_CLOCK_SHIFT_VARIABLE + "=" + bad
                    + ": accepted RANK:SECONDS, e.g. 2:5.0 (for tests only)", e.getMessage());
        }
    }
}
