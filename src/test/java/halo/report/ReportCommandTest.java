package halo.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} on run directories of real runs kept under src/test/resources/report (a
 * completed run at 1 and 2 ranks of one problem; 1 and 4 ranks of a weak-scaling pair; a run
 * whose rank 0 ran out of disk; a completed run with one log line cut in half; an auc run),
 * against the expected report text beside them.
 */
class ReportCommandTest {

    private static final Path FIXTURES = Path.of("src/test/resources/report");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    /** What one call printed and returned. */
    record Outcome(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    @BeforeAll
    static void offScreen() {
        System.setProperty("java.awt.headless", "true");
    }

    static Outcome report(String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReportCommand.run(arguments, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String run(String name) {
        return FIXTURES.resolve(name).toString();
    }

    private static String expected(String name) throws IOException {
        return Files.readString(FIXTURES.resolve("expected").resolve(name));
    }

    @Test
    void oneProblemAtOneAndTwoRanksGivesBothRunsAndAStrongScalingTable() throws IOException {
        Outcome r = report(run("strong-np1"), run("strong-np2"));
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        assertEquals(expected("strong.txt"), r.out());
    }

    @Test
    void equalCellsPerRankAndStepsGiveAWeakScalingTable() throws IOException {
        Outcome r = report(run("weak-np1"), run("weak-np4"));
        assertEquals(0, r.status(), r.err());
        assertEquals(expected("weak.txt"), r.out());
    }

    @Test
    void aFailedRunIsReportedFromItsLogsAsNotCompleted() throws IOException {
        Outcome r = report(run("failed-np2"));
        assertEquals(0, r.status(), r.err());
        assertEquals(expected("failed.txt"), r.out());
        assertTrue(r.out().startsWith("Run " + run("failed-np2") + ": NOT COMPLETED: rank 0 failed: cannot write"),
                r.out());
    }

    @Test
    void aCorruptLogLineGivesAClearlyMarkedPartialReportAndOneLine() throws IOException {
        Outcome r = report(run("corrupt-np2"));
        assertEquals(ReportCommand.PARTIAL, r.status());
        assertEquals(expected("corrupt.txt"), r.out());
        assertTrue(r.out().contains("PARTIAL REPORT:"), r.out());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("halo report: partial report of " + run("corrupt-np2")
                + ": logs/rank-1.json line 5 is not a whole JSON record"), r.err());
    }

    @Test
    void aucRunsReportSamplesPerSecond() throws IOException {
        Outcome r = report(run("auc-np1"));
        assertEquals(0, r.status(), r.err());
        assertEquals(expected("auc.txt"), r.out());
    }

    @Test
    void runsOfDifferentProblemsAtDifferentRankCountsGiveOneLineAndNoReport() {
        Outcome r = report(run("strong-np1"), run("weak-np4"));
        assertEquals(ReportCommand.BAD_INPUT, r.status());
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("halo report: error: no scaling table: " + run("strong-np1")
                + " (diff2d 266x266 cells, 707 steps, 1 rank) and " + run("weak-np4")), r.err());
    }

    @Test
    void aDirectoryThatIsNoRunDirectoryGivesOneLine() throws IOException {
        Files.writeString(temp.resolve("notes.txt"), "not a run");
        Outcome r = report(temp.toString());
        assertEquals(ReportCommand.BAD_INPUT, r.status());
        assertEquals("", r.out());
        assertEquals(List.of("halo report: error: " + temp + ": not a run directory (no summary.json, no logs/rank-N.json)"),
                r.errLines());
        Outcome missing = report(temp.resolve("nothing").toString());
        assertEquals(List.of("halo report: error: " + temp.resolve("nothing") + ": no such directory"), missing.errLines());
    }

    @Test
    void recordsOfANewerSchemaAreRefusedInOneLine() throws IOException {
        Path run = temp.resolve("newer");
        Files.createDirectories(run.resolve("logs"));
        Files.writeString(run.resolve("logs/rank-0.json"), "{\"schema\":2,\"time\":\"2026-12-02T10:00:00.000Z\","
                + "\"level\":\"INFO\",\"app\":\"diff2d\",\"rank\":0,\"ranks\":1,\"record\":{\"event\":\"startup\"}}\n");
        Outcome r = report(run.toString());
        assertEquals(ReportCommand.BAD_INPUT, r.status());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("written in record schema 2 by a newer Halo; this report reads schema 1"), r.err());
    }

    /** Lines as Log4j's JSON template layout wrote them before schema 1: no schema, rank a string. */
    @Test
    void recordsWrittenBeforeTheSchemaAreRead() throws IOException {
        Path run = temp.resolve("older");
        Files.createDirectories(run.resolve("logs"));
        String prefix = "{\"time\":\"2026-11-30T09:00:00.000Z\",\"level\":\"INFO\",\"app\":\"diff2d\",\"rank\":\"0\","
                + "\"ranks\":\"1\",\"record\":";
        Files.writeString(run.resolve("logs/rank-0.json"), prefix + "{\"event\":\"startup\",\"jvm_seconds\":0.4}}\n"
                + prefix + "{\"event\":\"output\",\"step\":353,\"simtime\":0.4988}}\n");
        Outcome r = report(run.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Run " + run + ": NOT COMPLETED: no summary.json; the logs end without an error"
                + " record (killed or still running?), last output at step 353\n  diff2d, 1 rank,"), r.out());
    }

    @Test
    void badOptionsGiveOneLine() {
        assertEquals(List.of("halo report: error: unknown option --bogus; see report --help"),
                report("--bogus", run("strong-np1")).errLines());
        assertEquals(ReportCommand.BAD_INPUT, report().status());
        assertEquals(1, report().errLines().size());
        assertEquals(List.of("halo report: error: --plots: needs a directory; see report --help"),
                report(run("strong-np1"), "--plots").errLines());
        assertEquals(List.of("halo report: error: --csv: accepted: one of --json and --csv"),
                report("--json", "--csv", run("strong-np1")).errLines());
        Outcome help = report("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("usage: java -jar halo.jar report"), help.out());
    }

    @Test
    void jsonHoldsTheFiguresOfTheTablesUnrounded() throws IOException {
        Outcome r = report("--json", run("strong-np1"), run("strong-np2"));
        assertEquals(0, r.status(), r.err());
        JsonNode report = JSON.readTree(r.out());
        assertEquals(1, report.get("schema").asInt());
        JsonNode np2 = report.get("runs").get(1);
        assertEquals("completed", np2.get("status").asText());
        assertEquals(2, np2.get("per_rank").size());
        JsonNode summary = JSON.readTree(FIXTURES.resolve("strong-np2/summary.json").toFile());
        JsonNode summaryRank1 = summary.get("per_rank").get(1);
        JsonNode rank1 = np2.get("per_rank").get(1);
        assertEquals(summaryRank1.get("compute").asDouble(), rank1.get("phase_seconds").get("compute").asDouble());
        assertEquals(summaryRank1.get("host").asText(), rank1.get("host").asText());
        assertEquals(summaryRank1.get("first_row").asLong(), rank1.get("first_row").asLong());

        JsonNode scaling = report.get("scaling");
        assertEquals("strong", scaling.get("kind").asText());
        double loop1 = loop(JSON.readTree(FIXTURES.resolve("strong-np1/summary.json").toFile()));
        double loop2 = loop(summary);
        JsonNode row2 = scaling.get("rows").get(1);
        assertEquals(2, row2.get("ranks").asInt());
        assertEquals(loop1 / loop2, row2.get("speedup").asDouble(), 1e-12);
        assertEquals(2.0, row2.get("ideal_speedup").asDouble());
        assertEquals(loop1 / loop2 / 2, row2.get("efficiency").asDouble(), 1e-12);
    }

    /** The slowest rank's compute + halo exchange + reduction + I/O, from summary.json. */
    private static double loop(JsonNode summary) {
        double slowest = 0;
        for (JsonNode rank : summary.get("per_rank")) {
            double loop = 0;
            for (String phase : List.of("compute", "halo_exchange", "reduction", "io")) {
                loop += rank.get(phase).asDouble();
            }
            slowest = Math.max(slowest, loop);
        }
        return slowest;
    }

    @Test
    void csvHasAHeaderAndOneRowPerRank() {
        Outcome r = report("--csv", run("strong-np1"), run("strong-np2"), run("failed-np2"));
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(1 + 1 + 2 + 2, lines.size(), r.out());
        int columns = lines.get(0).split(",", -1).length;
        assertTrue(lines.get(0).startsWith("directory,app,completed,ranks,device,rank,host,pid,setup_seconds,"));
        for (String line : lines) {
            assertEquals(columns, line.split(",", -1).length, line);
        }
        assertTrue(lines.get(4).startsWith(run("failed-np2") + ",diff2d,false,2,smpdev,0,vm,"), lines.get(4));
    }

    @Test
    void plotsAreReadablePngsWithTheirAxes() throws IOException {
        Path plots = temp.resolve("plots");
        Outcome r = report("--plots", plots.toString(), run("strong-np1"), run("strong-np2"));
        assertEquals(0, r.status(), r.err());
        List<String> names;
        try (Stream<Path> files = Files.list(plots)) {
            names = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("efficiency.png", "phases-strong-np1.png", "phases-strong-np2.png", "speedup.png",
                "timeline-strong-np1.png", "timeline-strong-np2.png"), names);
        for (String name : names) {
            BufferedImage picture = ImageIO.read(plots.resolve(name).toFile());
            assertNotNull(picture, name);
            assertEquals(900, picture.getWidth(), name);
            assertEquals(520, picture.getHeight(), name);
            assertFalse(isBlank(picture), name + " has something drawn");
        }
        assertTrue(r.out().contains("Charts: " + plots.resolve("phases-strong-np1.png")), r.out());
    }

    private static boolean isBlank(BufferedImage picture) {
        int first = picture.getRGB(0, 0);
        for (int y = 0; y < picture.getHeight(); y += 3) {
            for (int x = 0; x < picture.getWidth(); x += 3) {
                if (picture.getRGB(x, y) != first) {
                    return false;
                }
            }
        }
        return true;
    }
}
