package halo.timing;

import java.io.ByteArrayInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.appender.OutputStreamAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.apache.logging.log4j.spi.LoggerContext;
import org.apache.logging.log4j.status.StatusLogger;
import org.apache.logging.log4j.util.PropertiesUtil;

/**
 * Each rank's Log4j configuration, from {@code conf/log4j2.xml}: the file users edit, as in any
 * Log4j application, found beside the directory of the jar Halo runs from
 * ({@code <project>/target/halo.jar} → {@code <project>/conf/log4j2.xml}), so the same for
 * mpjrun.sh, {@code java -jar} and Slurm jobs. Each rank reads it as it opens its log: an edit
 * counts from the next run on.
 *
 * <p>The file as shipped is recognised (its length and CRC-32) rather than parsed, and the same
 * configuration is built in code ({@link Shipped}): Log4j's XML parser and plugin builder would
 * cost every rank's start far more than that (docs/logging.md has the figures). Any other
 * content is parsed by Log4j. LogConfigurationTest checks that both ways write the same log.
 * Without the file (a jar copied elsewhere) the shipped configuration applies; a file named in
 * Log4j's own property {@code log4j2.configurationFile} wins over both.
 *
 * <p>Whatever appenders the file names, Halo writes {@code logs/rank-N.json}, which tools read,
 * itself ({@link JsonRecordFile}), out of Log4j's reach.
 */
final class LogConfiguration {

    static final String FILE_NAME = "log4j2.xml";
    /** Length and CRC-32 of the shipped conf/log4j2.xml, which {@link Shipped} builds in code. */
    private static final int SHIPPED_LENGTH = 1030;
    private static final long SHIPPED_CRC32 = 0x74c5fc13L;

    private static Layout<?> textLayout;

    private LogConfiguration() {
    }

    /** The Log4j context of the rank whose classes {@code loader} loads, configured and started. */
    static LoggerContext initialize(ClassLoader loader, Path logDirectory, int rank) {
        if (PropertiesUtil.getProperties().getStringProperty(ConfigurationFactory.CONFIGURATION_FILE_PROPERTY) != null) {
            return LogManager.getContext(loader, false);
        }
        Path file = confFile();
        byte[] content = file == null ? null : read(file);
        Configuration configuration = content == null || isShipped(content)
                ? new Shipped(logDirectory, rank)
                : parsed(file, content, logDirectory, rank);
        return Configurator.initialize(loader, configuration);
    }

    /** {@code conf/log4j2.xml} beside the directory of the jar (or class directory) of Halo's classes, or null. */
    static Path confFile() {
        CodeSource code = LogConfiguration.class.getProtectionDomain().getCodeSource();
        if (code == null || code.getLocation() == null) {
            return null;
        }
        try {
            Path parent = Path.of(code.getLocation().toURI()).getParent();
            return parent == null ? null : parent.resolveSibling("conf").resolve(FILE_NAME);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The file's content, or null when there is none to read (then the shipped configuration applies). */
    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether {@code content} is the shipped conf/log4j2.xml. */
    static boolean isShipped(byte[] content) {
        if (content.length != SHIPPED_LENGTH) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(content);
        return crc.getValue() == SHIPPED_CRC32;
    }

    /** An edited file, as Log4j parses it. */
    static Configuration parsed(Path file, byte[] content, Path logDirectory, int rank) {
        ConfigurationSource source = new ConfigurationSource(new ByteArrayInputStream(content), file.toFile());
        return new XmlConfiguration(null, source);
    }

    /**
     * What the shipped conf/log4j2.xml says, built in code: the text log, written as each record
     * comes (a rank that fails keeps every record before its failure), level INFO, jHDF's logger
     * at ERROR, no shutdown hook (Halo closes the log itself). Log4j's own complaints are off:
     * when the disk fills, Log4j would print a stack trace for every record it cannot write, and
     * Halo reports the failure in one line of its own.
     */
    static final class Shipped extends AbstractConfiguration {
        private static final String JHDF = "io.jhdf";
        /** Opened here, where a failure can be reported, and closed with the configuration: the appender does not own it. */
        private final OutputStream textFile;

        Shipped(Path directory, int rank) {
            super(null, ConfigurationSource.NULL_SOURCE);
            Path file = directory.resolve("rank-" + rank + ".log");
            try {
                Files.createDirectories(directory);
                textFile = new FileOutputStream(file.toFile(), true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
            setName("halo-rank-" + rank);
            isShutdownHookEnabled = false;
            StatusLogger.getLogger().getFallbackListener().setLevel(Level.OFF);
        }

        @Override
        protected void doConfigure() {
            // the appender FileAppender's builder would make, without the builder: checking its
            // fields by reflection costs a JVM's first context tens of milliseconds
            Appender text = OutputStreamAppender.createAppender(textLayout(this), null, textFile, "text", false, true);
            text.start();
            addAppender(text);
            getRootLogger().addAppender(text, null, null);
            getRootLogger().setLevel(Level.INFO);
            addLogger(JHDF, LoggerConfig.newBuilder().withLoggerName(JHDF).withLevel(Level.ERROR)
                    .withAdditivity(true).withConfig(this).build());
        }

        @Override
        public boolean stop(long timeout, TimeUnit timeUnit) {
            boolean stopped = super.stop(timeout, timeUnit);
            try {
                textFile.close();
            } catch (IOException e) {
                // the records went out as they came; a failing close loses none of them
            }
            return stopped;
        }
    }

    /**
     * The layout, built once per JVM with the first rank's configuration and used by every
     * rank's appender: a layout is immutable and made for many threads, and building it per
     * rank would cost each further rank several milliseconds (docs/logging.md).
     */
    private static synchronized Layout<?> textLayout(Configuration configuration) {
        if (textLayout == null) {
            textLayout = new ShippedTextLayout(configuration);
        }
        return textLayout;
    }
}
