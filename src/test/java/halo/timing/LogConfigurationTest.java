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
import java.util.Map;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
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
