package halo.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;

/**
 * A timeline in the Chrome trace-event format ({@code trace.json}), which Perfetto
 * (ui.perfetto.dev) and chrome://tracing open: an object whose {@code traceEvents} hold, per
 * process, its name and its threads' names ({@code "ph":"M"} metadata), then its spans as
 * complete events ({@code "ph":"X"}, {@code ts} and {@code dur} in microseconds), each
 * thread's in time order, an enclosing span before the spans inside it; {@code otherData}
 * holds what the caller says about the whole.
 */
public final class TraceFile {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    /** A kind of span: its name, its category, the thread (index into the process's threads) it is drawn on. */
    public record Kind(String name, String category, int thread) {}

    /**
     * One process of the timeline; span i is of kind {@code kinds[i]}, from {@code starts[i]} to
     * {@code ends[i]}, in nanoseconds of a clock that all processes share (any origin).
     *
     * @param note shown as a mark at the process's last span end (e.g. that spans are missing), or null
     */
    public record Process(int id, String name, List<String> threads, int[] kinds, long[] starts, long[] ends,
                          String note) {}

    private TraceFile() {}

    /** @param about {@code otherData}: maps, lists, strings, numbers and booleans */
    public static void write(Path file, List<Kind> kinds, List<Process> processes, Map<String, ?> about)
            throws IOException {
        long origin = earliestStart(processes);
        AtomicFile.write(file, out -> {
            try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
                json.writeStartObject();
                json.writeArrayFieldStart("traceEvents");
                for (Process process : processes) {
                    writeProcess(json, kinds, process, origin);
                }
                json.writeEndArray();
                json.writeStringField("displayTimeUnit", "ms");
                json.writeFieldName("otherData");
                JsonValue.write(json, about, JsonValue.Strictness.STRICT);
                json.writeEndObject();
                json.writeRaw('\n');
            }
        });
    }

    private static long earliestStart(List<Process> processes) {
        long earliest = Long.MAX_VALUE;
        for (Process process : processes) {
            for (long start : process.starts()) {
                earliest = Math.min(earliest, start);
            }
        }
        return earliest;
    }

    private static void writeProcess(JsonGenerator json, List<Kind> kinds, Process process, long origin)
            throws IOException {
        metadata(json, "process_name", process.id(), 0, process.name());
        metadata(json, "process_sort_index", process.id(), 0, process.id());
        for (int t = 0; t < process.threads().size(); t++) {
            metadata(json, "thread_name", process.id(), t, process.threads().get(t));
            metadata(json, "thread_sort_index", process.id(), t, t);
        }
        long last = origin;
        for (int i : timeOrder(kinds, process)) {
            Kind kind = kinds.get(process.kinds()[i]);
            long start = process.starts()[i];
            long end = process.ends()[i];
            json.writeStartObject();
            json.writeStringField("name", kind.name());
            json.writeStringField("cat", kind.category());
            json.writeStringField("ph", "X");
            json.writeNumberField("pid", process.id());
            json.writeNumberField("tid", kind.thread());
            json.writeNumberField("ts", micros(start - origin));
            json.writeNumberField("dur", micros(end - start));
            json.writeEndObject();
            last = Math.max(last, end);
        }
        if (process.note() != null) {
            json.writeStartObject();
            json.writeStringField("name", process.note());
            json.writeStringField("ph", "i");
            json.writeStringField("s", "p");
            json.writeNumberField("pid", process.id());
            json.writeNumberField("tid", 0);
            json.writeNumberField("ts", micros(last - origin));
            json.writeEndObject();
        }
    }

    private static Integer[] timeOrder(List<Kind> kinds, Process process) {
        Integer[] order = new Integer[process.kinds().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, new TimeOrder(kinds, process));
        return order;
    }

    /**
     * Thread by thread; in a thread by start, and of two spans that start together the longer
     * first. A class, not a chain of lambdas: the file is written once, in a JVM whose
     * lambda machinery may not have started yet, which costs tens of milliseconds.
     */
    private static final class TimeOrder implements Comparator<Integer> {
        private final List<Kind> kinds;
        private final Process process;

        TimeOrder(List<Kind> kinds, Process process) {
            this.kinds = kinds;
            this.process = process;
        }

        @Override
        public int compare(Integer a, Integer b) {
            int byThread = Integer.compare(kinds.get(process.kinds()[a]).thread(), kinds.get(process.kinds()[b]).thread());
            if (byThread != 0) {
                return byThread;
            }
            int byStart = Long.compare(process.starts()[a], process.starts()[b]);
            return byStart != 0 ? byStart : Long.compare(process.ends()[b], process.ends()[a]);
        }
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    private static void metadata(JsonGenerator json, String name, int pid, int tid, Object value) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("ph", "M");
        json.writeNumberField("pid", pid);
        json.writeNumberField("tid", tid);
        json.writeObjectFieldStart("args");
        json.writeFieldName(name.endsWith("_name") ? "name" : "sort_index");
        JsonValue.write(json, value, JsonValue.Strictness.STRICT);
        json.writeEndObject();
        json.writeEndObject();
    }

}
