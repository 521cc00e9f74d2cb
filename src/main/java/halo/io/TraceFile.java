package halo.io;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * A timeline in the Chrome trace-event format ({@code trace.json}), which Perfetto
 * (ui.perfetto.dev) and chrome://tracing open: an object whose {@code traceEvents} hold, per
 * process, its name and its threads' names ({@code "ph":"M"} metadata), then its spans as
 * complete events ({@code "ph":"X"}, {@code ts} and {@code dur} in microseconds, from the
 * earliest start), in the order the caller gives (Halo's: each thread's in time order, an
 * enclosing span before the spans inside it); {@code otherData} holds what the caller says
 * about the whole. One event a line.
 */
public final class TraceFile {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    /** A kind of span: its name, its category, the thread (index into the process's threads) it is drawn on. */
    public record Kind(String name, String category, int thread) {}

    /**
     * One process of the timeline; span i is of kind {@code kinds[i]}, from {@code starts[i]} to
     * {@code ends[i]}, in nanoseconds of a clock that all processes share (any origin), written
     * in this order.
     *
     * @param note shown as a mark at the process's last span end (e.g. that spans are missing), or null
     */
    public record Process(int id, String name, List<String> threads, int[] kinds, long[] starts, long[] ends,
                          String note) {}

    private TraceFile() {}

    /**
     * One process's events as the file's text, a line each: its name, its threads' names, its
     * spans in the given order, its note.
     *
     * @param origin the time (same clock as the spans) that is 0 in the file: the earliest start of all processes
     */
    public static byte[] events(List<Kind> kinds, Process process, long origin) {
        ByteArrayOutputStream text = new ByteArrayOutputStream(64 * (16 + process.kinds().length));
        EventText events = new EventText(text);
        int pid = process.id();
        events.metadata("process_name", pid, 0, quote(process.name()));
        events.metadata("process_sort_index", pid, 0, Integer.toString(pid));
        for (int t = 0; t < process.threads().size(); t++) {
            events.metadata("thread_name", pid, t, quote(process.threads().get(t)));
            events.metadata("thread_sort_index", pid, t, Integer.toString(t));
        }
        byte[][] heads = new byte[kinds.size()][];
        for (int k = 0; k < heads.length; k++) {
            Kind kind = kinds.get(k);
            heads[k] = ascii("{\"name\":" + quote(kind.name()) + ",\"cat\":" + quote(kind.category())
                    + ",\"ph\":\"X\",\"pid\":" + pid + ",\"tid\":" + kind.thread() + ",\"ts\":");
        }
        long last = origin;
        for (int i = 0; i < process.kinds().length; i++) {
            long start = process.starts()[i];
            long end = process.ends()[i];
            events.span(heads[process.kinds()[i]], start - origin, end - start);
            last = Math.max(last, end);
        }
        if (process.note() != null) {
            events.text("{\"name\":" + quote(process.note()) + ",\"ph\":\"i\",\"s\":\"p\",\"pid\":" + pid
                    + ",\"tid\":0,\"ts\":" + micros(last - origin) + "}");
        }
        return text.toByteArray();
    }

    /**
     * The file, from every process's {@link #events}, in the order given.
     *
     * @param about {@code otherData}: maps, lists, strings, numbers and booleans
     */
    public static void write(Path file, List<byte[]> processes, Map<String, ?> about) throws IOException {
        AtomicFile.write(file, out -> {
            out.write(ascii("{\"traceEvents\":[\n"));
            for (int p = 0; p < processes.size(); p++) {
                if (p > 0) {
                    out.write(EventText.SEPARATOR);
                }
                out.write(processes.get(p));
            }
            out.write(ascii("\n],\"displayTimeUnit\":\"ms\",\"otherData\":"));
            try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
                JsonValue.write(json, about, JsonValue.Strictness.STRICT);
            }
            out.write(ascii("}\n"));
        });
    }

    /**
     * Events as text, one a line, each built in one buffer and written in one call. trace.json
     * is written once, as a run ends, by code the JIT has not compiled yet, where each call
     * counts: field by field through a JSON generator a span takes dozens of calls and a
     * character-by-character encoding; here it is a copied head (name, category, process,
     * thread) and two numbers.
     */
    private static final class EventText {
        static final byte[] SEPARATOR = ascii(",\n");
        private static final byte[] DURATION = ascii(",\"dur\":");
        private final ByteArrayOutputStream out;
        private byte[] line = new byte[256];
        private boolean first = true;

        EventText(ByteArrayOutputStream out) {
            this.out = out;
        }

        /** A complete event: its head up to {@code "ts":}, then start and duration in microseconds. */
        void span(byte[] head, long startNanos, long durationNanos) {
            int at = begin(head.length + DURATION.length + 2 * MICROS_DIGITS_MAX + 1);
            System.arraycopy(head, 0, line, at, head.length);
            at = putMicros(line, at + head.length, startNanos);
            System.arraycopy(DURATION, 0, line, at, DURATION.length);
            at = putMicros(line, at + DURATION.length, durationNanos);
            line[at++] = '}';
            out.write(line, 0, at);
        }

        void metadata(String name, int pid, int tid, String value) {
            text("{\"name\":\"" + name + "\",\"ph\":\"M\",\"pid\":" + pid + ",\"tid\":" + tid + ",\"args\":{\""
                    + (name.endsWith("_name") ? "name" : "sort_index") + "\":" + value + "}}");
        }

        void text(String event) {
            byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
            int at = begin(bytes.length);
            System.arraycopy(bytes, 0, line, at, bytes.length);
            out.write(line, 0, at + bytes.length);
        }

        /** Room for an event of up to {@code length} bytes after the separator; where it starts. */
        private int begin(int length) {
            if (line.length < length + SEPARATOR.length) {
                line = new byte[length + SEPARATOR.length];
            }
            if (first) {
                first = false;
                return 0;
            }
            System.arraycopy(SEPARATOR, 0, line, 0, SEPARATOR.length);
            return SEPARATOR.length;
        }
    }

    /** Digits of a long's microseconds, a point and three decimals. */
    private static final int MICROS_DIGITS_MAX = 16 + 1 + 3;

    /** Nanoseconds as microseconds with three decimals, exactly (a division by 1000 needs no rounding). */
    private static int putMicros(byte[] text, int at, long nanos) {
        at = NumberOutput.outputLong(nanos / 1000, text, at);
        int fraction = (int) (nanos % 1000);
        text[at++] = '.';
        text[at++] = (byte) ('0' + fraction / 100);
        text[at++] = (byte) ('0' + fraction / 10 % 10);
        text[at++] = (byte) ('0' + fraction % 10);
        return at;
    }

    private static String micros(long nanos) {
        byte[] text = new byte[MICROS_DIGITS_MAX];
        return new String(text, 0, putMicros(text, 0, nanos), StandardCharsets.US_ASCII);
    }

    private static String quote(String text) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
