package halo.launch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * Where the niodev ranks of one job find each other, without MPJ's daemons: a server on a port
 * chosen for the job that admits only the job's own ranks ({@link Admission}: each proves the
 * {@link JobSecret}) and then gives each the list MPJ Express 0.44 expects (its server half:
 * {@code runtime.starter.MPJRun}):
 *
 * <pre>
 *   #Peer Information;ADDR@readPort@writePort@0@0;…;ADDR@…@N-1@0
 * </pre>
 *
 * The ranks' MPJ Express never talks to this server: each rank's {@link RankRelay} takes its
 * MPJ hello ({@code writeUTF("Sending Info"), writeInt(writePort), writeInt(readPort),
 * writeInt(rank)}) in the rank's own JVM and checks in here with those ports. ADDR is each
 * rank's address as this server saw its connection, with one correction: a rank on the
 * server's own node may arrive over loopback, and ranks on other nodes must be given an
 * address they can reach, so a loopback address is replaced by the server's address on a
 * connection that came from another node, when there is one.
 *
 * <p>One thread, non-blocking: a thousand ranks may connect at once, and a connection that
 * says nothing, says it slowly or says anything else (MPJ's plain hello, a wrong secret, bytes
 * of any kind) is closed without holding up the others, the first few with a one-line warning
 * each. Connections from addresses outside {@link #allow} are closed unread. Bounded: a
 * connection has {@value #CHECK_IN_SECONDS} s to check in, and the whole meeting a deadline; a
 * rank that never checks in fails it with a one-line error naming the missing ranks, and every
 * rank already admitted sees its connection closed instead of waiting forever.
 *
 * <p>Usage, normally by {@code slurm/halo-job.sh} (see {@link RendezvousCommand}).
 */
public final class Rendezvous implements AutoCloseable {

    static final String HELLO = "Sending Info";
    static final String PEER_INFORMATION = "#Peer Information";
    /** The rank's debug port field of the peer list; 0: no debugger. */
    private static final int DEBUG_PORT = 0;
    /** Generous: a rank checks in at once, but its JVM may share a loaded node with dozens of others. */
    private static final int CHECK_IN_SECONDS = 30;
    /** Refused connections reported one line each; beyond, counted and reported once. */
    private static final int WARNINGS_SHOWN = 3;
    /** Connections still checking in beyond this many: the oldest is closed (a flood of silent ones). */
    private static final int PENDING_LIMIT = 4096;

    /** A meeting that cannot succeed; the message is one line. */
    public static final class RendezvousException extends Exception {
        private static final long serialVersionUID = 1L;

        public RendezvousException(String message) {
            super(message);
        }
    }

    /**
     * One rank as it checked in.
     *
     * @param address      the rank's address as the server saw it
     * @param localAddress the server's own address on that connection
     */
    record Peer(int rank, InetAddress address, InetAddress localAddress, int readPort, int writePort) {
    }

    /** A connection: checking in, then (admitted) waiting for the peer list, then being answered. */
    private static final class Visitor {
        final SocketChannel channel;
        final String from;
        final long checkInDeadline;
        final byte[] serverNonce = JobSecret.randomBytes(Admission.NONCE_BYTES);
        final ByteBuffer greeting = Admission.greeting(serverNonce);
        final ByteBuffer checkIn = ByteBuffer.allocate(Admission.CHECK_IN_BYTES);
        Admission.CheckIn admitted;
        ByteBuffer answer;

        Visitor(SocketChannel channel, long checkInDeadline) throws IOException {
            this.channel = channel;
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            this.from = remote.getAddress().getHostAddress() + ":" + remote.getPort();
            this.checkInDeadline = checkInDeadline;
        }
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final int ranks;
    private final JobSecret secret;
    private Set<InetAddress> allowed; // null: any address that reaches the server's
    private Consumer<String> warnings = System.err::println;
    private int refused;

    private Rendezvous(ServerSocketChannel server, Selector selector, int ranks, JobSecret secret) {
        this.server = server;
        this.selector = selector;
        this.ranks = ranks;
        this.secret = secret;
    }

    /** Listens on a free port (chosen by the system) of {@code address} (null: every address of this host). */
    public static Rendezvous open(int ranks, InetAddress address, JobSecret secret) throws IOException {
        if (ranks < 1) {
            throw new IllegalArgumentException("ranks must be at least 1, got " + ranks);
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(address, 0), Math.max(1024, 2 * ranks));
            server.configureBlocking(false);
            Selector selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            return new Rendezvous(server, selector, ranks, secret);
        } catch (IOException e) {
            server.close();
            throw e;
        }
    }

    /** Only connections from these addresses are read; others are closed at once. */
    public Rendezvous allow(Collection<InetAddress> addresses) {
        allowed = Set.copyOf(addresses);
        return this;
    }

    /** Where the one-line warnings about refused connections go (default: stderr). */
    Rendezvous warnings(Consumer<String> sink) {
        warnings = sink;
        return this;
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
        return server.socket().getLocalPort();
    }

    public InetAddress address() {
        return server.socket().getInetAddress();
    }

    /**
     * Admits connections until every rank has checked in, at most {@code timeout} from now,
     * then sends each the peer list.
     *
     * @return the ranks, by rank
     * @throws RendezvousException a rank did not check in in time, checked in twice, or could not be answered
     */
    public List<Peer> meet(Duration timeout) throws RendezvousException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        secret.prepare();
        Visitor[] admitted = new Visitor[ranks];
        Set<Visitor> pending = new LinkedHashSet<>(); // oldest first
        int checkedIn = 0;
        try {
            while (checkedIn < ranks) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    throw new RendezvousException(checkedIn + " of " + ranks + " ranks checked in within "
                            + timeout.toSeconds() + " s; missing " + missing(admitted));
                }
                long wait = pending.stream().mapToLong(v -> v.checkInDeadline).min().orElse(deadline);
                selector.select(Math.max(1, (Math.min(wait, deadline) - now) / 1_000_000));
                for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid() && key.isAcceptable()) {
                        accept(pending);
                    } else if (key.isValid()) {
                        Visitor visitor = (Visitor) key.attachment();
                        if (step(key, visitor)) {
                            pending.remove(visitor);
                            checkNew(visitor, admitted);
                            admitted[visitor.admitted.rank()] = visitor;
                            checkedIn++;
                        }
                    }
                }
                expire(pending);
            }
            List<Peer> byRank = new ArrayList<>(ranks);
            for (Visitor visitor : admitted) {
                byRank.add(peer(visitor));
            }
            answer(admitted, peerInformation(byRank), deadline);
            return byRank;
        } catch (ClosedSelectorException e) {
            throw new IOException("the rendezvous was closed", e); // the run has ended meanwhile
        } finally {
            if (refused > WARNINGS_SHOWN) {
                warnings.accept("halo rendezvous: refused " + refused + " connections in all");
            }
            if (selector.isOpen()) {
                for (SelectionKey key : selector.keys()) {
                    if (key.attachment() instanceof Visitor visitor) {
                        visitor.channel.close();
                    }
                }
            }
        }
    }

    private void accept(Set<Visitor> pending) throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            InetSocketAddress from = (InetSocketAddress) channel.getRemoteAddress();
            if (allowed != null && !allowed.contains(from.getAddress())) {
                refuse(channel, from.getAddress().getHostAddress() + ":" + from.getPort(), "not a host of this job");
                continue;
            }
            channel.configureBlocking(false);
            Visitor visitor = new Visitor(channel, System.nanoTime() + Duration.ofSeconds(CHECK_IN_SECONDS).toNanos());
            channel.register(selector, SelectionKey.OP_WRITE | SelectionKey.OP_READ, visitor);
            pending.add(visitor);
            if (pending.size() > PENDING_LIMIT) {
                Visitor oldest = pending.iterator().next();
                pending.remove(oldest);
                refuse(oldest.channel, oldest.from, "still not checked in while " + PENDING_LIMIT
                        + " newer connections waited");
            }
        }
    }

    /** Moves a checking-in visitor on; true when it has just been admitted. */
    private boolean step(SelectionKey key, Visitor visitor) throws IOException {
        try {
            if (key.isWritable()) {
                visitor.channel.write(visitor.greeting);
                if (!visitor.greeting.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
            if (key.isReadable()) {
                if (visitor.channel.read(visitor.checkIn) < 0) {
                    refuse(visitor.channel, visitor.from, FirstBytes.said(visitor.checkIn) + " and closed the connection");
                    return false;
                }
                String wrong = FirstBytes.wrong(visitor.checkIn);
                if (wrong != null) {
                    refuse(visitor.channel, visitor.from, wrong);
                } else if (!visitor.checkIn.hasRemaining()) {
                    Admission.CheckIn checkIn = Admission.CheckIn.read(visitor.checkIn);
                    if (checkIn.provenWith(secret, visitor.serverNonce)) {
                        visitor.admitted = checkIn;
                        key.interestOps(0); // nothing more to read until the peer list is sent
                        return true;
                    }
                    refuse(visitor.channel, visitor.from, "did not prove this job's secret");
                }
            }
        } catch (IOException e) {
            refuse(visitor.channel, visitor.from, "failed: " + e.getMessage());
        }
        return false;
    }

    private void expire(Set<Visitor> pending) throws IOException {
        long now = System.nanoTime();
        for (Iterator<Visitor> visitors = pending.iterator(); visitors.hasNext(); ) {
            Visitor visitor = visitors.next();
            if (now >= visitor.checkInDeadline || !visitor.channel.isOpen()) {
                visitors.remove();
                if (visitor.channel.isOpen()) {
                    refuse(visitor.channel, visitor.from, FirstBytes.said(visitor.checkIn) + " within " + CHECK_IN_SECONDS + " s");
                }
            }
        }
    }

    private void refuse(SocketChannel channel, String from, String why) throws IOException {
        channel.close();
        if (++refused <= WARNINGS_SHOWN) {
            warnings.accept("halo rendezvous: refused a connection from " + from + ": " + why);
        }
    }

    /** A rank out of range or checked in twice (with the secret: a fault of the job) fails the meeting. */
    private void checkNew(Visitor visitor, Visitor[] admitted) throws RendezvousException {
        int rank = visitor.admitted.rank();
        if (rank < 0 || rank >= ranks) {
            throw new RendezvousException("rank " + rank + " checked in from " + visitor.from
                    + ", but this job has ranks 0 to " + (ranks - 1));
        }
        if (admitted[rank] != null) {
            throw new RendezvousException("rank " + rank + " checked in twice, from "
                    + admitted[rank].from + " and " + visitor.from);
        }
    }

    private static Peer peer(Visitor visitor) throws IOException {
        Socket socket = visitor.channel.socket();
        return new Peer(visitor.admitted.rank(), socket.getInetAddress(), socket.getLocalAddress(),
                visitor.admitted.readPort(), visitor.admitted.writePort());
    }

    /** "rank 1" or "ranks 0, 3, 5" or, for long lists, "ranks 0, 1, 2, … (40 in all)". */
    private static String missing(Visitor[] admitted) {
        List<Integer> missing = new ArrayList<>();
        for (int r = 0; r < admitted.length; r++) {
            if (admitted[r] == null) {
                missing.add(r);
            }
        }
        int shown = Math.min(missing.size(), 10);
        StringJoiner text = new StringJoiner(", ", missing.size() == 1 ? "rank " : "ranks ", "");
        missing.subList(0, shown).forEach(r -> text.add(Integer.toString(r)));
        return text + (missing.size() > shown ? ", … (" + missing.size() + " in all)" : "");
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

    /** Sends every admitted rank its signed copy of the list, all at once, by the deadline. */
    private void answer(Visitor[] admitted, String peerList, long deadline) throws RendezvousException, IOException {
        byte[] list = peerList.getBytes(StandardCharsets.UTF_8);
        if (list.length > Admission.PEER_LIST_LIMIT) {
            throw new RendezvousException("the peer list of " + ranks + " ranks is " + list.length
                    + " bytes, longer than MPJ Express's limit of " + Admission.PEER_LIST_LIMIT);
        }
        int[] pids = new int[ranks];
        for (int rank = 0; rank < ranks; rank++) {
            pids[rank] = admitted[rank].admitted.pid();
        }
        int unanswered = 0;
        for (Visitor visitor : admitted) {
            visitor.answer = Admission.peers(secret, visitor.admitted, visitor.serverNonce, list, pids);
            visitor.channel.keyFor(selector).interestOps(SelectionKey.OP_WRITE);
            unanswered++;
        }
        while (unanswered > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new RendezvousException("could not send the peer list to " + unanswered + " of " + ranks
                        + " ranks before the deadline");
            }
            selector.select(Math.max(1, left / 1_000_000));
            for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
                SelectionKey key = keys.next();
                keys.remove();
                if (key.isValid() && key.isAcceptable()) {
                    SocketChannel late;
                    while ((late = server.accept()) != null) {
                        late.close(); // the meeting is complete: nobody else joins
                    }
                } else if (key.isValid() && key.isWritable() && key.attachment() instanceof Visitor visitor) {
                    try {
                        visitor.channel.write(visitor.answer);
                    } catch (IOException e) {
                        throw new RendezvousException("cannot send the peer list to rank " + visitor.admitted.rank()
                                + " at " + visitor.from + ": " + e.getMessage());
                    }
                    if (!visitor.answer.hasRemaining()) {
                        key.interestOps(0);
                        unanswered--;
                    }
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        server.close();
    }
}
