package halo.timing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.Locale;

import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.apache.logging.log4j.util.PropertiesUtil;

/**
 * Each rank's text log, as {@code conf/log4j2.xml} says: the file users edit, as in any Log4j
 * application, found beside the directory of the jar Halo runs from
 * ({@code <project>/target/halo.jar} → {@code <project>/conf/log4j2.xml}), so the same for
 * mpjrun.sh, {@code java -jar} and Slurm jobs. Each rank reads it as it opens its log: an edit
 * counts from the next run on. Without the file (a jar copied elsewhere) the shipped one
 * applies, of which the jar holds a copy.
 *
 * <p>While the file is the shipped one, Halo writes what it says itself ({@link ShippedTextLog})
 * and does not start Log4j for it. Log4j writes the log when there is more for it to do: an
 * edited file, or any Log4j setting of the user's: a system property {@code log4j…} or
 * {@code org.apache.logging.log4j…}, an environment variable {@code LOG4J_…}, a
 * {@code log4j2.component.properties} (and a file named in {@code log4j2.configurationFile}
 * wins over conf/). A library that logs through Log4j by SLF4J (jHDF) then finds Log4j's
 * default configuration, which prints errors only, on the console: as the shipped file has
 * jHDF's logger at ERROR, and jHDF reports its failures by exceptions, logging none at that
 * level.
 *
 * <p>Whatever the file says, Halo writes {@code logs/rank-N.json}, which tools read, itself
 * ({@link JsonRecordFile}), out of Log4j's reach.
 */
final class LogConfiguration {

    static final String FILE_NAME = "log4j2.xml";

    private LogConfiguration() {
    }

    /** The text log of one rank, writing into {@code logDirectory}. */
    static TextLog open(Path logDirectory, String app, int rank, int ranks) {
        Path file = confFile();
        byte[] content = file == null ? null : read(file);
        boolean shipped = content == null || Arrays.equals(content, shipped());
        if (shipped && !userConfiguresLog4j()) {
            return ShippedTextLog.open(logDirectory, rank);
        }
        Configuration configuration;
        if (PropertiesUtil.getProperties().getStringProperty(ConfigurationFactory.CONFIGURATION_FILE_PROPERTY) != null) {
            configuration = null; // the user's own file, which Log4j finds itself
        } else {
            configuration = content == null ? parsed(shipped(), null) : parsed(content, file);
        }
        return Log4jTextLog.open(configuration, logDirectory, app, rank, ranks);
    }

    /** A configuration file as Log4j parses it; {@code file}, if known, for its messages. */
    static XmlConfiguration parsed(byte[] content, Path file) {
        try {
            ByteArrayInputStream in = new ByteArrayInputStream(content);
            return new XmlConfiguration(null,
                    file == null ? new ConfigurationSource(in) : new ConfigurationSource(in, file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // read from memory: cannot happen
        }
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

    /** The shipped conf/log4j2.xml, as the jar holds it. */
    static byte[] shipped() {
        try (InputStream in = LogConfiguration.class.getResourceAsStream(FILE_NAME)) {
            if (in == null) {
                throw new IllegalStateException(FILE_NAME + " is missing from Halo's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the user has set anything of Log4j's: then it is Log4j's to write the log. */
    static boolean userConfiguresLog4j() {
        for (String name : System.getProperties().stringPropertyNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if ((lower.startsWith("log4j") || lower.startsWith("org.apache.logging.log4j"))
                    && !Log4jTextLog.isOwnProperty(name)) {
                return true;
            }
        }
        for (String name : System.getenv().keySet()) {
            if (name.toUpperCase(Locale.ROOT).startsWith("LOG4J_")) {
                return true;
            }
        }
        return LogConfiguration.class.getClassLoader().getResource("log4j2.component.properties") != null;
    }

    /** The file's content, or null when there is none to read (then the shipped configuration applies). */
    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }
}
