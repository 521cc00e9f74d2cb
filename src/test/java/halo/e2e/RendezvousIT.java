package halo.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendezvous of multi-node jobs as real processes, without Slurm: a rank that never
 * checks in ends the meeting at its deadline, with one line, and a rank that did check in (a
 * real Halo niodev rank, started by {@code slurm/niodev-rank.sh} as srun would, with the secret
 * the rendezvous wrote) is not left waiting.
 */
class RendezvousIT {

    @TempDir
    Path dir;

    @Test
    void aMissingRankEndsTheMeetingAndTheWaitingRankAtTheDeadline() throws Exception {
        Path launcher = Halo.ROOT.resolve(".mpj/lib/halo-launcher.jar");
        Path portFile = dir.resolve("port");
        Path secretFile = dir.resolve("secret");
        Process rendezvous = new ProcessBuilder("java", "-cp", launcher.toString(), "halo.launch.RendezvousCommand",
                "--ranks", "2", "--timeout", "3", "--port-file", portFile.toString(),
                "--secret-file", secretFile.toString(), "--hosts", "localhost")
                .redirectError(dir.resolve("rendezvous.err").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(portFile) && rendezvous.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(portFile), "the rendezvous wrote no port");
        String[] where = Files.readString(portFile).strip().split(" "); // ADDRESS PORT
        assertEquals("127.0.0.1", where[0], "localhost's only address: the rendezvous listens on loopback alone");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(secretFile));

        // Rank 0 of 2 checks in; rank 1 never comes.
        Halo.Result rank0 = Halo.command(dir, Map.of("SLURM_PROCID", "0", "MPJ_HOME", Halo.ROOT.resolve(".mpj").toString(),
                        "HALO_JAR", Halo.JAR.toString(), "HALO_JOB_SECRET", Files.readString(secretFile).strip(),
                        "HALO_RENDEZVOUS_TIMEOUT", "3"), Duration.ofSeconds(30),
                List.of(Halo.ROOT.resolve("slurm/niodev-rank.sh").toString(), "2", where[0], where[1], "auc"));

        assertTrue(rendezvous.waitFor(10, TimeUnit.SECONDS), "the rendezvous did not end");
        assertEquals(1, rendezvous.exitValue());
        assertEquals(List.of("halo rendezvous: error: 1 of 2 ranks checked in within 3 s; missing rank 1"),
                Files.readAllLines(dir.resolve("rendezvous.err")));
        assertNotEquals(0, rank0.exitStatus(), rank0.stderr());
        assertTrue(rank0.seconds() < 20, "the rank waited " + rank0.seconds() + " s");
        assertEquals(List.of("halo rank 0: error: the rendezvous at 127.0.0.1:" + where[1] + " closed the connection"
                + " without the peer list (it refused this rank, or the meeting failed: see its own message)"),
                rank0.stderrLines());
    }
}
