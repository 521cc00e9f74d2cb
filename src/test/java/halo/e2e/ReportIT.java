package halo.e2e;

import static halo.e2e.RunDirectoryFiles.jsonLog;
import static halo.e2e.RunDirectoryFiles.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar halo.jar report} on real runs through mpjrun.sh: one small problem at 1, 2
 * and 4 ranks (table, --json, --csv, --plots), the records each rank wrote, a run killed
 * mid-way, niodev ranks in JVMs of their own, and the animated GIF of a --graphics run. About
 * two minutes on a loaded two-core machine.
 */
class ReportIT {

    /** 133 x 133 cells, 353 steps, an output every 88: small, and still five outputs. */
    private static final String[] SMALL = {"diff2d", "--dx", "0.15", "--runtime", "2", "--outtime", "0.5"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    @BeforeAll
    static void runsAtOneTwoAndFourRanks() {
        for (int ranks : new int[] {1, 2, 4}) {
            Halo.Result run = Halo.mpjrun(work, ranks, Halo.concat(SMALL, "--out", "np" + ranks));
            assertEquals(0, run.exitStatus(), run.stderr());
        }
    }

    private static Halo.Result report(String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("java", "-jar", Halo.JAR.toString(), "report"));
        command.addAll(List.of(arguments));
        return Halo.command(work, java.util.Map.of(), java.time.Duration.ofSeconds(60), command);
    }

    @Test
    void theTableShowsEveryRunAndTheStrongScaling() throws IOException {
        Halo.Result r = report("np1", "np2", "np4");
        assertEquals(0, r.exitStatus(), r.stderr());
        assertEquals("", r.stderr());
        String out = r.stdout();
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        for (int ranks : new int[] {1, 2, 4}) {
            assertTrue(out.contains("Run np" + ranks + ": completed\n  diff2d, " + ranks + (ranks == 1 ? " rank" : " ranks")
                    + ", device smpdev"), out);
        }
        assertTrue(out.contains("  hosts: " + host + "\n"), out);
        assertTrue(out.contains("the ranks are threads of one JVM: host, pid, clock and heap are shared"), out);
        assertTrue(out.contains("  problem: diff2d 133x133 cells, 353 steps\n"), out);
        assertTrue(out.contains("Strong scaling: diff2d 133x133 cells, 353 steps\n"), out);
        List<String> scalingRows = out.lines().filter(l -> l.matches(" +[124] +1 +\\d+\\.\\d{4} +\\d+\\.\\d{4} +\\d+\\.\\d\\d"
                + " +[124]\\.00 +\\d+\\.\\d%")).toList();
        assertEquals(3, scalingRows.size(), out);
        assertTrue(out.lines().anyMatch(l -> l.matches(" +3 +" + host + "( +\\d+\\.\\d{4}){6}")), "rank 3's row: " + out);
        assertTrue(out.contains("  halo exchange:\n"), out);
    }

    @Test
    void everyRankRecordsWhereItRanItsPartItsExchangesAndItsIntervals() throws IOException {
        JsonNode summary = summary(work.resolve("np4"));
        assertEquals(1, summary.get("schema").asInt());
        assertEquals(4, summary.get("jvm_shared_by_ranks").asInt());
        int depth = summary.get("parameters").get("halo-depth").asInt();
        int stride = summary.get("derived").get("ncols").asInt() + 2;
        long rows = 0;
        Set<Long> pids = new HashSet<>();
        for (JsonNode rank : summary.get("per_rank")) {
            assertEquals(rows, rank.get("first_row").asLong(), rank.toString());
            rows += rank.get("rows").asLong();
            pids.add(rank.get("pid").asLong());
            long exchanges = rank.get("halo_exchanges").asLong();
            int neighbours = rank.get("rank").asInt() == 0 || rank.get("rank").asInt() == 3 ? 1 : 2;
            assertTrue(exchanges > 0, rank.toString());
            assertEquals(exchanges * neighbours, rank.get("halo_messages_sent").asLong(), rank.toString());
            assertEquals(exchanges * neighbours, rank.get("halo_messages_received").asLong(), rank.toString());
            assertEquals(exchanges * neighbours * depth * stride * 8L, rank.get("halo_bytes_sent").asLong(), rank.toString());
        }
        assertEquals(133, rows);
        assertEquals(1, pids.size(), "multicore: one JVM for all ranks");

        for (int r = 0; r < 4; r++) {
            List<JsonNode> records = jsonLog(work.resolve("np4"), r);
            JsonNode first = records.get(0);
            assertEquals(1, first.get("schema").asInt());
            assertEquals(r, first.get("rank").asInt());
            JsonNode startup = first.get("record");
            assertEquals("startup", startup.get("event").asText());
            for (String key : List.of("host", "pid", "java_vendor", "java_version", "processors", "max_heap_mib", "device")) {
                assertTrue(startup.hasNonNull(key), key + " in " + startup);
            }
            assertEquals(4, startup.get("jvm_shared_by_ranks").asInt());
            JsonNode summaryRank = summary.get("per_rank").get(r);
            assertEquals(summaryRank.get("first_row").asLong(), startup.get("first_row").asLong(), startup.toString());
            assertEquals(summaryRank.get("rows").asLong(), startup.get("rows").asLong(), startup.toString());
            List<JsonNode> intervals = records.stream().map(n -> n.get("record"))
                    .filter(n -> n.get("event").asText().equals("interval")).toList();
            assertEquals(4, intervals.size(), "outputs at 0, 88, 176, 264, 352: four intervals");
            assertEquals(88, intervals.get(0).get("to_step").asLong());
            double intervalCompute = intervals.stream().mapToDouble(n -> n.get("compute_seconds").asDouble()).sum();
            double compute = records.stream().map(n -> n.get("record"))
                    .filter(n -> n.get("event").asText().equals("phase") && n.get("phase").asText().equals("compute"))
                    .findFirst().orElseThrow().get("seconds").asDouble();
            assertTrue(intervalCompute > 0 && intervalCompute <= compute, intervalCompute + " of " + compute);
        }
    }

    @Test
    void jsonAndCsvCarryTheSameRuns() throws IOException {
        Halo.Result json = report("--json", "np1", "np2", "np4");
        assertEquals(0, json.exitStatus(), json.stderr());
        JsonNode report = JSON.readTree(json.stdout());
        assertEquals(3, report.get("runs").size());
        JsonNode scaling = report.get("scaling");
        assertEquals("strong", scaling.get("kind").asText());
        assertEquals(List.of(1, 2, 4), scaling.get("rows").findValues("ranks").stream().map(JsonNode::asInt).toList());
        for (JsonNode row : scaling.get("rows")) {
            assertEquals(row.get("speedup").asDouble() / row.get("ideal_speedup").asDouble(),
                    row.get("efficiency").asDouble(), 1e-12);
        }
        JsonNode np2 = report.get("runs").get(1);
        assertEquals(summary(work.resolve("np2")).get("per_rank").get(1).get("compute").asDouble(),
                np2.get("per_rank").get(1).get("phase_seconds").get("compute").asDouble());

        Halo.Result csv = report("--csv", "np1", "np2", "np4");
        assertEquals(0, csv.exitStatus(), csv.stderr());
        assertEquals(1 + 1 + 2 + 4, csv.stdout().lines().count(), csv.stdout());
    }

    @Test
    void plotsArePngsAUserCanOpen() throws IOException {
        Halo.Result r = report("--plots", "charts", "np1", "np2", "np4");
        assertEquals(0, r.exitStatus(), r.stderr());
        List<String> names;
        try (Stream<Path> files = Files.list(work.resolve("charts"))) {
            names = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("efficiency.png", "phases-np1.png", "phases-np2.png", "phases-np4.png", "speedup.png",
                "timeline-np1.png", "timeline-np2.png", "timeline-np4.png"), names);
        for (String name : names) {
            BufferedImage picture = ImageIO.read(work.resolve("charts").resolve(name).toFile());
            assertNotNull(picture, name);
            assertEquals(900, picture.getWidth());
        }
    }

    @Test
    void aRunKilledMidWayIsReportedAsNotCompletedFromItsLogs() throws Exception {
        Process run = Halo.startMpjrun(work, 2, "diff2d", "--runtime", "1000", "--out", "killed");
        try {
            Path log = work.resolve("killed/logs/rank-1.json");
            Halo.awaitFile(log, run);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.readString(log).contains("\"interval\"") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Halo.jvmOf(run).destroyForcibly();
            run.waitFor();
        } finally {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }
        Halo.Result r = report("killed");
        assertEquals(0, r.exitStatus(), r.stderr());
        assertTrue(r.stdout().startsWith("Run killed: NOT COMPLETED: no summary.json; the logs end without an error"
                + " record (killed or still running?), last output at step "), r.stdout());
        assertTrue(r.stdout().lines().anyMatch(l -> l.matches("  problem: diff2d 266x266 cells, \\d+ steps planned")),
                r.stdout());
        assertTrue(r.stdout().contains("from its intervals)"), r.stdout());
        assertFalse(r.stdout().contains("PARTIAL"), "every record written is whole: " + r.stdout());
    }

    @Test
    void niodevRanksAreSeparateJvms() throws IOException {
        Halo.Result run = Halo.mpjrunNiodev(work, 2, Halo.concat(SMALL, "--out", "niodev"));
        assertEquals(0, run.exitStatus(), run.stderr());
        JsonNode summary = summary(work.resolve("niodev"));
        assertEquals(1, summary.get("jvm_shared_by_ranks").asInt());
        assertNotEquals(summary.get("per_rank").get(0).get("pid").asLong(), summary.get("per_rank").get(1).get("pid").asLong());
        Halo.Result r = report("niodev");
        assertEquals(0, r.exitStatus(), r.stderr());
        assertTrue(r.stdout().contains("device niodev\n"), r.stdout());
        assertFalse(r.stdout().contains("threads of one JVM"), r.stdout());
    }

    @Test
    void aGraphicsRunAlsoWritesAnAnimatedGifOfItsSnapshots() throws IOException {
        Halo.Result run = Halo.mpjrun(work, 2, Halo.concat(SMALL, "--graphics", "--out", "graphics"));
        assertEquals(0, run.exitStatus(), run.stderr());
        Path dir = work.resolve("graphics");
        long snapshots;
        try (Stream<Path> files = Files.list(dir)) {
            snapshots = files.filter(f -> f.getFileName().toString().matches("snapshot-\\d+\\.png")).count();
        }
        assertEquals(5, snapshots);
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new File(dir.resolve("snapshots.gif").toString()))) {
            reader.setInput(in);
            assertEquals(snapshots, reader.getNumImages(true));
            BufferedImage last = reader.read(4);
            assertEquals(ImageIO.read(dir.resolve("snapshot-00004.png").toFile()).getWidth(), last.getWidth());
        } finally {
            reader.dispose();
        }
    }

    @Test
    void reportStartedAsRanksSaysHowToRunItOnce() {
        Halo.Result r = Halo.mpjrun(work, 2, "report", "np1");
        assertEquals(2, r.exitStatus(), r.stderr());
        assertEquals(List.of("halo report: error: report reads run directories and starts no ranks; run it as"
                + " java -jar halo.jar report RUN_DIR..."), r.stderrLines());
    }

}
