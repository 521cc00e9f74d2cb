package halo.timing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.spi.LoggerContext;
import org.apache.logging.log4j.status.StatusLogger;
import org.apache.logging.log4j.util.PropertiesUtil;

/**
 * One rank's log: {@code logs/rank-N.log} for people (Log4j 2) and {@code logs/rank-N.json}
 * for tools ({@link JsonRecordFile}, Halo's own versioned format, which no Log4j configuration
 * changes), two views of the same records. Works whether ranks are threads of one JVM or
 * processes: each rank has a Log4j context of its own, that of its class loader (in multicore
 * mode the rank's own, the thread's context class loader, even though this class is shared by
 * all ranks).
 *
 * <p>The context is configured here, in code ({@link RankConfiguration}), not from a file:
 * Log4j's XML configuration, its plugin builder (which reads every attribute's annotations)
 * and a routing appender cost the first rank of a JVM about 60 ms more before its first step,
 * and every further rank 16 ms. A user's own file still wins: given the way Log4j reads one
 * (the JVM option {@code -Dlog4j2.configurationFile=FILE}, its environment variable), Log4j
 * reads it, and the context keys {@code logDir}, {@code rank}, {@code ranks} and {@code app}
 * set here are there for its lookups.
 */
public final class RankLog {

    private static final String TEXT_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} rank %X{rank} %-5level %msg%n%throwable";

    private final LoggerContext context;
    private final Logger logger;
    private final JsonRecordFile records;

    private RankLog(LoggerContext context, JsonRecordFile records) {
        this.context = context;
        this.logger = context.getLogger("halo");
        this.records = records;
    }

    public static RankLog open(Path logDirectory, String app, int rank, int size) {
        Path directory = logDirectory.toAbsolutePath();
        ThreadContext.put("logDir", directory.toString());
        ThreadContext.put("app", app);
        ThreadContext.put("rank", Integer.toString(rank));
        ThreadContext.put("ranks", Integer.toString(size));
        Path recordFile = directory.resolve("rank-" + rank + ".json");
        JsonRecordFile records;
        try {
            records = JsonRecordFile.open(recordFile, app, rank, size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + recordFile + ": " + e.getMessage(), e);
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (PropertiesUtil.getProperties().getStringProperty(ConfigurationFactory.CONFIGURATION_FILE_PROPERTY) != null) {
            return new RankLog(LogManager.getContext(loader, false), records);
        }
        return new RankLog(Configurator.initialize(loader, new RankConfiguration(directory, rank)), records);
    }

    /**
     * The text log of one rank, written as each record comes (a rank that fails keeps every
     * record before its failure), no shutdown hook (Halo closes the log itself), and Log4j's
     * own complaints off: when the disk fills, Log4j would print a stack trace for every record
     * it cannot write, and Halo reports the failure in one line of its own.
     */
    private static final class RankConfiguration extends AbstractConfiguration {
        private final Path directory;
        private final int rank;

        RankConfiguration(Path directory, int rank) {
            super(null, ConfigurationSource.NULL_SOURCE);
            this.directory = directory;
            this.rank = rank;
            setName("halo-rank-" + rank);
            isShutdownHookEnabled = false;
            StatusLogger.getLogger().getFallbackListener().setLevel(Level.OFF);
        }

        @Override
        protected void doConfigure() {
            Appender appender = file("text", "log", Layouts.of(this).text());
            appender.start();
            addAppender(appender);
            getRootLogger().addAppender(appender, null, null);
            getRootLogger().setLevel(Level.INFO);
        }

        /**
         * The layout, built once per JVM with the first rank's configuration and used by every
         * rank's appender: a layout is immutable and made for many threads, and building it
         * again would cost each further rank milliseconds.
         */
        private record Layouts(Layout<?> text) {
            private static Layouts built;

            static synchronized Layouts of(AbstractConfiguration configuration) {
                if (built == null) {
                    built = new Layouts(
                            PatternLayout.newBuilder().setConfiguration(configuration).setPattern(TEXT_PATTERN).build());
                }
                return built;
            }
        }

        private Appender file(String name, String extension, Layout<?> layout) {
            return FileAppender.newBuilder().setName(name).setConfiguration(this).setLayout(layout)
                    .setFileName(directory.resolve("rank-" + rank + "." + extension).toString()).build();
        }
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
        logger.info(new LogRecord(event, values));
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
        logger.error(message, cause);
        records.write("ERROR", "error", Map.of("message", message), cause);
    }

    /** Flushes and closes this rank's log files. */
    public void close() {
        records.close();
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
