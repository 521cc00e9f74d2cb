package halo.e2e;

import static halo.e2e.RunDirectoryFiles.bytes;
import static halo.e2e.RunDirectoryFiles.summary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sbatch jobs/scaling.slurm} on the project's local Slurm cluster, on one node (every run
 * in one JVM) and across two nodes (one JVM per rank, with --trace: the timelines name both
 * nodes and align their clocks). Each study, 1, 2 and 4 ranks of 141 steps of the course grid,
 * must end within 240 s.
 */
class ScalingSlurmIT {

    private static final Duration STUDY_TIMEOUT = Duration.ofSeconds(240);
    private static final List<Integer> RANKS = List.of(1, 2, 4);

    @TempDir
    static Path work;
    private static FileLock machine;

    @BeforeAll
    static void theMachine() {
        machine = LocalSlurm.lockMachine();
    }

    @AfterAll
    static void releaseTheMachine() throws IOException {
        LocalSlurm.release(null, machine);
    }

    @Test
    void oneNode() {
        try (LocalSlurm slurm = LocalSlurm.start(1, 8)) {
            Path dir = work.resolve("one-node");
            Path study = runStudy(slurm, dir, "-n", "4", "jobs/scaling.slurm", "diff2d", "--runtime", "0.2");
            for (int r : RANKS) {
                assertEquals("smpdev", summary(study.resolve("np" + r)).get("device").asText());
            }
        }
    }

    @Test
    void twoNodes() throws IOException {
        try (LocalSlurm slurm = LocalSlurm.start(2, 8)) {
            Path dir = work.resolve("two-nodes");
            Path study = runStudy(slurm, dir, "-N", "2", "-n", "4", "jobs/scaling.slurm", "diff2d", "--runtime", "0.2",
                    "--trace");
            JsonNode trace = new ObjectMapper().readTree(study.resolve("np4/trace.json").toFile());
            Set<String> hosts = new TreeSet<>();
            for (JsonNode rank : trace.get("otherData").get("ranks")) {
                hosts.add(rank.get("host").asText());
                assertTrue(Math.abs(rank.get("clock_offset_ns").asLong()) <= rank.get("clock_offset_bound_ns").asLong(),
                        "one machine, one clock: the offset is 0 within its bound: " + rank);
            }
            assertEquals(Set.of("halo-n1", "halo-n2"), hosts);
            assertEquals("niodev", summary(study.resolve("np4")).get("device").asText());
        }
    }

    /** Submits the study, waits for it, checks every run and the report; returns the study directory. */
    private static Path runStudy(LocalSlurm slurm, Path dir, String... sbatch) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String id = slurm.submit(dir, sbatch);
        LocalSlurm.JobEnd end = slurm.await(id, STUDY_TIMEOUT);
        String output = ScalingIT.read(dir.resolve("scaling-" + id + ".out"));
        assertEquals("COMPLETED", end.state(), end + "\n" + output);
        assertEquals("0:0", end.exitCode(), end + "\n" + output);
        Path study = dir.resolve("runs/scaling-" + id);
        assertTrue(output.contains("scaling study of diff2d at 1 2 4 ranks in runs/scaling-" + id), output);
        for (int r : RANKS) {
            JsonNode summary = summary(study.resolve("np" + r));
            assertEquals("completed", summary.get("status").asText());
            assertEquals(r, summary.get("ranks").asInt());
            assertArrayEquals(bytes(study.resolve("np1/final.npy")), bytes(study.resolve("np" + r + "/final.npy")));
            assertTrue(output.contains("halo job " + id + ": completed; results in runs/scaling-" + id + "/np" + r), output);
        }
        String report = ScalingIT.read(study.resolve("report.txt"));
        assertTrue(report.contains("Strong scaling: "), report);
        assertTrue(output.contains("study done: runs/scaling-" + id + "/report.txt"), output);
        return study;
    }
}
