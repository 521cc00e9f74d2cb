package halo.e2e;

import static halo.e2e.RunDirectoryFiles.bytes;
import static halo.e2e.RunDirectoryFiles.summary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local scaling study, {@code src/main/scripts/scaling.sh}, as a user runs it: real runs
 * through mpjrun.sh at 1, 2, 4 (and 3) ranks in one study directory. Each study is short (141
 * steps or fewer of the course grid or its weak-scaling growths) and must end within 180 s.
 */
class ScalingIT {

    static final Path SCRIPT = Halo.ROOT.resolve("src/main/scripts/scaling.sh");
    private static final Duration LIMIT = Duration.ofSeconds(180);

    @TempDir
    Path work;

    @Test
    void strongScalingRunsTheSameProblemAtEveryRankCount() {
        Halo.Result study = scaling("--max-np", "3", "--study", "study", "diff2d", "--runtime", "0.2");
        Path dir = work.resolve("study");
        List<Integer> ranks = List.of(1, 2, 3);
        for (int r : ranks) {
            JsonNode summary = summary(dir.resolve("np" + r));
            assertEquals("completed", summary.get("status").asText());
            assertEquals(r, summary.get("ranks").asInt());
            assertEquals(141, summary.get("steps").asLong());
            assertArrayEquals(bytes(dir.resolve("np1/final.npy")), bytes(dir.resolve("np" + r + "/final.npy")));
            assertTrue(study.stdout().contains("scaling.sh: diff2d at -np " + r + ": study/np" + r), study.stdout());
        }
        assertReport(study, dir, ranks);
    }

    /** Cells per rank and steps as at 1 rank: exactly at 4 ranks (twice the rows), within 1% at 2. */
    @Test
    void weakScalingKeepsTheCellsPerRankAndTheSteps() {
        Halo.Result study = scaling("--max-np", "4", "--weak", "--study", "weak", "diff2d", "--runtime", "0.1",
                "--outtime", "0.05", "--trace");
        Path dir = work.resolve("weak");
        JsonNode one = summary(dir.resolve("np1"));
        double cellsPerRank = one.get("per_rank").get(0).get("cell_updates").asDouble();
        assertEquals(266, one.get("derived").get("nrows").asInt());
        assertEquals(70, one.get("steps").asLong());
        for (int r : List.of(2, 4)) {
            JsonNode summary = summary(dir.resolve("np" + r));
            assertEquals("completed", summary.get("status").asText());
            assertEquals(70, summary.get("steps").asLong(), "steps at -np " + r);
            assertEquals(one.get("derived").get("nper").asLong(), summary.get("derived").get("nper").asLong());
            assertEquals(Math.round(266 * Math.sqrt(r)), summary.get("derived").get("nrows").asLong());
            for (JsonNode rank : summary.get("per_rank")) {
                assertEquals(cellsPerRank, rank.get("cell_updates").asDouble(), (r == 4 ? 0 : 0.01) * cellsPerRank);
            }
            assertTrue(Files.isRegularFile(dir.resolve("np" + r + "/trace.json")), "options reach every run");
        }
        assertTrue(study.stdout().contains("--runtime 0.024909548306857366"), study.stdout());
        assertEquals(0, study.exitStatus(), study.stderr());
        assertTrue(ScalingIT.read(dir.resolve("report.txt")).contains("Weak scaling: "), study.stdout());
    }

    @Test
    void thePlanIsPrintedWithoutRunningAnything() {
        Halo.Result plan = scaling("--plan", "--max-np", "6", "--weak", "auc", "--ntot", "1_000");
        assertEquals(0, plan.exitStatus(), plan.stderr());
        assertEquals("1 --ntot 1000\n2 --ntot 2000\n4 --ntot 4000\n6 --ntot 6000\n", plan.stdout());
        Halo.Result strong = scaling("--plan", "--max-np", "8", "diff2d");
        assertEquals("1\n2\n4\n8\n", strong.stdout());
    }

    @Test
    void aBadRequestIsOneLineAndStatus2AndCreatesNothing() {
        for (List<String> bad : List.of(List.of("--max-np", "0", "diff2d"), List.of("heat"),
                List.of("--bogus", "diff2d"))) {
            Halo.Result refused = scaling(bad.toArray(String[]::new));
            assertEquals(2, refused.exitStatus(), bad + ": " + refused.stderr());
            assertEquals(1, refused.stderrLines().size(), refused.stderr());
            assertTrue(refused.stderr().startsWith("scaling.sh: "), refused.stderr());
        }
        assertFalse(Files.exists(work.resolve("runs")));
    }

    /**
     * What halo report made of the study: report.txt with every run and the strong-scaling
     * table, and the charts.
     */
    static void assertReport(Halo.Result study, Path dir, List<Integer> ranks) {
        assertEquals(0, study.exitStatus(), study.stderr());
        String report = read(dir.resolve("report.txt"));
        for (int r : ranks) {
            assertTrue(report.contains("np" + r + ": completed"), report);
        }
        assertTrue(report.contains("Strong scaling: "), report);
        assertTrue(Files.isRegularFile(dir.resolve("plots/speedup.png")), "speedup chart");
    }

    private Halo.Result scaling(String... arguments) {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(arguments));
        Halo.Result result = Halo.command(work, Map.of(), LIMIT, command);
        assertTrue(result.seconds() < LIMIT.toSeconds());
        return result;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
