package halo.launch;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * How a niodev rank is admitted to its job's {@link Rendezvous}: a challenge and response keyed
 * with the {@link JobSecret}, so that the secret itself never travels, carrying the ports that
 * the rank's MPJ Express announced in its own hello, and an answer the rendezvous signs the
 * same way. Fixed sizes, big-endian as {@code DataOutputStream}:
 *
 * <pre>
 *   rendezvous → rank  GREETING   "HALO-RV1", server nonce (32 bytes)
 *   rank → rendezvous  CHECK-IN   "HALO-RK1", rank nonce (32), rank, writePort, readPort, pid (int each),
 *                                 HMAC(secret; "check-in", server nonce, rank nonce, the four ints)
 *   rendezvous → rank  PEERS      "HALO-PL1", length (int), the peer list (UTF-8: MPJ's
 *                                 "#Peer Information;…"), N, every rank's pid (int each),
 *                                 HMAC(secret; "peers", rank nonce, server nonce, list, pids)
 * </pre>
 *
 * The pids let a rank's {@link InitGuard} tell the connections of its own job's ranks on the
 * same node from anyone else's while MPJ Express connects the ranks.
 *
 * A connection that fails the check-in (a wrong or no secret, MPJ's plain hello, anything else)
 * is closed without a byte more; it learns nothing of the peer list. The rank checks the
 * answer's HMAC too: a peer list from anything but its own job's rendezvous is refused.
 */
final class Admission {

    static final byte[] GREETING_MAGIC = ascii("HALO-RV1");
    static final byte[] CHECK_IN_MAGIC = ascii("HALO-RK1");
    static final byte[] PEERS_MAGIC = ascii("HALO-PL1");
    static final int NONCE_BYTES = 32;
    static final int MAC_BYTES = 32;
    static final int GREETING_BYTES = GREETING_MAGIC.length + NONCE_BYTES;
    static final int CHECK_IN_BYTES = CHECK_IN_MAGIC.length + NONCE_BYTES + 4 * Integer.BYTES + MAC_BYTES;
    /** MPJ Express reads the peer list with readUTF: at most this many bytes. */
    static final int PEER_LIST_LIMIT = 65_535;

    private static final byte[] CHECK_IN_LABEL = ascii("check-in");
    private static final byte[] PEERS_LABEL = ascii("peers");

    /** A rank's check-in, as the rendezvous read it (its HMAC not yet checked). */
    record CheckIn(byte[] rankNonce, int rank, int writePort, int readPort, int pid, byte[] mac) {

        static CheckIn read(ByteBuffer bytes) {
            bytes.position(CHECK_IN_MAGIC.length);
            byte[] nonce = new byte[NONCE_BYTES];
            bytes.get(nonce);
            int rank = bytes.getInt();
            int writePort = bytes.getInt();
            int readPort = bytes.getInt();
            int pid = bytes.getInt();
            byte[] mac = new byte[MAC_BYTES];
            bytes.get(mac);
            return new CheckIn(nonce, rank, writePort, readPort, pid, mac);
        }

        boolean provenWith(JobSecret secret, byte[] serverNonce) {
            return secret.verifies(mac, CHECK_IN_LABEL, serverNonce, rankNonce, ints(rank, writePort, readPort, pid));
        }
    }

    private Admission() {
    }

    static ByteBuffer greeting(byte[] serverNonce) {
        return ByteBuffer.allocate(GREETING_BYTES).put(GREETING_MAGIC).put(serverNonce).flip();
    }

    /** What an admitted rank learns: MPJ's peer list, and every rank's pid by rank. */
    record Peers(String peerList, int[] pids) {
    }

    /** The answer to an admitted rank: the peer list and pids, signed for that rank's check-in. */
    static ByteBuffer peers(JobSecret secret, CheckIn checkIn, byte[] serverNonce, byte[] peerList, int[] pids) {
        byte[] pidBytes = ints(pids);
        byte[] mac = secret.mac(PEERS_LABEL, checkIn.rankNonce(), serverNonce, peerList, pidBytes);
        return ByteBuffer.allocate(PEERS_MAGIC.length + 2 * Integer.BYTES + peerList.length + pidBytes.length + MAC_BYTES)
                .put(PEERS_MAGIC).putInt(peerList.length).put(peerList).putInt(pids.length).put(pidBytes).put(mac)
                .flip();
    }

    /**
     * The rank's half: checks in at the rendezvous {@code address} with the ports its MPJ
     * Express announced and returns the peer list once every rank has checked in.
     *
     * @param connectTimeout bounds the connection; {@code answerTimeout} the whole wait for the list
     * @throws IOException with a one-line message naming what went wrong
     */
    static Peers checkIn(InetSocketAddress address, JobSecret secret, int rank, int writePort, int readPort,
                         Duration connectTimeout, Duration answerTimeout) throws IOException {
        String where = "the rendezvous at " + address.getHostString() + ":" + address.getPort();
        byte[] rankNonce = JobSecret.randomBytes(NONCE_BYTES);
        byte[] ports = ints(rank, writePort, readPort, (int) ProcessHandle.current().pid());
        secret.mac(CHECK_IN_LABEL); // the JDK's HMAC made ready before connecting: a slow first use costs no connection time
        try (Socket socket = new Socket()) {
            try {
                socket.connect(address, (int) connectTimeout.toMillis());
            } catch (IOException e) {
                throw new IOException("cannot reach " + where + ": " + e.getMessage(), e);
            }
            socket.setSoTimeout((int) answerTimeout.toMillis());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] greeting = new byte[GREETING_BYTES];
            in.readFully(greeting);
            if (!Arrays.equals(greeting, 0, GREETING_MAGIC.length, GREETING_MAGIC, 0, GREETING_MAGIC.length)) {
                throw new IOException(where + " is not a Halo rendezvous (it greeted with other bytes)");
            }
            byte[] serverNonce = Arrays.copyOfRange(greeting, GREETING_MAGIC.length, GREETING_BYTES);
            socket.getOutputStream().write(ByteBuffer.allocate(CHECK_IN_BYTES).put(CHECK_IN_MAGIC).put(rankNonce)
                    .put(ports).put(secret.mac(CHECK_IN_LABEL, serverNonce, rankNonce, ports)).array()); // one packet

            byte[] magic = new byte[PEERS_MAGIC.length];
            in.readFully(magic);
            int length = in.readInt();
            if (!Arrays.equals(magic, PEERS_MAGIC) || length < 0 || length > PEER_LIST_LIMIT) {
                throw new IOException(where + " answered with other bytes than a peer list");
            }
            byte[] peerList = new byte[length];
            in.readFully(peerList);
            int ranks = in.readInt();
            if (ranks < 1 || ranks > PEER_LIST_LIMIT) {
                throw new IOException(where + " answered with other bytes than a peer list");
            }
            byte[] pids = new byte[ranks * Integer.BYTES];
            in.readFully(pids);
            byte[] mac = new byte[MAC_BYTES];
            in.readFully(mac);
            if (!secret.verifies(mac, PEERS_LABEL, rankNonce, serverNonce, peerList, pids)) {
                throw new IOException(where + " does not know this job's secret: its peer list refused");
            }
            int[] pidsByRank = new int[ranks];
            ByteBuffer.wrap(pids).asIntBuffer().get(pidsByRank);
            return new Peers(new String(peerList, StandardCharsets.UTF_8), pidsByRank);
        } catch (EOFException | SocketException e) { // closed, or reset with the check-in unread
            throw new IOException(where + " closed the connection without the peer list (it refused this rank,"
                    + " or the meeting failed: see its own message)");
        } catch (SocketTimeoutException e) {
            throw new IOException(where + " gave no peer list within " + answerTimeout.toSeconds() + " s");
        }
    }

    /** The ints as big-endian bytes. */
    private static byte[] ints(int... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Integer.BYTES);
        bytes.asIntBuffer().put(values);
        return bytes.array();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
