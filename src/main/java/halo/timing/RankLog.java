package halo.timing;

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
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.spi.LoggerContext;
import org.apache.logging.log4j.status.StatusLogger;
import org.apache.logging.log4j.util.PropertiesUtil;

/**
 * One rank's log: {@code logs/rank-N.log} for people and {@code logs/rank-N.json} (one JSON
 * object a line, Log4j's JSON template layout with {@code conf/halo-log-template.json}) for
 * tools, two views of the same records. Works whether ranks are threads of one JVM or
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
    private static final String JSON_TEMPLATE = "classpath:halo-log-template.json";

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
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (PropertiesUtil.getProperties().getStringProperty(ConfigurationFactory.CONFIGURATION_FILE_PROPERTY) != null) {
            return new RankLog(LogManager.getContext(loader, false));
        }
        return new RankLog(Configurator.initialize(loader, new RankConfiguration(directory, rank)));
    }

    /**
     * Both files of one rank, written as each record comes (a rank that fails keeps every
     * record before its failure), no shutdown hook (Halo closes the log itself), and Log4j's
     * own complaints off: when the disk fills, Log4j would print a stack trace for every record
     * it cannot write, and Halo reports the failure in one line of its own.
     */
    private static final class RankConfiguration extends AbstractConfiguration {
        private static final String JHDF = "io.jhdf";
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
            Layouts layouts = Layouts.of(this);
            for (Appender appender : new Appender[] {file("text", "log", layouts.text()), file("json", "json", layouts.json())}) {
                appender.start();
                addAppender(appender);
                getRootLogger().addAppender(appender, null, null);
            }
            getRootLogger().setLevel(Level.INFO);
            // jHDF (HDF5 output, through SLF4J) reports failures by exceptions; its INFO lines and
            // the warning it gives for every file it writes would only bury the run's records
            addLogger(JHDF, LoggerConfig.newBuilder().withLoggerName(JHDF).withLevel(Level.ERROR)
                    .withAdditivity(true).withConfig(this).build());
        }

        /**
         * The two layouts, built once per JVM with the first rank's configuration and used by
         * every rank's appenders: a layout is immutable and made for many threads, and building
         * both cost each further rank about 8 ms (at -np 8, a core's 30 ms).
         */
        private record Layouts(Layout<?> text, Layout<?> json) {
            private static Layouts built;

            static synchronized Layouts of(AbstractConfiguration configuration) {
                if (built == null) {
                    built = new Layouts(
                            PatternLayout.newBuilder().setConfiguration(configuration).setPattern(TEXT_PATTERN).build(),
                            JsonTemplateLayout.newBuilder().setConfiguration(configuration)
                                    .setEventTemplateUri(JSON_TEMPLATE).build());
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
