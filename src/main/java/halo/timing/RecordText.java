package halo.timing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** A record as people read it: {@code event: key value, key value}, in the order given, numbers rounded for the eye. */
final class RecordText {

    private RecordText() {
    }

    static String of(String event, Map<String, ?> values) {
        StringBuilder line = new StringBuilder(event).append(':');
        values.forEach((key, value) -> line.append(' ').append(key).append(' ').append(readable(value)).append(','));
        line.setLength(line.length() - 1);
        return line.toString();
    }

    private static String readable(Object value) {
        if (value instanceof Double || value instanceof Float) {
            return Numbers.significant(((Number) value).doubleValue(), 6);
        }
        return String.valueOf(value);
    }

    /** {@code failure}'s stack trace, its causes and suppressed failures, as the JVM prints it. */
    static String stackTrace(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
