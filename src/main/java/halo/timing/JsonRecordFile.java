package halo.timing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
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
 * Each record is one whole line, written as it comes ({@link LineFile}): a rank that fails
 * keeps every record before its failure, and every line that is there parses.
 */
public final class JsonRecordFile implements AutoCloseable {

    /** The version of the record format; raised when a key changes meaning or goes away. */
    public static final int SCHEMA = 1;

    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .rootValueSeparator((String) null) // each record ends its line itself
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER) // shortest round-trip form
            .build();

    private final LineFile file;
    private final String app;
    private final int rank;
    private final int ranks;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    private final JsonGenerator json;
    private boolean broken;

    private JsonRecordFile(LineFile file, String app, int rank, int ranks) throws IOException {
        this.file = file;
        this.app = app;
        this.rank = rank;
        this.ranks = ranks;
        this.json = FACTORY.createGenerator(line, JsonEncoding.UTF8);
    }

    /** Opens (creates, or appends to) the record file of one rank. */
    public static JsonRecordFile open(Path file, String app, int rank, int ranks) throws IOException {
        return new JsonRecordFile(LineFile.open(file), app, rank, ranks);
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
            json.writeStringField("time", LogTime.append(new StringBuilder(24), System.currentTimeMillis(),
                    ZoneOffset.UTC, 'T').append('Z').toString());
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
                json.writeStringField("error", RecordText.stackTrace(error));
            }
            json.writeEndObject();
            json.writeRaw('\n');
            json.flush();
            file.append(line.toByteArray());
        } catch (IOException | RuntimeException e) {
            broken = true;
        }
    }

    @Override
    public synchronized void close() {
        try {
            json.close();
        } catch (IOException e) {
            broken = true; // only the generator's buffer: every record was written when it came
        }
        file.close();
    }
}
