package halo.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.StringMap;
import org.apache.logging.log4j.spi.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped conf/log4j2.xml is recognised and built in code; built so, it writes the very log
 * that Log4j writes from the file itself.
 */
class LogConfigurationTest {

    /** Surefire runs in the project's base directory. */
    private static final Path SHIPPED = Path.of("conf", LogConfiguration.FILE_NAME).toAbsolutePath();
    private static final int RANK = 3;

    @Test
    void theShippedFileIsFoundBesideTheClassesAndRecognised() throws IOException {
        assertEquals(SHIPPED, LogConfiguration.confFile());
        byte[] shipped = Files.readAllBytes(SHIPPED);
        assertTrue(LogConfiguration.isShipped(shipped),
                "conf/log4j2.xml changed: make LogConfiguration.Shipped build what it says, then its length and CRC-32");
        assertTrue(new String(shipped, StandardCharsets.UTF_8).contains("pattern=\"" + ShippedTextLayout.PATTERN + "\""));
        String edited = new String(shipped, StandardCharsets.UTF_8).replace("level=\"info\"", "level=\"warn\"");
        assertFalse(LogConfiguration.isShipped(edited.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void builtInCodeItWritesWhatLog4jWritesFromTheFile(@TempDir Path dir) throws IOException {
        Path inCode = dir.resolve("in-code");
        Path parsed = dir.resolve("parsed");
        Exception failure = new IllegalStateException("disk full"); // one stack trace for both
        writeLog(inCode, new LogConfiguration.Shipped(inCode, RANK), failure);
        writeLog(parsed, LogConfiguration.parsed(SHIPPED, Files.readAllBytes(SHIPPED), parsed, RANK), failure);
        for (String log : new String[] {"rank-3.log"}) { // rank-N.json is Halo's own, not Log4j's (JsonRecordFile)
            String expected = withoutTimes(Files.readString(inCode.resolve(log)));
            assertTrue(expected.contains("353") && expected.contains("disk full")
                    && !expected.contains("hidden"), expected);
            assertEquals(expected, withoutTimes(Files.readString(parsed.resolve(log))), log);
        }
    }

    /** Every part of the pattern, a level narrower than five letters, no rank, a stack trace. */
    @Test
    void theShippedLayoutWritesWhatPatternLayoutWritesForItsPattern() {
        Configuration configuration = new DefaultConfiguration();
        Layout<?> patternLayout = PatternLayout.newBuilder().setConfiguration(configuration)
                .setPattern(ShippedTextLayout.PATTERN).build();
        Layout<?> shipped = new ShippedTextLayout(configuration);
        StringMap rank = ContextDataFactory.createContextData();
        rank.putValue("rank", "3");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("step", 353);
        values.put("simtime", 0.49891234);
        List<LogEvent> events = List.of(
                event(Level.INFO, new LogRecord("output", values), rank, null),
                event(Level.WARN, new SimpleMessage("no rank in this one"), ContextDataFactory.createContextData(), null),
                event(Level.ERROR, new SimpleMessage("rank 3 failed"), rank,
                        new IllegalStateException("disk full", new java.io.IOException("No space left on device"))));
        for (LogEvent event : events) {
            assertEquals(patternLayout.toSerializable(event), shipped.toSerializable(event));
        }
    }

    private static LogEvent event(Level level, Message message, StringMap context, Throwable thrown) {
        return Log4jLogEvent.newBuilder().setLoggerName("halo").setLevel(level).setMessage(message)
                .setContextData(context).setThrown(thrown).setTimeMillis(1_780_000_000_123L).build();
    }

    /** The records of a short run, an error with its stack trace among them, through {@code configuration}. */
    private static void writeLog(Path directory, Configuration configuration, Exception failure) throws IOException {
        ThreadContext.put("logDir", directory.toString());
        ThreadContext.put("rank", Integer.toString(RANK));
        // a context of its own: Log4j keeps one per class loader
        try (URLClassLoader key = new URLClassLoader(new URL[0], LogConfigurationTest.class.getClassLoader())) {
            LoggerContext context = Configurator.initialize(key, configuration);
            Logger logger = context.getLogger("halo");
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("step", 353);
            values.put("simtime", 0.49891234);
            logger.info(new LogRecord("output", values));
            logger.debug(new LogRecord("hidden", Map.of()));
            logger.error("rank 3 failed", failure);
            LogManager.shutdown(context);
        } finally {
            ThreadContext.clearMap();
        }
    }

    /** The log with every time stamp replaced: the two were written at different times. */
    private static String withoutTimes(String log) {
        return log.replaceAll("\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z?", "TIME");
    }
}
