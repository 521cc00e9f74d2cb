package halo.io;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.TimeZone;

/**
 * This machine's local time, from {@link TimeZone}. java.time's {@code ZoneId.systemDefault()}
 * gives the same time, but first starts java.time's own time-zone provider, which reads and
 * indexes the whole time-zone database again after {@code TimeZone} has: some 13 ms of every
 * JVM's start-up, on rank 0's way to the run directory and every rank's way to its first log
 * record.
 */
public final class LocalClock {

    private LocalClock() {
    }

    /** Now, in this machine's time zone. */
    public static LocalDateTime now() {
        return at(TimeZone.getDefault(), System.currentTimeMillis());
    }

    /** The offset from UTC of {@code zone} at {@code epochMillis}. */
    public static ZoneOffset offset(TimeZone zone, long epochMillis) {
        return ZoneOffset.ofTotalSeconds(zone.getOffset(epochMillis) / 1000);
    }

    static LocalDateTime at(TimeZone zone, long epochMillis) {
        int nanos = (int) Math.floorMod(epochMillis, 1000) * 1_000_000;
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), nanos, offset(zone, epochMillis));
    }
}
