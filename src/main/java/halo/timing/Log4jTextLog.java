package halo.timing;

import java.nio.file.Path;
import java.util.Map;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.spi.LoggerContext;

/**
 * A rank's records through Log4j, as a configuration other than the shipped one says: each
 * rank a context of its own, that of its class loader (in multicore mode the rank's own, the
 * thread's context class loader, even though this class is shared by all ranks). The context
 * keys {@code logDir}, {@code rank}, {@code ranks} and {@code app} set here are there for the
 * configuration's lookups.
 */
final class Log4jTextLog implements TextLog {

    private static final String DISABLE_JMX = "log4j2.disable.jmx";

    private final LoggerContext context;
    private final Logger logger;

    private Log4jTextLog(LoggerContext context) {
        this.context = context;
        this.logger = context.getLogger("halo");
    }

    /**
     * Opens the rank's context with {@code configuration}, or, when it is null, with the one
     * Log4j finds itself (a file named by its own property {@code log4j2.configurationFile}).
     */
    static Log4jTextLog open(Configuration configuration, Path directory, String app, int rank, int ranks) {
        // Log4j registers every context's MBeans with the platform's JMX server, which it starts
        // for them: about 0.1 s of every run's start, for MBeans no one reads in a batch job.
        // -Dlog4j2.disable.jmx=false brings them back.
        System.getProperties().putIfAbsent(DISABLE_JMX, "true");
        ThreadContext.put("logDir", directory.toString());
        ThreadContext.put("app", app);
        ThreadContext.put("rank", Integer.toString(rank));
        ThreadContext.put("ranks", Integer.toString(ranks));
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return new Log4jTextLog(configuration == null
                ? LogManager.getContext(loader, false)
                : Configurator.initialize(loader, configuration));
    }

    /** Whether {@code name} is the system property this class sets for Log4j. */
    static boolean isOwnProperty(String name) {
        return name.equals(DISABLE_JMX);
    }

    @Override
    public void info(String event, Map<String, ?> values) {
        logger.info(new LogRecord(event, values));
    }

    @Override
    public void error(String message, Throwable cause) {
        logger.error(message, cause);
    }

    @Override
    public void close() {
        LogManager.shutdown(context);
    }
}
