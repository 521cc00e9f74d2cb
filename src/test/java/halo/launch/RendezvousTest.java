package halo.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import halo.launch.Rendezvous.Peer;
import halo.launch.Rendezvous.RendezvousException;

/**
 * The rendezvous against ranks that speak MPJ Express 0.44's niodev protocol over loopback,
 * byte for byte as {@code xdev.niodev.NIODevice.init} does.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RendezvousTest {

    private final ExecutorService ranks = Executors.newCachedThreadPool();

    @AfterEach
    void stopRanks() {
        ranks.shutdownNow();
    }

    /** A rank reporting its ports; returns what the server answers (EOFException: closed unanswered). */
    private Future<String> rank(int port, int rank, int writePort, int readPort) {
        return ranks.submit(() -> {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.writeUTF("Sending Info");
                out.writeInt(writePort);
                out.writeInt(readPort);
                out.writeInt(rank);
                out.flush();
                return new DataInputStream(socket.getInputStream()).readUTF();
            }
        });
    }

    @Test
    void everyRankGetsThePeerListByRank() throws Exception {
        try (Rendezvous rendezvous = Rendezvous.open(3)) {
            List<Future<String>> answers = new ArrayList<>();
            for (int rank : new int[] {2, 0, 1}) { // arrival order does not matter
                answers.add(rank(rendezvous.port(), rank, 30000 + rank, 31000 + rank));
            }
            List<Peer> peers = rendezvous.meet(Duration.ofSeconds(20));
            assertEquals(List.of(0, 1, 2), peers.stream().map(Peer::rank).toList());
            // ADDR@readPort@writePort@rank@debugPort, as MPJRun writes it and NIODevice reads it
            String expected = "#Peer Information;127.0.0.1@31000@30000@0@0;127.0.0.1@31001@30001@1@0;"
                    + "127.0.0.1@31002@30002@2@0";
            for (Future<String> answer : answers) {
                assertEquals(expected, answer.get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void aRankThatNeverReportsEndsTheMeetingAtTheDeadlineAndReleasesTheOthers() throws Exception {
        try (Rendezvous rendezvous = Rendezvous.open(3)) {
            Future<String> rank0 = rank(rendezvous.port(), 0, 1, 2);
            Future<String> rank2 = rank(rendezvous.port(), 2, 3, 4);
            long start = System.nanoTime();
            RendezvousException e = assertThrows(RendezvousException.class, () -> rendezvous.meet(Duration.ofSeconds(2)));
            double seconds = (System.nanoTime() - start) * 1e-9;
            assertEquals("2 of 3 ranks reported within 2 s; missing rank 1", e.getMessage());
            assertTrue(seconds >= 1.9 && seconds < 10, "took " + seconds + " s");
            // the ranks that did report are not left waiting: their connection closes
            for (Future<String> rank : List.of(rank0, rank2)) {
                Exception failure = assertThrows(Exception.class, () -> rank.get(10, TimeUnit.SECONDS));
                assertTrue(failure.getCause() instanceof EOFException, failure.toString());
            }
        }
    }

    @ParameterizedTest(name = "ranks {0} of 2")
    @CsvSource(delimiter = '|', textBlock = """
            1 1 | rank 1 reported twice, from 127.0.0.1 and 127.0.0.1
            2   | rank 2 reported from 127.0.0.1, but this job has ranks 0 to 1
            """)
    void aRankReportedTwiceOrOutOfRangeIsAnError(String reported, String message) throws Exception {
        try (Rendezvous rendezvous = Rendezvous.open(2)) {
            for (String rank : reported.split(" ")) {
                rank(rendezvous.port(), Integer.parseInt(rank), 1, 2);
            }
            RendezvousException e = assertThrows(RendezvousException.class, () -> rendezvous.meet(Duration.ofSeconds(10)));
            assertEquals(message, e.getMessage());
        }
    }

    @Test
    void aConnectionThatDoesNotSpeakTheProtocolIsIgnored() throws Exception {
        try (Rendezvous rendezvous = Rendezvous.open(1)) {
            ranks.submit(() -> {
                try (Socket stray = new Socket(InetAddress.getLoopbackAddress(), rendezvous.port())) {
                    new DataOutputStream(stray.getOutputStream()).writeUTF("GET / HTTP/1.0");
                }
                return null;
            }).get(10, TimeUnit.SECONDS);
            Future<String> rank0 = rank(rendezvous.port(), 0, 5, 6);
            rendezvous.meet(Duration.ofSeconds(10));
            assertEquals("#Peer Information;127.0.0.1@6@5@0@0", rank0.get(10, TimeUnit.SECONDS));
        }
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
}
