package halo.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real two-node Slurm cluster (slurm/local-cluster.sh), where srun starts one
 * JVM per rank and no launcher checks the run first: every rank checks it before MPI.Init, rank
 * 0 says why, and the job fails within seconds, as mpjrun.sh's launchers make it fail.
 */
class CarelessInputSlurmIT {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    private static FileLock machine;
    private static LocalSlurm slurm;

    @TempDir
    Path dir;

    @BeforeAll
    static void twoNodes() {
        machine = LocalSlurm.lockMachine();
        slurm = LocalSlurm.start(2, 8);
    }

    @AfterAll
    static void stop() throws IOException {
        LocalSlurm.release(slurm, machine);
    }

    /** 8 ranks on the 4 rows of --dx 5, across two nodes: one line from rank 0, status 2, no run directory. */
    @Test
    void moreRanksThanRowsFailTheJobBeforeMpiInit() throws IOException {
        String id = slurm.submit(dir, "-N", "2", "-n", "8", "jobs/diff2d.slurm", "--dx", "5");
        LocalSlurm.JobEnd end = slurm.await(id, JOB_TIMEOUT);
        String output = Files.readString(dir.resolve("diff2d-" + id + ".out"));
        String seen = "\njob " + end + "\noutput:\n" + output;
        assertEquals("FAILED", end.state(), seen);
        assertEquals("2:0", end.exitCode(), "Halo's status for bad input" + seen);
        List<String> errors = output.lines().filter(line -> line.startsWith("halo diff2d:")).toList();
        assertEquals(List.of("halo diff2d: error: -np 8: more ranks than grid rows; accepted 1 to 4 ranks for"
                + " nrows = int((x2-x1)/dx) = 4"), errors, seen);
        assertTrue(Duration.between(end.start(), end.end()).toSeconds() < 30, "the job's run time" + seen);
        assertFalse(Files.exists(dir.resolve("runs/diff2d-" + id + "/summary.json")), seen);
    }
}
