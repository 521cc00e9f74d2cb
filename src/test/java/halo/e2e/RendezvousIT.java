package halo.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendezvous of multi-node jobs as real processes, without Slurm: a rank that never
 * reports ends the meeting at its deadline, with one line, and a rank that did report (a real
 * Halo niodev rank, started by {@code slurm/niodev-rank.sh} as srun would) is not left waiting.
 */
class RendezvousIT {

    @TempDir
    Path dir;

    @Test
    void aMissingRankEndsTheMeetingAndTheWaitingRankAtTheDeadline() throws Exception {
        Path launcher = Halo.ROOT.resolve(".mpj/lib/halo-launcher.jar");
        Path portFile = dir.resolve("port");
        Process rendezvous = new ProcessBuilder("java", "-cp", launcher.toString(), "halo.launch.Rendezvous",
                "--ranks", "2", "--timeout", "3", "--port-file", portFile.toString())
                .redirectError(dir.resolve("rendezvous.err").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(portFile) && rendezvous.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(portFile), "the rendezvous wrote no port");
        String port = Files.readString(portFile).strip();

        // Rank 0 of 2 reports; rank 1 never comes.
        Halo.Result rank0 = Halo.command(dir, Map.of("SLURM_PROCID", "0", "MPJ_HOME", Halo.ROOT.resolve(".mpj").toString(),
                        "HALO_JAR", Halo.JAR.toString()), Duration.ofSeconds(30),
                List.of(Halo.ROOT.resolve("slurm/niodev-rank.sh").toString(), "2", "localhost", port, "auc"));

        assertTrue(rendezvous.waitFor(10, TimeUnit.SECONDS), "the rendezvous did not end");
        assertEquals(1, rendezvous.exitValue());
        assertEquals(List.of("halo rendezvous: error: 1 of 2 ranks reported within 3 s; missing rank 1"),
                Files.readAllLines(dir.resolve("rendezvous.err")));
        assertNotEquals(0, rank0.exitStatus(), rank0.stderr());
        assertTrue(rank0.seconds() < 10, "the rank waited " + rank0.seconds() + " s");
        assertTrue(rank0.stderr().contains("halo: error: cannot start MPJ Express"), rank0.stderr());
    }
}
