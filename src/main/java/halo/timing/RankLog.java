package halo.timing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.spi.LoggerContext;

/**
 * One rank's log: {@code logs/rank-N.log} for people and {@code logs/rank-N.json} (one JSON
 * object a line, Log4j's JSON template layout with {@code conf/halo-log-template.json}) for
 * tools, two views of the same records. Works whether ranks are threads of one JVM or
 * processes: each rank has a Log4j context of its own, that of its class loader (in multicore
 * mode the rank's own, the thread's context class loader, even though this class is shared by
 * all ranks). {@link LogConfiguration} configures it from {@code conf/log4j2.xml}, which users
 * edit; the context keys {@code logDir}, {@code rank}, {@code ranks} and {@code app} set here
 * are there for its lookups.
 */
public final class RankLog {

    private final LoggerContext context;
    private final Logger logger;

    private RankLog(LoggerContext context) {
        this.context = context;
        this.logger = context.getLogger("halo");
    }

    public static RankLog open(Path logDirectory, String app, int rank, int size) {
        Path directory = logDirectory.toAbsolutePath();
        ThreadContext.put("logDir", directory.toString());
        ThreadContext.put("app", app);
        ThreadContext.put("rank", Integer.toString(rank));
        ThreadContext.put("ranks", Integer.toString(size));
        return new RankLog(LogConfiguration.initialize(Thread.currentThread().getContextClassLoader(), directory, rank));
    }

    /** A record of named values: {@code event("output", "step", 353, "simtime", 0.4989)}. */
    public void event(String event, Object... keysAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        logger.info(new LogRecord(event, values));
    }

    /** One record per phase, then the totals: steps, cell updates per second, peak heap. */
    public void timings(PhaseTimer timer, long steps, double cellUpdates, double wallSeconds) {
        for (Phase phase : Phase.values()) {
            event("phase", "phase", phase.key(), "seconds", timer.seconds(phase),
                    "count", timer.count(phase));
        }
        double computeSeconds = timer.seconds(Phase.COMPUTE);
        event("totals", "steps", steps, "cell_updates", cellUpdates,
                "cell_updates_per_second", computeSeconds > 0 ? cellUpdates / computeSeconds : 0.0,
                "wall_seconds", wallSeconds,
                "peak_heap_mib", peakHeapBytes() / (1024.0 * 1024.0));
    }

    public void error(String message, Throwable cause) {
        logger.error(message, cause);
    }

    /** Flushes and closes this rank's log files. */
    public void close() {
        LogManager.shutdown(context);
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
