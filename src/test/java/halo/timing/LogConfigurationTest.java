package halo.timing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.Callable;

import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped conf/log4j2.xml is recognised, and Halo writes what it says as Log4j would: the
 * same text, byte for byte but the time stamps. Anything else is Log4j's to write.
 */
class LogConfigurationTest {

    /** Surefire runs in the project's base directory. */
    private static final Path SHIPPED = Path.of("conf", LogConfiguration.FILE_NAME).toAbsolutePath();
    private static final int RANK = 3;
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}";

    @Test
    void theShippedFileIsFoundBesideTheClassesAndTheJarHoldsItsCopy() throws IOException {
        assertEquals(SHIPPED, LogConfiguration.confFile());
        byte[] shipped = Files.readAllBytes(SHIPPED);
        assertArrayEquals(shipped, LogConfiguration.shipped());
        assertTrue(new String(shipped, StandardCharsets.UTF_8).contains("pattern=\"" + ShippedTextLog.PATTERN + "\""),
                "conf/log4j2.xml's pattern changed: make ShippedTextLog write what it says");
    }

    @Test
    void haloWritesWhatLog4jWritesFromTheShippedFile(@TempDir Path dir) throws Exception {
        Path halo = Files.createDirectory(dir.resolve("halo"));
        Path log4j = Files.createDirectory(dir.resolve("log4j"));
        Exception failure = new IllegalStateException("disk full", new IOException("No space left on device"));
        failure.addSuppressed(new IOException("cannot close"));
        LocalDateTime before = LocalDateTime.now();
        writeRecords(ShippedTextLog.open(halo, RANK), failure);
        LocalDateTime after = LocalDateTime.now();
        XmlConfiguration shipped = LogConfiguration.parsed(LogConfiguration.shipped(), null);
        try {
            writeRecords(inOwnContext(() -> Log4jTextLog.open(shipped, log4j, "diff2d", RANK, 4)), failure);
        } finally {
            ThreadContext.clearMap(); // Log4jTextLog's keys for the rank
        }

        String written = Files.readString(halo.resolve("rank-3.log"));
        assertTrue(written.contains("rank 3 INFO  output: step 353, simtime 0.498912") && written.contains("No space")
                && written.contains("Suppressed: java.io.IOException: cannot close"), written);
        assertEquals(written.replaceAll(TIME, "TIME"), Files.readString(log4j.resolve("rank-3.log")).replaceAll(TIME, "TIME"));
        assertLocalTime(written, before, after);
    }

    /** In a zone 5:45 from UTC, so that neither UTC nor a whole-hour mistake passes. */
    @Test
    void theTimeStampIsTheLocalTimeOfTheWrite(@TempDir Path dir) {
        TimeZone previous = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kathmandu"));
        try {
            LocalDateTime before = LocalDateTime.now();
            writeRecords(ShippedTextLog.open(dir, RANK), new IOException("disk full"));
            LocalDateTime after = LocalDateTime.now();
            assertLocalTime(Files.readString(dir.resolve("rank-3.log")), before, after);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            TimeZone.setDefault(previous);
        }
    }

    private static void assertLocalTime(String written, LocalDateTime before, LocalDateTime after) {
        LocalDateTime stamp = LocalDateTime.parse(written.substring(0, 23), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"));
        assertFalse(stamp.isBefore(before.minus(Duration.ofMillis(1))) || stamp.isAfter(after), "local time: " + stamp);
    }

    @Test
    void theShippedFileIsWrittenByHaloAndAnySettingOfLog4jsByLog4j(@TempDir Path dir) throws Exception {
        assertFalse(LogConfiguration.userConfiguresLog4j(), "no Log4j setting in the tests' JVM");
        try (TextLog log = LogConfiguration.open(dir, "diff2d", 0, 1)) {
            assertInstanceOf(ShippedTextLog.class, log);
        }
        System.setProperty("log4j2.statusLoggerLevel", "OFF");
        try (TextLog log = inOwnContext(() -> LogConfiguration.open(dir, "diff2d", 1, 2))) {
            assertTrue(LogConfiguration.userConfiguresLog4j());
            assertInstanceOf(Log4jTextLog.class, log, "a Log4j setting of the user's");
            log.info("start", Map.of("rows", 133));
        } finally {
            System.clearProperty("log4j2.statusLoggerLevel");
            ThreadContext.clearMap();
        }
        assertTrue(Files.readString(dir.resolve("rank-1.log")).matches(TIME + " rank 1 INFO  start: rows 133\\R"),
                "Log4j writes conf/log4j2.xml's log");
    }

    /** The records of a short run, an error with its stack trace among them. */
    private static void writeRecords(TextLog log, Exception failure) {
        try (log) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("step", 353);
            values.put("simtime", 0.49891234);
            log.info("output", values);
            log.error("rank 3 failed", failure);
            log.info("end", Map.of("status", "failed"));
        }
    }

    /** {@code open} in a Log4j context of its own: Log4j keeps one per class loader. */
    private static TextLog inOwnContext(Callable<TextLog> open) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader key = new URLClassLoader(new URL[0], previous)) {
            thread.setContextClassLoader(key);
            return open.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
