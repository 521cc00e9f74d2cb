package halo.e2e;

import static halo.e2e.RunDirectoryFiles.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end: a stranger on the same machine against a real {@code mpjrun.sh -dev niodev} run.
 * It reads the rendezvous's port off a rank's command line, as {@code ps} shows it to every
 * user, and connects as soon as the first rank JVM exists, before any rank can check in. At
 * the rendezvous it is refused and learns nothing but the greeting, whatever it says, and the
 * run completes with the serial field bit for bit; at a rank's own MPJ Express ports (which
 * MPJ binds on every interface and which Halo cannot close) it makes the start-up fail within
 * seconds with one line naming it.
 */
class StrangerIT {

    private static final String[] SHORT = {"diff2d", "--runtime", "1.0"};
    /** Halo's greeting, all a refused stranger receives: "HALO-RV1" and a 32-byte nonce. */
    private static final int GREETING_BYTES = 40;

    @TempDir
    static Path work;
    private static byte[] serialField;

    @TempDir
    Path dir;
    private Path out;
    private final List<Socket> strangers = new ArrayList<>();

    @BeforeAll
    static void serialReference() {
        Halo.Result serial = Halo.serial(work, Halo.concat(SHORT, "--out", "serial"));
        assertEquals(0, serial.exitStatus(), serial.stderr());
        serialField = bytes(work.resolve("serial/final.npy"));
    }

    @AfterEach
    void closeStrangers() throws IOException {
        for (Socket socket : strangers) {
            socket.close();
        }
    }

    private record Ending(int status, String stdout, List<String> stderr, long rankProcessesLeft) {
    }

    /** Starts a run of {@code ranks} whose rank command lines carry its own --out (the marker). */
    private Process start(int ranks) throws IOException {
        out = dir.resolve("run");
        return Halo.startMpjrunNiodev(dir, dir.resolve("stdout"), dir.resolve("stderr"), ranks,
                Halo.concat(SHORT, "--out", out.toString()));
    }

    private Ending end(Process run) throws Exception {
        if (!run.waitFor(180, TimeUnit.SECONDS)) {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
            fail("the run did not end within 180 s; stderr:\n" + Files.readString(dir.resolve("stderr")));
        }
        return new Ending(run.exitValue(), Files.readString(dir.resolve("stdout")),
                Files.readAllLines(dir.resolve("stderr")).stream().filter(l -> !l.isBlank()).toList(),
                Stranger.ranks(out.toString()).size());
    }

    private Socket stranger(int port, byte[] says) throws IOException {
        Socket socket = Stranger.connect(port);
        strangers.add(socket);
        if (says != null) {
            socket.getOutputStream().write(says);
            socket.getOutputStream().flush();
        }
        return socket;
    }

    private void assertCompletedAsSerial(Ending ending) {
        assertEquals(0, ending.status(), String.join("\n", ending.stderr()));
        assertArrayEquals(serialField, bytes(out.resolve("final.npy")));
        assertTrue(ending.stdout().contains("Run directory: " + out), ending.stdout());
    }

    @Test
    void aSilentStrangerThatCameBeforeTheFirstRankStallsNothingAndLearnsNothing() throws Exception {
        Process run = start(2);
        Socket silent = stranger(Stranger.rendezvousPort(out.toString()), null);
        CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> receivedBy(silent));
        Ending ending = end(run);
        assertCompletedAsSerial(ending);
        assertEquals(List.of(), ending.stderr(), "a silent stranger still waiting is no news");
        assertEquals(GREETING_BYTES, got.get(60, TimeUnit.SECONDS).length, "the greeting, nothing of the peer list");
    }

    @Test
    void mpjsPlainHelloClaimingRank0IsRefusedAndTheRunCompletes() throws Exception {
        Process run = start(2);
        // MPJ's hello for rank 0 with made-up ports: before Halo's admission, this took rank 0's place
        Socket claim = stranger(Stranger.rendezvousPort(out.toString()), Stranger.mpjHello(0, 30001, 30002));
        CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> receivedBy(claim));
        Ending ending = end(run);
        assertCompletedAsSerial(ending);
        assertEquals(1, ending.stderr().size(), String.join("\n", ending.stderr()));
        assertTrue(ending.stderr().get(0).matches("halo rendezvous: refused a connection from 127\\.0\\.0\\.1:\\d+: spoke"
                + " MPJ Express's plain hello: only ranks started by Halo, with this job's secret, are admitted"),
                ending.stderr().get(0));
        assertTrue(got.get(60, TimeUnit.SECONDS).length <= GREETING_BYTES);
    }

    @Test
    void aWrongSecretIsRefusedAndLearnsNothingOfThePeerList() throws Exception {
        Process run = start(2);
        Socket impostor = stranger(Stranger.rendezvousPort(out.toString()), Stranger.checkInWithAWrongSecret(0));
        CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> receivedBy(impostor));
        Ending ending = end(run);
        assertCompletedAsSerial(ending);
        assertEquals(1, ending.stderr().size(), String.join("\n", ending.stderr()));
        assertTrue(ending.stderr().get(0).matches("halo rendezvous: refused a connection from 127\\.0\\.0\\.1:\\d+:"
                + " did not prove this job's secret"), ending.stderr().get(0));
        byte[] received = got.get(60, TimeUnit.SECONDS);
        assertEquals(GREETING_BYTES, received.length);
        assertTrue(!new String(received, StandardCharsets.ISO_8859_1).contains("Peer"));
    }

    @Test
    void aRankCommandLineRunWithoutTheSecretIsRefusedAtOnceAndTheRunCompletes() throws Exception {
        Process run = start(2);
        long rank0 = Stranger.rankPid(out.toString(), 0);
        // the rank's own command line, copied off ps: everything but the secret, which is not on it
        List<String> copy = Arrays.asList(new String(Files.readAllBytes(Path.of("/proc", Long.toString(rank0), "cmdline")),
                StandardCharsets.UTF_8).split("\0"));
        Map<String, String> noSecret = Map.of("HALO_JOB_SECRET", "");
        Halo.Result copied = Halo.command(dir, noSecret, java.time.Duration.ofSeconds(60), copy);
        assertEquals(2, copied.exitStatus(), copied.stderr());
        // (the JDK's warning about the Vector API's module: mpjrun.sh filters it, a bare copy does not)
        assertEquals(List.of("mpjrun.sh: rank 0: no job secret in HALO_JOB_SECRET (256 bits in hexadecimal): niodev"
                + " ranks are started by mpjrun.sh -dev niodev or a Halo job script"), copied.stderrLines().stream()
                .filter(line -> !line.startsWith("WARNING: Using incubator modules")).toList());
        Ending ending = end(run);
        assertCompletedAsSerial(ending);
        assertEquals(List.of(), ending.stderr());
    }

    @Test
    void garbageAtTheRendezvousIsRefusedInOneLine() throws Exception {
        Process run = start(2);
        stranger(Stranger.rendezvousPort(out.toString()), ("GET / HTTP/1.0\r\n" + "A".repeat(70_000))
                .getBytes(StandardCharsets.US_ASCII));
        Ending ending = end(run);
        assertCompletedAsSerial(ending);
        assertEquals(1, ending.stderr().size(), String.join("\n", ending.stderr()));
        assertTrue(ending.stderr().get(0).matches("halo rendezvous: refused a connection from 127\\.0\\.0\\.1:\\d+:"
                + " said 'GET / HTTP/1\\.0\\\\x0d\\\\x0aA+…'"), ending.stderr().get(0));
    }

    /**
     * A stranger at rank 0's MPJ Express ports while the ranks connect: silent, or speaking
     * garbage (which crashed MPI.Init with an ArrayIndexOutOfBoundsException and printed stray
     * lines on stdout). The start-up fails within seconds, with one line naming it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"silent", "garbage"})
    void aStrangerAtARanksMpjPortsEndsTheStartUpWithinSecondsInOneLine(String kind) throws Exception {
        Process run = start(2);
        long rank0 = Stranger.rankPid(out.toString(), 0);
        int port = Stranger.mpjPorts(rank0).iterator().next();
        long connected = System.nanoTime();
        stranger(port, kind.equals("garbage") ? new byte[] {-1, -1, -1, -20, 0, 0, 0, 99, 1, 2, 3, 4, 5, 6, 7, 8,
            9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20} : null);
        Ending ending = end(run);
        double seconds = (System.nanoTime() - connected) * 1e-9;
        assertEquals(1, ending.status(), String.join("\n", ending.stderr()));
        assertEquals(1, ending.stderr().size(), String.join("\n", ending.stderr()));
        assertTrue(ending.stderr().get(0).matches("halo rank 0: error: a connection from 127\\.0\\.0\\.1:\\d+ to this"
                + " rank's MPJ port " + port + " is not from a rank of this job; start-up stopped \\(MPJ Express takes"
                + " any connection to its ports: see docs/security\\.md\\)"), ending.stderr().get(0));
        assertEquals("", ending.stdout(), "no stray lines of MPJ's");
        assertTrue(seconds < 30, "the start-up ended " + seconds + " s after the stranger connected");
        assertEquals(0, ending.rankProcessesLeft());
    }

    private static byte[] receivedBy(Socket socket) {
        try {
            return Stranger.received(socket);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
