package halo.timing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One rank's log: {@code logs/rank-N.log} for people ({@link TextLog}, as {@code conf/log4j2.xml}
 * says: {@link LogConfiguration}) and {@code logs/rank-N.json} for tools ({@link JsonRecordFile},
 * Halo's own versioned format, which no Log4j configuration changes), two views of the same
 * records. Works whether ranks are threads of one JVM or processes: nothing here is shared
 * between ranks.
 */
public final class RankLog {

    private final TextLog text;
    private final JsonRecordFile records;

    private RankLog(TextLog text, JsonRecordFile records) {
        this.text = text;
        this.records = records;
    }

    /** Opens the rank's log files in {@code logDirectory}. */
    public static RankLog open(Path logDirectory, String app, int rank, int size) {
        Path directory = logDirectory.toAbsolutePath();
        Path recordFile = directory.resolve("rank-" + rank + ".json");
        JsonRecordFile records;
        try {
            records = JsonRecordFile.open(recordFile, app, rank, size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + recordFile + ": " + e.getMessage(), e);
        }
        return new RankLog(LogConfiguration.open(directory, app, rank, size), records);
    }

    /** A record of named values: {@code event("output", "step", 353, "simtime", 0.4989)}. */
    public void event(String event, Object... keysAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        event(event, values);
    }

    /** A record of the named values, in the map's order. */
    public void event(String event, Map<String, ?> values) {
        text.info(event, values);
        records.write("INFO", event, values, null);
    }

    /**
     * One record per phase, then the totals: steps, cell updates per second, peak heap (of the
     * JVM, which {@code jvmSharedByRanks} ranks share).
     */
    public void timings(PhaseTimer timer, long steps, double cellUpdates, double wallSeconds, int jvmSharedByRanks) {
        for (Phase phase : Phase.values()) {
            event("phase", "phase", phase.key(), "seconds", timer.seconds(phase),
                    "count", timer.count(phase));
        }
        double computeSeconds = timer.seconds(Phase.COMPUTE);
        event("totals", "steps", steps, "cell_updates", cellUpdates,
                "cell_updates_per_second", computeSeconds > 0 ? cellUpdates / computeSeconds : 0.0,
                "wall_seconds", wallSeconds,
                "peak_heap_mib", peakHeapBytes() / (1024.0 * 1024.0), "jvm_shared_by_ranks", jvmSharedByRanks);
    }

    public void error(String message, Throwable cause) {
        text.error(message, cause);
        records.write("ERROR", "error", Map.of("message", message), cause);
    }

    /** Flushes and closes this rank's log files. */
    public void close() {
        records.close();
        text.close();
    }

    /** Peak heap of this JVM (shared by all ranks in multicore mode). */
    public static long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
