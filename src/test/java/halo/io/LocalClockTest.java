package halo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalClockTest {

    /** The same local time as java.time's at every quarter hour of 2026, and around the epoch. */
    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe",
            "Pacific/Chatham", "America/Santiago"})
    void agreesWithJavaTime(String id) {
        TimeZone zone = TimeZone.getTimeZone(id);
        long quarter = Duration.ofMinutes(15).toMillis();
        for (long t = Instant.parse("2026-01-01T00:00:00.123Z").toEpochMilli();
                t < Instant.parse("2027-01-01T00:00:00Z").toEpochMilli(); t += quarter) {
            assertSame(zone, t);
        }
        for (long t = -3 * quarter; t < 3 * quarter; t += quarter / 7) {
            assertSame(zone, t);
        }
    }

    /** In a zone 5:45 from UTC (the test JVM's own zone may be UTC, where a mistake would pass). */
    @Test
    void nowIsThisMachinesLocalTime() {
        TimeZone previous = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kathmandu"));
        try {
            LocalDateTime before = LocalDateTime.now().truncatedTo(ChronoUnit.MILLIS); // LocalClock's precision
            LocalDateTime now = LocalClock.now();
            LocalDateTime after = LocalDateTime.now();
            assertTrue(!now.isBefore(before) && !now.isAfter(after), before + " <= " + now + " <= " + after);
        } finally {
            TimeZone.setDefault(previous);
        }
    }

    private static void assertSame(TimeZone zone, long millis) {
        Instant instant = Instant.ofEpochMilli(millis);
        assertEquals(LocalDateTime.ofInstant(instant, zone.toZoneId()), LocalClock.at(zone, millis),
                zone.getID() + " at " + instant);
        assertEquals(zone.toZoneId().getRules().getOffset(instant), LocalClock.offset(zone, millis),
                zone.getID() + " at " + instant);
    }
}
