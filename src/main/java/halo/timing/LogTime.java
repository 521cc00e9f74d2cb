package halo.timing;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A record's time as {@code yyyy-MM-dd?HH:mm:ss.SSS}, built by hand: java.time's formatter
 * would load its many classes on every rank's way to its first step.
 */
final class LogTime {

    private LogTime() {
    }

    /** Appends {@code millis} (since the epoch) at {@code offset}, date and time apart by {@code separator}. */
    static StringBuilder append(StringBuilder text, long millis, ZoneOffset offset, char separator) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, offset);
        text.append(t.getYear()).append('-');
        two(text, t.getMonthValue()).append('-');
        two(text, t.getDayOfMonth()).append(separator);
        two(text, t.getHour()).append(':');
        two(text, t.getMinute()).append(':');
        two(text, t.getSecond()).append('.');
        int ms = (int) Math.floorMod(millis, 1000);
        return text.append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10));
    }

    private static StringBuilder two(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
