package halo.launch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * A niodev rank's way into its job's {@link Rendezvous}, in the rank's own JVM before MPJ
 * Express starts. MPJ's {@code MPI.Init} sends its hello (the two ports it has just bound) to the
 * server its arguments name and takes the peer list from there, with no credential; so the
 * arguments name this relay instead, on a loopback port of the rank's JVM, and the relay
 * checks in at the real rendezvous with MPJ's ports and the job's secret ({@link Admission}),
 * then hands MPJ the list. The relay answers only a connection from its own JVM (the
 * kernel's socket table says whose it is), so a stranger that finds its port gets nothing.
 *
 * <p>Every wait is bounded (the rendezvous's timeout, {@code HALO_RENDEZVOUS_TIMEOUT}, default
 * 60 s, plus a margin); a failure ends the rank with one line. Once MPJ has the list, an
 * {@link InitGuard} watches the rest of {@code MPI.Init}.
 */
final class RankRelay {

    static final String TIMEOUT_VARIABLE = "HALO_RENDEZVOUS_TIMEOUT";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** Beyond the rendezvous's own deadline: it fails the meeting first, and says why. */
    private static final Duration MARGIN = Duration.ofSeconds(15);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    private static final String SERVER_NAME = "#Server Name";
    private static final String SERVER_PORT = "#Server Port";
    private static final String PROCESSES = "#Number of Processes";

    private final String who;
    private final int rank;
    private final int ranks;
    private final InetSocketAddress rendezvous;
    private final JobSecret secret;
    private final ServerSocket relay;
    private final Duration timeout;

    private RankRelay(String who, int rank, int ranks, InetSocketAddress rendezvous, JobSecret secret,
                      ServerSocket relay, Duration timeout) {
        this.who = who;
        this.rank = rank;
        this.ranks = ranks;
        this.rendezvous = rendezvous;
        this.secret = secret;
        this.relay = relay;
        this.timeout = timeout;
    }

    /**
     * Starts the relay for MPJ's arguments {@code RANK CONFIGURATION niodev …} and returns them
     * with the configuration's server replaced by the relay.
     *
     * @param who prefixes every line said, e.g. {@code "halo rank 3: "}
     * @throws LaunchException no secret in the environment, or arguments MPJ would not take
     */
    static String[] start(String[] mpjArguments, String who) {
        JobSecret secret = JobSecret.fromEnvironment();
        if (secret == null) {
            throw new LaunchException("no job secret in " + JobSecret.VARIABLE + " (256 bits in"
                    + " hexadecimal): niodev ranks are started by mpjrun.sh -dev niodev or a Halo job script");
        }
        List<String> fields = List.of(mpjArguments[1].split(";", -1));
        int name = fields.indexOf(SERVER_NAME);
        int port = fields.indexOf(SERVER_PORT);
        int processes = fields.indexOf(PROCESSES);
        if (name < 0 || port < 0 || processes < 0 || port + 1 >= fields.size() || name + 1 >= fields.size()
                || processes + 1 >= fields.size()) {
            throw new LaunchException("the niodev configuration names no rendezvous ("
                    + SERVER_NAME + ", " + SERVER_PORT + ", " + PROCESSES + ")");
        }
        int rank = mpjArguments[0].matches("\\d{1,9}") ? Integer.parseInt(mpjArguments[0]) : -1;
        if (rank < 0) {
            throw new LaunchException("the rank wants a number from 0, got '" + mpjArguments[0] + "'");
        }
        InetSocketAddress rendezvous = new InetSocketAddress(fields.get(name + 1),
                LaunchCommand.positive(fields.get(port + 1), SERVER_PORT));
        try {
            ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            RankRelay rankRelay = new RankRelay(who, rank, LaunchCommand.positive(fields.get(processes + 1), PROCESSES),
                    rendezvous, secret, relay, timeout());
            Thread thread = new Thread(rankRelay::relay, "halo-admission");
            thread.setDaemon(true);
            thread.start();
            String[] relayed = mpjArguments.clone();
            String[] configuration = mpjArguments[1].split(";", -1);
            configuration[name + 1] = relay.getInetAddress().getHostAddress();
            configuration[port + 1] = Integer.toString(relay.getLocalPort());
            relayed[1] = String.join(";", configuration);
            return relayed;
        } catch (IOException e) {
            throw new LaunchException("cannot listen on loopback for MPJ's hello: " + e.getMessage(), e);
        }
    }

    /** The rendezvous's timeout, as the launcher gave it to the rendezvous too. */
    static Duration timeout() {
        String seconds = System.getenv(TIMEOUT_VARIABLE);
        return seconds == null || seconds.isBlank() ? DEFAULT_TIMEOUT
                : Duration.ofSeconds(LaunchCommand.positive(seconds.strip(), TIMEOUT_VARIABLE));
    }

    private void relay() {
        long deadline = System.nanoTime() + timeout.plus(MARGIN).toNanos();
        secret.prepare();
        try (relay) {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                relay.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                try (Socket mpj = relay.accept()) {
                    if (!fromThisProcess(mpj)) {
                        System.err.println(who + "ignored a connection to its relay from 127.0.0.1:" + mpj.getPort()
                                + ", which is not this rank's MPJ Express");
                        continue;
                    }
                    try {
                        relay(mpj);
                    } catch (IOException e) { // said and ended while MPJ still waits: it has nothing to print
                        InitGuard.fail(who + "error: " + e.getMessage());
                    }
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            InitGuard.fail(who + "error: MPJ Express did not say hello within " + timeout.plus(MARGIN).toSeconds() + " s");
        } catch (IOException e) {
            InitGuard.fail(who + "error: " + e.getMessage());
        }
    }

    /** MPJ's hello in, the check-in, the peer list out to MPJ; then the guard. */
    private void relay(Socket mpj) throws IOException {
        mpj.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
        DataInputStream in = new DataInputStream(mpj.getInputStream());
        String hello = in.readUTF();
        int writePort = in.readInt();
        int readPort = in.readInt();
        int helloRank = in.readInt();
        if (!hello.equals(Rendezvous.HELLO) || helloRank != rank) {
            throw new IOException("MPJ Express said '" + hello + "' for rank " + helloRank + ", not its hello for rank " + rank);
        }
        Admission.Peers peers = Admission.checkIn(rendezvous, secret, rank, writePort, readPort, CONNECT_TIMEOUT,
                timeout.plus(MARGIN));
        InitGuard guard = InitGuard.watch(who, rank, ranks, writePort, readPort, peers, timeout);
        new DataOutputStream(mpj.getOutputStream()).writeUTF(peers.peerList());
        guard.start();
    }

    /** Whether the connection's other end is a socket of this JVM (true where the kernel does not say). */
    private boolean fromThisProcess(Socket connection) throws IOException {
        if (!ProcNet.available()) {
            return true;
        }
        List<ProcNet.Entry> sockets = ProcNet.sockets();
        ProcNet.Entry accepted = ProcNet.entryOf(sockets, connection);
        ProcNet.Entry client = accepted == null ? null : ProcNet.otherEnd(sockets, accepted);
        return client != null && ProcNet.socketInodes(ProcessHandle.current().pid()).contains(client.inode());
    }
}
