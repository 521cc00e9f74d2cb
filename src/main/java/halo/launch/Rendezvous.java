package halo.launch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Where the niodev ranks of one multi-node job find each other, without MPJ's daemons: a
 * server on a port chosen for the job, speaking the protocol of MPJ Express 0.44 (server
 * half: {@code runtime.starter.MPJRun}; rank half: {@code xdev.niodev.NIODevice.init}).
 *
 * <pre>
 *   rank   → server   writeUTF("Sending Info"), writeInt(writePort), writeInt(readPort), writeInt(rank)
 *   server → rank     once all N have reported, to each:
 *                     writeUTF("#Peer Information;ADDR@readPort@writePort@0@0;…;ADDR@…@N-1@0")
 * </pre>
 *
 * A rank is started as {@code java -cp $MPJ_HOME/lib/mpj.jar:APP Main RANK "#Number of
 * Processes;N;#Protocol Switch Limit;131072;#Server Name;HOST;#Server Port;PORT" niodev ARGS…},
 * HOST:PORT being this server. ADDR is each rank's address as this server saw its connection,
 * with one correction: a rank on the server's own node may arrive over loopback (a Debian
 * host resolves its own name to 127.0.1.1), and ranks on other nodes must be given an
 * address they can reach, so a loopback address is replaced by the server's address on a
 * connection that came from another node, when there is one.
 *
 * <p>Bounded: the whole meeting has a deadline; a rank that never reports fails it with a
 * one-line error naming the missing ranks, and every rank already connected sees its
 * connection closed (MPI.Init then fails) instead of waiting forever.
 *
 * <p>Usage, normally by {@code slurm/halo-job.sh}:
 * <pre>
 *   java -cp $MPJ_HOME/lib/halo-launcher.jar halo.launch.Rendezvous --ranks N
 *        [--timeout SECONDS] [--port-file FILE]
 * </pre>
 * The chosen port goes to FILE (written whole: aside, then renamed), or to stdout without
 * --port-file. Exit status: 0 every rank got the peer list, 1 the meeting failed, 2 a bad
 * command line.
 *
 * <p>JDK only, like the rest of this package (package-info).
 */
public final class Rendezvous implements AutoCloseable {

    static final String HELLO = "Sending Info";
    static final String PEER_INFORMATION = "#Peer Information";
    /** The rank's debug port field of the peer list; 0: no debugger. */
    private static final int DEBUG_PORT = 0;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** A connection gets this long to say hello; ranks do so at once after connecting. */
    private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);
    private static final String ERROR_PREFIX = "halo rendezvous: error: ";

    /** A meeting that cannot succeed; the message is one line. */
    public static final class RendezvousException extends Exception {
        private static final long serialVersionUID = 1L;

        public RendezvousException(String message) {
            super(message);
        }
    }

    /**
     * One rank as it reported.
     *
     * @param address      the rank's address as the server saw it
     * @param localAddress the server's own address on that connection
     */
    record Peer(int rank, InetAddress address, InetAddress localAddress, int readPort, int writePort) {
    }

    private final ServerSocket server;
    private final int ranks;

    private Rendezvous(ServerSocket server, int ranks) {
        this.server = server;
        this.ranks = ranks;
    }

    /** Listens on a free port (chosen by the system) on every address of this host. */
    public static Rendezvous open(int ranks) throws IOException {
        return open(ranks, null);
    }

    /** Listens on a free port of {@code address} only (null: every address of this host). */
    public static Rendezvous open(int ranks, InetAddress address) throws IOException {
        if (ranks < 1) {
            throw new IllegalArgumentException("ranks must be at least 1, got " + ranks);
        }
        return new Rendezvous(new ServerSocket(0, 0, address), ranks);
    }

    /**
     * What a niodev rank is given after its rank number (MPJ's {@code MPI.Init} reads it): the
     * rank count and this rendezvous at HOST:PORT. slurm/niodev-rank.sh writes the same line.
     */
    static String rankConfiguration(int ranks, String host, int port) {
        return "#Number of Processes;" + ranks + ";#Protocol Switch Limit;131072;#Server Name;" + host
                + ";#Server Port;" + port;
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * Waits until every rank has reported, at most {@code timeout} from now, then sends each
     * the peer list. Connections that do not speak the protocol are dropped with a warning.
     *
     * @return the ranks, by rank
     * @throws RendezvousException a rank did not report in time, reported twice or out of range,
     *                             or could not be answered
     */
    public List<Peer> meet(Duration timeout) throws RendezvousException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Socket[] sockets = new Socket[ranks];
        Peer[] peers = new Peer[ranks];
        List<Socket> accepted = new ArrayList<>(); // all closed at the end, whatever happens
        try {
            for (int reported = 0; reported < ranks; ) {
                Socket socket = accept(deadline, peers, timeout);
                accepted.add(socket);
                Peer peer = hello(socket, deadline);
                if (peer != null) {
                    checkNew(peer, peers);
                    peers[peer.rank()] = peer;
                    sockets[peer.rank()] = socket;
                    reported++;
                }
            }
            List<Peer> byRank = List.of(peers);
            answer(sockets, peerInformation(byRank));
            return byRank;
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    private Socket accept(long deadline, Peer[] peers, Duration timeout) throws RendezvousException, IOException {
        long left = deadline - System.nanoTime();
        try {
            if (left <= 0) {
                throw new SocketTimeoutException();
            }
            server.setSoTimeout(Math.max(1, (int) Math.min(Integer.MAX_VALUE, left / 1_000_000)));
            return server.accept();
        } catch (SocketTimeoutException e) {
            List<Integer> missing = new ArrayList<>();
            for (int r = 0; r < ranks; r++) {
                if (peers[r] == null) {
                    missing.add(r);
                }
            }
            throw new RendezvousException((ranks - missing.size()) + " of " + ranks + " ranks reported within "
                    + timeout.toSeconds() + " s; missing " + (missing.size() == 1 ? "rank " : "ranks ")
                    + abbreviated(missing));
        }
    }

    /** A rank out of range or reported twice fails the meeting. */
    private void checkNew(Peer peer, Peer[] peers) throws RendezvousException {
        if (peer.rank() < 0 || peer.rank() >= ranks) {
            throw new RendezvousException("rank " + peer.rank() + " reported from "
                    + peer.address().getHostAddress() + ", but this job has ranks 0 to " + (ranks - 1));
        }
        if (peers[peer.rank()] != null) {
            throw new RendezvousException("rank " + peer.rank() + " reported twice, from "
                    + peers[peer.rank()].address().getHostAddress() + " and " + peer.address().getHostAddress());
        }
    }

    /** The rank's report, or null (with a warning) when the connection does not speak the protocol. */
    private static Peer hello(Socket socket, long deadline) throws IOException {
        long left = Math.min(deadline - System.nanoTime(), HELLO_TIMEOUT.toNanos());
        socket.setSoTimeout(Math.max(1, (int) (left / 1_000_000)));
        String from = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String hello = in.readUTF();
            if (!hello.equals(HELLO)) {
                System.err.println("halo rendezvous: ignored a connection from " + from + " that said '"
                        + hello.lines().findFirst().orElse("") + "'");
                return null;
            }
            int writePort = in.readInt();
            int readPort = in.readInt();
            int rank = in.readInt();
            return new Peer(rank, socket.getInetAddress(), socket.getLocalAddress(), readPort, writePort);
        } catch (IOException e) {
            System.err.println("halo rendezvous: ignored a connection from " + from + ": " + e);
            return null;
        }
    }

    /**
     * The message every rank receives: {@code #Peer Information;ADDR@readPort@writePort@rank@0;…}
     * by rank, loopback addresses replaced as the class comment explains.
     */
    static String peerInformation(List<Peer> byRank) {
        InetAddress fromOtherNodes = byRank.stream().filter(p -> !p.address().isLoopbackAddress())
                .map(Peer::localAddress).findFirst().orElse(null);
        StringJoiner message = new StringJoiner(";", PEER_INFORMATION + ";", "");
        for (Peer peer : byRank) {
            InetAddress address = peer.address().isLoopbackAddress() && fromOtherNodes != null
                    ? fromOtherNodes : peer.address();
            message.add(address.getHostAddress() + "@" + peer.readPort() + "@" + peer.writePort() + "@"
                    + peer.rank() + "@" + DEBUG_PORT);
        }
        return message.toString();
    }

    private static void answer(Socket[] sockets, String message) throws RendezvousException {
        for (int rank = 0; rank < sockets.length; rank++) {
            try {
                DataOutputStream out = new DataOutputStream(sockets[rank].getOutputStream());
                out.writeUTF(message);
                out.flush();
            } catch (UTFDataFormatException e) {
                throw new RendezvousException("the peer list of " + sockets.length + " ranks is longer than"
                        + " MPJ Express's 65535-byte limit");
            } catch (IOException e) {
                throw new RendezvousException("cannot send the peer list to rank " + rank + " at "
                        + sockets[rank].getInetAddress().getHostAddress() + ": " + e.getMessage());
            }
        }
    }

    /** "0, 3, 5" or, for long lists, "0, 1, 2, … (40 in all)". */
    private static String abbreviated(List<Integer> ranks) {
        int shown = Math.min(ranks.size(), 10);
        StringJoiner text = new StringJoiner(", ");
        ranks.subList(0, shown).forEach(r -> text.add(Integer.toString(r)));
        return text + (ranks.size() > shown ? ", … (" + ranks.size() + " in all)" : "");
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    // ------------------------------------------------------------------ command line

    public static void main(String[] argv) {
        int status;
        try {
            status = run(argv);
        } catch (LaunchException e) {
            System.err.println(ERROR_PREFIX + e.getMessage()
                    + " (usage: --ranks N [--timeout SECONDS] [--port-file FILE])");
            status = 2;
        }
        System.exit(status);
    }

    private static int run(String[] argv) {
        int ranks = 0;
        Duration timeout = DEFAULT_TIMEOUT;
        Path portFile = null;
        for (int i = 0; i < argv.length; i += 2) {
            if (i + 1 >= argv.length) {
                throw new LaunchException(argv[i] + " needs a value");
            }
            String value = argv[i + 1];
            switch (argv[i]) {
                case "--ranks" -> ranks = LaunchCommand.positive(value, "--ranks");
                case "--timeout" -> timeout = Duration.ofSeconds(LaunchCommand.positive(value, "--timeout"));
                case "--port-file" -> portFile = Path.of(value);
                default -> throw new LaunchException("unknown option " + argv[i]);
            }
        }
        if (ranks == 0) {
            throw new LaunchException("--ranks is required");
        }
        try (Rendezvous rendezvous = open(ranks)) {
            if (portFile == null) {
                System.out.println(rendezvous.port());
                System.out.flush();
            } else {
                Path aside = portFile.resolveSibling(portFile.getFileName() + ".tmp");
                Files.writeString(aside, rendezvous.port() + "\n");
                Files.move(aside, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            rendezvous.meet(timeout);
            return 0;
        } catch (RendezvousException e) {
            System.err.println(ERROR_PREFIX + e.getMessage());
        } catch (IOException e) {
            System.err.println(ERROR_PREFIX + e);
        }
        return 1;
    }
}
