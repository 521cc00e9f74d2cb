package halo.timing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TimeZone;

import halo.io.LocalClock;

/**
 * {@code logs/rank-N.log} as the shipped {@code conf/log4j2.xml} has Log4j write it
 * ({@link #PATTERN}, level INFO), written by Halo. Starting Log4j costs each JVM about 0.15 s
 * of a core (its properties, plugin registry, converters and context, in the interpreter),
 * more than a short run's time steps, and every niodev rank pays it in a JVM of its own: a
 * run whose log is the shipped one does not start Log4j ({@link LogConfiguration} decides).
 * LogConfigurationTest checks that the two write the same text.
 */
final class ShippedTextLog implements TextLog {

    /** The pattern of the shipped file's appender: what {@link #write} writes. */
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} rank %X{rank} %-5level %msg%n%throwable";

    private final LineFile file;
    private final String rank;
    private final TimeZone zone = TimeZone.getDefault();

    private ShippedTextLog(LineFile file, int rank) {
        this.file = file;
        this.rank = Integer.toString(rank);
    }

    static ShippedTextLog open(Path directory, int rank) {
        Path path = directory.resolve("rank-" + rank + ".log");
        try {
            return new ShippedTextLog(LineFile.open(path), rank);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void info(String event, Map<String, ?> values) {
        write("INFO ", RecordText.of(event, values), null);
    }

    @Override
    public void error(String message, Throwable cause) {
        write("ERROR", message, cause);
    }

    /** One record: its time, rank, level (padded to five letters), message and stack trace. */
    private void write(String level, String message, Throwable cause) {
        long millis = System.currentTimeMillis();
        StringBuilder text = LogTime.append(new StringBuilder(128), millis,
                LocalClock.offset(zone, millis), ' ');
        text.append(" rank ").append(rank).append(' ').append(level).append(' ').append(message)
                .append(System.lineSeparator());
        if (cause != null) {
            text.append(RecordText.stackTrace(cause));
        }
        file.append(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        file.close();
    }
}
