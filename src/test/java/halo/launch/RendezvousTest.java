package halo.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import halo.launch.Rendezvous.Peer;
import halo.launch.Rendezvous.RendezvousException;

/**
 * The rendezvous against ranks that check in as {@link RankRelay} does, and against strangers
 * on the same machine: silent, speaking MPJ's plain hello, garbage, a wrong secret; up to a
 * thousand connections at once, over loopback.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RendezvousTest {

    private static final Duration LONG = Duration.ofSeconds(60);
    private final JobSecret secret = JobSecret.generate();
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    /** Small stacks: a thousand clients at once. */
    private final ExecutorService clients = Executors.newCachedThreadPool(r -> new Thread(null, r, "client", 128 << 10));
    private final List<Socket> held = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stopClients() throws IOException {
        clients.shutdownNow();
        for (Socket socket : held) {
            socket.close();
        }
    }

    private Rendezvous open(int ranks) throws IOException {
        return Rendezvous.open(ranks, InetAddress.getLoopbackAddress(), secret).warnings(warnings::add);
    }

    /** A rank checking in with {@code key}; returns what it was admitted to. */
    private Future<Admission.Peers> rank(Rendezvous rendezvous, JobSecret key, int rank, int writePort, int readPort) {
        return clients.submit(() -> checkIn(rendezvous, key, rank, writePort, readPort));
    }

    /**
     * Rank 0 checking in once the rendezvous has refused someone: a meeting of one rank ends as
     * soon as its rank checks in, which must not come before the stranger under test is dealt with.
     */
    private Future<Admission.Peers> rankAfterARefusal(Rendezvous rendezvous) {
        return clients.submit(() -> {
            for (long end = System.nanoTime() + 10_000_000_000L; warnings.isEmpty() && System.nanoTime() < end; ) {
                Thread.sleep(5);
            }
            return checkIn(rendezvous, secret, 0, 5, 6);
        });
    }

    private static Admission.Peers checkIn(Rendezvous rendezvous, JobSecret key, int rank, int writePort, int readPort)
            throws Exception {
        return Admission.checkIn(new InetSocketAddress(rendezvous.address(), rendezvous.port()),
                key, rank, writePort, readPort, LONG, LONG);
    }

    /** A stranger that connects, sends {@code bytes} (null: nothing) and keeps the connection open. */
    private Socket stranger(Rendezvous rendezvous, byte[] bytes) throws IOException {
        Socket socket = new Socket(rendezvous.address(), rendezvous.port());
        held.add(socket);
        if (bytes != null) {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }
        return socket;
    }

    /** Everything the server ever sends on {@code socket} until it closes (or resets) it, bounded. */
    private static byte[] received(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // reset: closed with the stranger's bytes unread
        }
        return bytes.toByteArray();
    }

    private static byte[] mpjHello(int rank) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF("Sending Info"); // as xdev.niodev.NIODevice.init, byte for byte
        out.writeInt(30000 + rank);
        out.writeInt(31000 + rank);
        out.writeInt(rank);
        return bytes.toByteArray();
    }

    @Test
    void everyRankGetsThePeerListByRankAndEveryRanksPid() throws Exception {
        try (Rendezvous rendezvous = open(3)) {
            List<Future<Admission.Peers>> answers = new ArrayList<>();
            for (int rank : new int[] {2, 0, 1}) { // arrival order does not matter
                answers.add(rank(rendezvous, secret, rank, 30000 + rank, 31000 + rank));
            }
            List<Peer> peers = rendezvous.meet(LONG);
            assertEquals(List.of(0, 1, 2), peers.stream().map(Peer::rank).toList());
            // ADDR@readPort@writePort@rank@debugPort, as MPJRun writes it and NIODevice reads it
            String expected = "#Peer Information;127.0.0.1@31000@30000@0@0;127.0.0.1@31001@30001@1@0;"
                    + "127.0.0.1@31002@30002@2@0";
            int pid = (int) ProcessHandle.current().pid();
            for (Future<Admission.Peers> answer : answers) {
                assertEquals(expected, answer.get(10, TimeUnit.SECONDS).peerList());
                assertArrayEquals(new int[] {pid, pid, pid}, answer.get().pids());
            }
            assertEquals(List.of(), warnings);
        }
    }

    @Test
    void aRankThatNeverChecksInEndsTheMeetingAtTheDeadlineAndReleasesTheOthers() throws Exception {
        try (Rendezvous rendezvous = open(3)) {
            Future<Admission.Peers> rank0 = rank(rendezvous, secret, 0, 1, 2);
            Future<Admission.Peers> rank2 = rank(rendezvous, secret, 2, 3, 4);
            long start = System.nanoTime();
            RendezvousException e = assertThrows(RendezvousException.class, () -> rendezvous.meet(Duration.ofSeconds(2)));
            double seconds = (System.nanoTime() - start) * 1e-9;
            assertEquals("2 of 3 ranks checked in within 2 s; missing rank 1", e.getMessage());
            assertTrue(seconds >= 1.9 && seconds < 20, "took " + seconds + " s");
            for (Future<Admission.Peers> rank : List.of(rank0, rank2)) { // not left waiting
                ExecutionException failure = assertThrows(ExecutionException.class, () -> rank.get(20, TimeUnit.SECONDS));
                assertTrue(failure.getCause().getMessage().contains("closed the connection without the peer list"),
                        failure.getCause().getMessage());
            }
        }
    }

    @ParameterizedTest(name = "ranks {0} of 2")
    @CsvSource(delimiter = '|', textBlock = """
            1 1 | rank 1 checked in twice, from 127.0.0.1:
            2   | rank 2 checked in from 127.0.0.1:
            """)
    void aRankCheckedInTwiceOrOutOfRangeIsAnError(String reported, String message) throws Exception {
        try (Rendezvous rendezvous = open(2)) {
            for (String rank : reported.split(" ")) {
                rank(rendezvous, secret, Integer.parseInt(rank), 1, 2);
            }
            RendezvousException e = assertThrows(RendezvousException.class, () -> rendezvous.meet(LONG));
            assertTrue(e.getMessage().startsWith(message), e.getMessage());
        }
    }

    @Test
    void aWrongSecretIsRefusedAndLearnsNothingWhileTheRanksMeet() throws Exception {
        try (Rendezvous rendezvous = open(2)) {
            Future<List<Peer>> meeting = clients.submit(() -> rendezvous.meet(LONG));
            Future<Admission.Peers> rank0 = rank(rendezvous, secret, 0, 5, 6);
            Future<Admission.Peers> impostor = rank(rendezvous, JobSecret.generate(), 1, 7, 8);
            ExecutionException refused = assertThrows(ExecutionException.class, () -> impostor.get(30, TimeUnit.SECONDS));
            assertTrue(refused.getCause().getMessage().contains("closed the connection without the peer list"),
                    refused.getCause().getMessage());
            Future<Admission.Peers> rank1 = rank(rendezvous, secret, 1, 9, 10);
            meeting.get(30, TimeUnit.SECONDS);
            assertEquals("#Peer Information;127.0.0.1@6@5@0@0;127.0.0.1@10@9@1@0", rank0.get(10, TimeUnit.SECONDS).peerList());
            rank1.get(10, TimeUnit.SECONDS);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).matches("halo rendezvous: refused a connection from 127\\.0\\.0\\.1:\\d+: "
                    + "did not prove this job's secret"), warnings.get(0));
        }
    }

    @Test
    void mpjsPlainHelloClaimingARankIsRefusedAndGetsOnlyTheGreeting() throws Exception {
        try (Rendezvous rendezvous = open(1)) {
            Socket claim = stranger(rendezvous, mpjHello(0));
            Future<byte[]> got = clients.submit(() -> received(claim));
            Future<Admission.Peers> rank0 = rankAfterARefusal(rendezvous);
            rendezvous.meet(LONG);
            rank0.get(10, TimeUnit.SECONDS);
            assertEquals(Admission.GREETING_BYTES, got.get(30, TimeUnit.SECONDS).length); // nothing of the list
            assertTrue(warnings.get(0).endsWith("spoke MPJ Express's plain hello: only ranks started by Halo,"
                    + " with this job's secret, are admitted"), warnings.toString());
        }
    }

    @Test
    void garbageIsRefusedInOneShortLine() throws Exception {
        try (Rendezvous rendezvous = open(1)) {
            byte[] garbage = ("GET /\n" + "x".repeat(65_536)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Socket sender = stranger(rendezvous, null);
            clients.submit(() -> {
                sender.getOutputStream().write(garbage);
                return null;
            });
            Future<Admission.Peers> rank0 = rankAfterARefusal(rendezvous);
            rendezvous.meet(LONG);
            rank0.get(10, TimeUnit.SECONDS);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).matches("halo rendezvous: refused a connection from 127\\.0\\.0\\.1:\\d+: said 'GET /\\\\x0ax*…'"),
                    warnings.get(0));
            assertTrue(warnings.get(0).length() < 120, warnings.get(0));
        }
    }

    @Test
    void aSilentStrangerThatCameFirstStallsNobody() throws Exception {
        try (Rendezvous rendezvous = open(2)) {
            Socket silent = stranger(rendezvous, null);
            Future<byte[]> got = clients.submit(() -> received(silent));
            long start = System.nanoTime();
            Future<Admission.Peers> rank0 = rank(rendezvous, secret, 0, 5, 6);
            Future<Admission.Peers> rank1 = rank(rendezvous, secret, 1, 7, 8);
            rendezvous.meet(LONG);
            double seconds = (System.nanoTime() - start) * 1e-9;
            rank0.get(10, TimeUnit.SECONDS);
            rank1.get(10, TimeUnit.SECONDS);
            // a stranger holding the server up would cost its 30 s to check in
            assertTrue(seconds < 25, "the meeting took " + seconds + " s");
            assertEquals(Admission.GREETING_BYTES, got.get(30, TimeUnit.SECONDS).length);
        }
    }

    /**
     * A thousand ranks at once, after 200 silent strangers and among 300 others speaking garbage,
     * MPJ's plain hello or a wrong secret. A server that waited on each silent one in turn would
     * need 200 x 30 s.
     */
    @Test
    void aThousandRanksMeetAmongStrangersWithoutWaitingForThem() throws Exception {
        int ranks = 1000;
        try (Rendezvous rendezvous = open(ranks)) {
            for (int i = 0; i < 200; i++) {
                stranger(rendezvous, null);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Admission.Peers>> answers = new ArrayList<>();
            List<Future<?>> strangers = new ArrayList<>();
            for (int rank = 0; rank < ranks; rank++) {
                int r = rank;
                answers.add(clients.submit(atOnce(go, () -> Admission.checkIn(
                        new InetSocketAddress(rendezvous.address(), rendezvous.port()), secret, r, 20000 + r, 40000 + r,
                        LONG, LONG))));
                if (rank % 10 == 0) {
                    strangers.add(clients.submit(atOnce(go, () -> received(stranger(rendezvous, new byte[] {1, 2, 3, 4})))));
                    strangers.add(clients.submit(atOnce(go, () -> received(stranger(rendezvous, mpjHello(r))))));
                    strangers.add(clients.submit(atOnce(go, () -> Admission.checkIn(
                            new InetSocketAddress(rendezvous.address(), rendezvous.port()), JobSecret.generate(), r, 1, 2,
                            LONG, LONG))));
                }
            }
            long start = System.nanoTime();
            go.countDown();
            List<Peer> peers = rendezvous.meet(Duration.ofSeconds(120));
            double seconds = (System.nanoTime() - start) * 1e-9;
            assertEquals(ranks, peers.size());
            String list = answers.get(0).get(60, TimeUnit.SECONDS).peerList();
            for (Future<Admission.Peers> answer : answers) {
                assertEquals(list, answer.get(60, TimeUnit.SECONDS).peerList());
            }
            assertTrue(list.contains(";127.0.0.1@40999@20999@999@0"), list.substring(list.length() - 80));
            for (Future<?> stranger : strangers) { // all refused; none got the list
                try {
                    Object got = stranger.get(60, TimeUnit.SECONDS);
                    assertTrue(got instanceof byte[] bytes && bytes.length <= Admission.GREETING_BYTES, "got " + got);
                } catch (ExecutionException e) {
                    assertTrue(e.getCause().getMessage().contains("without the peer list"), e.getCause().toString());
                }
            }
            assertTrue(seconds < 60, "the meeting took " + seconds + " s");
            assertEquals(4, warnings.size(), "3 lines, then the count: " + warnings);
            // counts those refused while the meeting lasted; a stranger still talking when the
            // last rank checks in is closed without being counted
            Matcher count = Pattern.compile("halo rendezvous: refused (\\d+) connections in all").matcher(warnings.get(3));
            assertTrue(count.matches(), warnings.get(3));
            int refused = Integer.parseInt(count.group(1));
            assertTrue(refused > 3 && refused <= 500, warnings.get(3));
            System.out.printf("1000 ranks among 500 strangers met in %.2f s%n", seconds);
        }
    }

    private static <T> Callable<T> atOnce(CountDownLatch go, Callable<T> task) {
        return () -> {
            go.await();
            return task.call();
        };
    }

    @Test
    void loopbackAddressesBecomeTheAddressOtherNodesReachTheServerBy() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetAddress server = InetAddress.getByName("10.200.0.11");
        InetAddress otherNode = InetAddress.getByName("10.200.0.12");
        List<Peer> peers = List.of(
                new Peer(0, loopback, loopback, 101, 100),   // same node as the server, came over lo
                new Peer(1, otherNode, server, 201, 200));   // another node: reached the server at .11
        assertEquals("#Peer Information;10.200.0.11@101@100@0@0;10.200.0.12@201@200@1@0",
                Rendezvous.peerInformation(peers));
    }

    @Test
    void allRanksOnTheServersNodeKeepLoopback() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<Peer> peers = List.of(new Peer(0, loopback, loopback, 101, 100), new Peer(1, loopback, loopback, 201, 200));
        assertEquals("#Peer Information;127.0.0.1@101@100@0@0;127.0.0.1@201@200@1@0",
                Rendezvous.peerInformation(peers));
    }

    /**
     * MPJ Express reads the peer list with readUTF: 65,535 bytes at most. With five-digit ports
     * (MPJ picks 25000 to 40000) the list outgrows it at these rank counts (docs/security.md).
     */
    @ParameterizedTest(name = "{0}: at most {1} ranks")
    @CsvSource({"255.255.255.255, 1903", "10.200.0.11, 2149", "127.0.0.1, 2297"})
    void thePeerListFitsMpjsReadUtfUpToTheseRankCounts(String address, int most) throws IOException {
        assertTrue(peerList(address, most).length() <= 65_535);
        assertTrue(peerList(address, most + 1).length() > 65_535);
    }

    private static String peerList(String address, int ranks) throws IOException {
        InetAddress at = InetAddress.getByName(address);
        List<Peer> peers = new ArrayList<>();
        for (int rank = 0; rank < ranks; rank++) {
            peers.add(new Peer(rank, at, at, 39999, 39998));
        }
        return Rendezvous.peerInformation(peers);
    }

    @Test
    void aHostOutsideTheAllowedOnesIsClosedUnread() throws Exception {
        try (Rendezvous rendezvous = open(1).allow(List.of(InetAddress.getByName("10.200.0.12")))) {
            Socket outsider = stranger(rendezvous, null);
            Future<byte[]> got = clients.submit(() -> received(outsider));
            Future<RendezvousException> meeting = clients.submit(() -> assertThrows(RendezvousException.class,
                    () -> rendezvous.meet(Duration.ofSeconds(3))));
            assertEquals(0, got.get(30, TimeUnit.SECONDS).length);
            meeting.get(30, TimeUnit.SECONDS);
            assertTrue(warnings.get(0).endsWith("not a host of this job"), warnings.toString());
        }
    }

    @Test
    void theSecretIs256RandomBitsThatParseBack() {
        JobSecret a = JobSecret.generate();
        assertEquals(64, a.hex().length());
        assertEquals(a, JobSecret.parse(a.hex()));
        assertTrue(!a.equals(JobSecret.generate()));
        assertEquals(null, JobSecret.parse("abc"));
        assertEquals("JobSecret[hidden]", a.toString());
    }
}
