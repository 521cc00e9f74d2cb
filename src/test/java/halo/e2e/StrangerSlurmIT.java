package halo.e2e;

import static halo.e2e.RunDirectoryFiles.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stranger at the rendezvous of a real two-node Slurm job (the project's local cluster:
 * nodes halo-n1 and halo-n2 in network namespaces, 10.200.0.11 and .12; this machine is
 * 10.200.0.1 on their bridge). It reads the rendezvous's address and port off a rank's command
 * line and connects before the ranks can check in: from this machine, which is no node of the
 * job (closed unread), and from inside the first node's own network, speaking MPJ Express's
 * plain hello for rank 0 (refused). The job completes with the serial field bit for bit.
 */
class StrangerSlurmIT {

    private static final String RUNTIME = "1";

    @TempDir
    static Path work;
    private static byte[] serialField;
    private static FileLock machine;
    private static LocalSlurm slurm;

    @BeforeAll
    static void serialReferenceAndCluster() {
        Halo.Result serial = Halo.serial(work, "diff2d", "--runtime", RUNTIME, "--out", "serial");
        assertEquals(0, serial.exitStatus(), serial.stderr());
        serialField = bytes(work.resolve("serial/final.npy"));
        machine = LocalSlurm.lockMachine();
        slurm = LocalSlurm.start(2, 8);
    }

    @AfterAll
    static void releaseTheMachine() throws IOException {
        LocalSlurm.release(slurm, machine);
    }

    @Test
    void strangersAtTheJobsRendezvousAreRefusedAndTheJobCompletes(@TempDir Path dir) throws Exception {
        String id = slurm.submit(dir, "-N", "2", "-n", "4", "jobs/diff2d.slurm", "--runtime", RUNTIME);
        InetSocketAddress rendezvous = Stranger.rendezvous("runs/diff2d-" + id);
        assertEquals("10.200.0.11", rendezvous.getHostString(), "the first node's address, not a wildcard");

        try (Socket outsider = new Socket(rendezvous.getAddress(), rendezvous.getPort())) { // from 10.200.0.1
            CompletableFuture<byte[]> outsiderGot = CompletableFuture.supplyAsync(() -> {
                try {
                    return Stranger.received(outsider);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // from inside the job's first node: MPJ's hello for rank 0, then whatever comes back
            Halo.Result insider = Halo.command(dir, Map.of(), Duration.ofSeconds(120), List.of("nsenter",
                    "--net=/run/netns/halo-n1", "bash", "-c", "exec 3<>/dev/tcp/" + rendezvous.getHostString() + "/"
                    + rendezvous.getPort() + " && printf '\\x00\\x0cSending Info\\x00\\x00\\x75\\x30\\x00\\x00\\x75\\x31"
                    + "\\x00\\x00\\x00\\x00' >&3 && cat <&3 | wc -c"));

            LocalSlurm.JobEnd end = slurm.await(id, Duration.ofSeconds(180));
            String output = Files.readString(dir.resolve("diff2d-" + id + ".out"));
            assertEquals("COMPLETED", end.state(), end + "\n" + output);
            Path run = dir.resolve("runs/diff2d-" + id);
            assertArrayEquals(serialField, bytes(run.resolve("final.npy")), output);
            assertTrue(output.contains("on 2 nodes: halo-n1 halo-n2 (niodev)"), output);

            assertEquals(0, outsiderGot.get(60, TimeUnit.SECONDS).length, "closed unread: " + output);
            assertTrue(output.matches("(?s).*halo rendezvous: refused a connection from 10\\.200\\.0\\.1:\\d+: not a host"
                    + " of this job\n.*"), output);
            assertEquals(0, insider.exitStatus(), insider.stderr());
            assertTrue(Integer.parseInt(insider.stdout().strip()) <= 40, "at most the greeting: " + insider.stdout());
            assertTrue(output.matches("(?s).*halo rendezvous: refused a connection from 10\\.200\\.0\\.11:\\d+: spoke"
                    + " MPJ Express's plain hello: only ranks started by Halo, with this job's secret, are admitted\n.*"),
                    output);
        }
    }
}
