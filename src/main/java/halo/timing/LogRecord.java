package halo.timing;

import java.util.Map;

import org.apache.logging.log4j.message.MapMessage;

/**
 * A log record as Log4j sees it: as text, {@code event: key value, key value} in the order the
 * values were given, numbers rounded for the eye; as a map, for a user's own Log4j layout
 * (Halo's own JSON records are written by {@link JsonRecordFile}).
 */
final class LogRecord extends MapMessage<LogRecord, Object> {

    private final String text;

    LogRecord(String event, Map<String, ?> values) {
        with("event", event);
        StringBuilder line = new StringBuilder(event).append(':');
        values.forEach((key, value) -> {
            with(key, value);
            line.append(' ').append(key).append(' ').append(readable(value)).append(',');
        });
        line.setLength(line.length() - 1);
        this.text = line.toString();
    }

    private static String readable(Object value) {
        if (value instanceof Double || value instanceof Float) {
            return Numbers.significant(((Number) value).doubleValue(), 6);
        }
        return String.valueOf(value);
    }

    @Override
    public String getFormattedMessage() {
        return text;
    }

    @Override
    public void formatTo(StringBuilder buffer) {
        buffer.append(text);
    }
}
