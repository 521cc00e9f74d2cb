package halo.timing;

import java.util.Map;

import org.apache.logging.log4j.message.MapMessage;

/**
 * A record as Log4j sees it: as text, {@link RecordText}; as a map, for a user's own Log4j
 * layout (Halo's own JSON records are written by {@link JsonRecordFile}).
 */
final class LogRecord extends MapMessage<LogRecord, Object> {

    private final String text;

    LogRecord(String event, Map<String, ?> values) {
        with("event", event);
        values.forEach(this::with);
        this.text = RecordText.of(event, values);
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
