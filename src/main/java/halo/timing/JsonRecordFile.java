package halo.timing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;

import halo.io.JsonValue;

/**
 * {@code logs/rank-N.json}: one rank's records for tools, one JSON object a line, in Halo's own
 * format (the {@link #SCHEMA} of docs/report.md), whatever Log4j is configured to do:
 * <pre>
 * {"schema":1,"time":"2026-12-02T10:20:50.123Z","level":"INFO","app":"diff2d","rank":0,"ranks":2,
 *  "record":{"event":"output","step":353,"simtime":0.49889761998981985}}
 * </pre>
 * Each record is written as it comes, as one whole line in one write, so a rank that fails
 * keeps every record before its failure; a write that fails part-way (a full disk) is cut back
 * to the last whole line, and the records after it are dropped: the run reports its failure
 * itself, and every line that is there parses.
 */
public final class JsonRecordFile implements AutoCloseable {

    /** The version of the record format; raised when a key changes meaning or goes away. */
    public static final int SCHEMA = 1;

    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .rootValueSeparator((String) null) // each record ends its line itself
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER) // shortest round-trip form
            .build();

    private final FileChannel channel;
    private final String app;
    private final int rank;
    private final int ranks;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    private final JsonGenerator json;
    private long size;
    private boolean broken;

    private JsonRecordFile(FileChannel channel, String app, int rank, int ranks) throws IOException {
        this.channel = channel;
        this.app = app;
        this.rank = rank;
        this.ranks = ranks;
        this.json = FACTORY.createGenerator(line, JsonEncoding.UTF8);
        this.size = channel.size();
    }

    /** Opens (creates, or appends to) the record file of one rank. */
    public static JsonRecordFile open(Path file, String app, int rank, int ranks) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return new JsonRecordFile(channel, app, rank, ranks);
    }

    /**
     * Writes one record; values as {@link JsonValue} writes them, leniently: a number that is
     * not finite as null.
     *
     * @param error the failure an ERROR record is about, written whole under "error", or null
     */
    public synchronized void write(String level, String event, Map<String, ?> values, Throwable error) {
        if (broken) {
            return;
        }
        try {
            line.reset();
            json.writeStartObject();
            json.writeNumberField("schema", SCHEMA);
            json.writeStringField("time", utcNow());
            json.writeStringField("level", level);
            json.writeStringField("app", app);
            json.writeNumberField("rank", rank);
            json.writeNumberField("ranks", ranks);
            json.writeFieldName("record");
            json.writeStartObject();
            json.writeStringField("event", event);
            for (Map.Entry<String, ?> entry : values.entrySet()) {
                json.writeFieldName(entry.getKey());
                JsonValue.write(json, entry.getValue(), JsonValue.Strictness.LENIENT);
            }
            json.writeEndObject();
            if (error != null) {
                StringWriter trace = new StringWriter();
                error.printStackTrace(new PrintWriter(trace));
                json.writeStringField("error", trace.toString());
            }
            json.writeEndObject();
            json.writeRaw('\n');
            json.flush();
            append(ByteBuffer.wrap(line.toByteArray()));
        } catch (IOException | RuntimeException e) {
            broken = true;
        }
    }

    private void append(ByteBuffer bytes) throws IOException {
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            size += bytes.limit();
        } catch (IOException e) {
            channel.truncate(size); // no half line: the file ends with the last whole record
            throw e;
        }
    }


    /**
     * Now as {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, built by hand: java.time's formatter would load
     * its many classes on every rank's way to its first step.
     */
    private static String utcNow() {
        long millis = System.currentTimeMillis();
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(24).append(t.getYear()).append('-');
        two(text, t.getMonthValue()).append('-');
        two(text, t.getDayOfMonth()).append('T');
        two(text, t.getHour()).append(':');
        two(text, t.getMinute()).append(':');
        two(text, t.getSecond()).append('.');
        int ms = (int) Math.floorMod(millis, 1000);
        return text.append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10))
                .append((char) ('0' + ms % 10)).append('Z').toString();
    }

    private static StringBuilder two(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    @Override
    public synchronized void close() {
        try {
            json.close();
            channel.close();
        } catch (IOException e) {
            broken = true; // every record was written when it came: nothing is lost here
        }
    }
}
