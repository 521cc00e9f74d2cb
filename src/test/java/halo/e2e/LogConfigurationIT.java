package halo.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/log4j2.xml, beside the directory of the jar, is what every run's logs/rank-N.log
 * follows: an edit counts from the next run, with no option to give, for mpjrun.sh runs and the
 * serial {@code java -jar} alike. Run on a copy of the installation (copy/target/halo.jar,
 * copy/conf/log4j2.xml), whose file the test edits.
 */
class LogConfigurationIT {

    private static final String[] SHORT_RUN = {"diff2d", "--runtime", "0.01"};
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}";

    @TempDir
    static Path copy;
    private static Path jar;
    private static Path conf;
    private static String shipped;

    @TempDir
    Path work;

    @BeforeAll
    static void copyTheInstallation() throws IOException {
        jar = Files.createDirectories(copy.resolve("target")).resolve("halo.jar");
        Files.copy(Halo.JAR, jar);
        conf = Files.createDirectories(copy.resolve("conf")).resolve("log4j2.xml");
        shipped = Files.readString(Halo.ROOT.resolve("conf/log4j2.xml"));
    }

    @Test
    void theShippedFileGivesTheUsualLog() throws IOException {
        Files.writeString(conf, shipped);
        Path run = mpjrun(2);
        assertTrue(firstLine(run, 1).matches(TIME + " rank 1 INFO  startup: jvm_seconds .*"), firstLine(run, 1));
    }

    @Test
    void anEditedPatternIsTheNextRunsPattern() throws IOException {
        Files.writeString(conf, shipped.replace("%d{yyyy-MM-dd HH:mm:ss.SSS} rank %X{rank} %-5level",
                "[%X{app} %X{rank}/%X{ranks}] %level"));
        Path run = mpjrun(2);
        for (int rank = 0; rank < 2; rank++) {
            assertTrue(firstLine(run, rank).startsWith("[diff2d " + rank + "/2] INFO startup: jvm_seconds "),
                    firstLine(run, rank));
        }
        Path serial = run("serial", List.of("java", "-jar", jar.toString()));
        assertTrue(firstLine(serial, 0).startsWith("[diff2d 0/1] INFO startup: "), firstLine(serial, 0));
    }

    @Test
    void anEditedLevelIsTheNextRunsLevel() throws IOException {
        Files.writeString(conf, shipped.replace("<Root level=\"info\">", "<Root level=\"warn\">"));
        Path run = mpjrun(2);
        for (int rank = 0; rank < 2; rank++) {
            assertEquals("", Files.readString(run.resolve("logs/rank-" + rank + ".log")), "no INFO records");
        }
        assertTrue(Files.isRegularFile(run.resolve("summary.json")));
    }

    /** {@code mpjrun.sh -np ranks -jar copy/target/halo.jar diff2d …}; its run directory. */
    private Path mpjrun(int ranks) {
        return run("np" + ranks, List.of(Halo.MPJRUN.toString(), "-np", Integer.toString(ranks), "-jar", jar.toString()));
    }

    /** {@code launcher… diff2d … --out name}, which must succeed; its run directory. */
    private Path run(String name, List<String> launcher) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(Halo.concat(SHORT_RUN, "--out", name)));
        Halo.Result result = Halo.command(work, Map.of(), Duration.ofSeconds(120), command);
        assertEquals(0, result.exitStatus(), result.stderr());
        return work.resolve(name);
    }

    private static String firstLine(Path run, int rank) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("logs/rank-" + rank + ".log"));
        return lines.isEmpty() ? "" : lines.get(0);
    }
}
