package halo.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watches a niodev rank's {@code MPI.Init} after its peer list came, from the kernel's socket
 * table ({@link ProcNet}). MPJ Express 0.44 binds its two ports on every interface and accepts
 * whatever connects to them: a stranger's connection takes the place of a rank (the start-up
 * then waits forever) or its bytes crash MPJ ({@code ArrayIndexOutOfBoundsException}, stray
 * lines on stdout). Halo cannot keep it out, but it can tell it: each rank above this one
 * connects exactly once to each port, from its own JVM (on this node: a socket that rank's pid,
 * known from the signed peer list, holds; from another node: that node's address). Any other
 * connection ends the rank at once with one line naming it; so does an {@code MPI.Init} that
 * has not finished in time. Init has finished when MPJ closes its two ports.
 *
 * <p>What MPJ prints on stdout meanwhile is held back and passed on when Init has finished, or
 * dropped when a stranger broke it (its lines would only echo the stranger's bytes); stderr is
 * left alone.
 */
public final class InitGuard {

    private static final long POLL_MILLIS = 50;
    private static final int CONFIRMING_LOOKS = 4;
    private static final int ESTABLISHED = 0x01;
    private static final int CLOSE_WAIT = 0x08;
    private static volatile InitGuard current;

    private final String who;
    private final int rank;
    private final int ranks;
    private final Set<Integer> ports;
    private final int[] pids;
    private final List<InetAddress> addresses; // by rank
    private final Duration timeout;
    private final HeldOutput stdout;
    private final Set<String> verified = new HashSet<>();
    /** Connections not (yet) verified, and in how many looks in a row. */
    private final Map<String, Integer> suspects = new HashMap<>();
    private final Map<Integer, Set<Long>> socketsOfPid = new HashMap<>();
    private final Set<InetAddress> thisHost = new HashSet<>();
    private Set<Long> listeners;
    private volatile boolean finished;

    private InitGuard(String who, int rank, int ranks, int writePort, int readPort, Admission.Peers peers,
                      Duration timeout) {
        this.who = who;
        this.rank = rank;
        this.ranks = ranks;
        this.ports = Set.of(writePort, readPort);
        this.pids = peers.pids();
        this.addresses = addresses(peers.peerList());
        this.timeout = timeout;
        this.stdout = HeldOutput.install(this::checkNow);
        try {
            NetworkInterface.networkInterfaces().forEach(i -> i.inetAddresses().forEach(thisHost::add));
        } catch (SocketException e) {
            // loopback addresses still count as this host's
        }
    }

    /** A guard for the ports MPJ announced; it holds stdout back from now on, and watches once started. */
    static InitGuard watch(String who, int rank, int ranks, int writePort, int readPort, Admission.Peers peers,
                           Duration timeout) {
        InitGuard guard = new InitGuard(who, rank, ranks, writePort, readPort, peers, timeout);
        current = guard;
        return guard;
    }

    void start() {
        if (!ProcNet.available()) {
            finish();
            return;
        }
        Thread thread = new Thread(this::run, "halo-init-guard");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Called when {@code MPI.Init} failed on the niodev device: when a stranger's connection is
     * the cause, says so in one line and ends the JVM; otherwise returns (the failure is MPJ's own).
     */
    public static void explainFailure() {
        InitGuard guard = current;
        if (guard != null && !guard.finished) {
            for (int look = 0; look < 2 * CONFIRMING_LOOKS; look++) {
                String stranger = guard.look();
                if (stranger != null) {
                    guard.refuse(stranger);
                }
                if (guard.suspects.isEmpty()) {
                    break;
                }
                pause(POLL_MILLIS);
            }
            guard.finish();
        }
    }

    /** One line on stderr, and this JVM ends (status 1) before MPJ can print or wait more. */
    static void fail(String line) {
        System.err.println(line);
        System.err.flush();
        Runtime.getRuntime().halt(1);
    }

    private void run() {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!finished) {
            String stranger = look();
            if (stranger != null) {
                refuse(stranger);
            } else if (finished) {
                return;
            } else if (System.nanoTime() > deadline) {
                stdout.release();
                fail(who + "error: MPI.Init did not finish within " + timeout.toSeconds() + " s of the ranks' meeting"
                        + " (" + verified.size() + " of " + 2 * (ranks - 1 - rank) + " connections from the ranks"
                        + " above this one arrived)");
            }
            pause(POLL_MILLIS);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Looks once, now: a write to stdout while Init may still run may be MPJ's answer to a stranger. */
    private void checkNow() {
        if (!finished) {
            String stranger = look();
            if (stranger != null) {
                refuse(stranger);
            }
        }
    }

    private void refuse(String stranger) {
        stdout.drop();
        fail(who + "error: " + stranger + " is not from a rank of this job; start-up stopped (MPJ Express"
                + " takes any connection to its ports: see docs/security.md)");
    }

    /** Describes a stranger's connection to MPJ's ports, if there is one; notices when Init has finished. */
    private synchronized String look() {
        List<ProcNet.Entry> sockets;
        try {
            sockets = ProcNet.sockets();
        } catch (IOException | RuntimeException e) {
            return null; // the table is unreadable this once: the deadline still holds
        }
        List<ProcNet.Entry> inbound = new ArrayList<>();
        Set<Long> listening = new HashSet<>();
        for (ProcNet.Entry entry : sockets) {
            if (!ports.contains(entry.localPort())) {
                continue;
            }
            if (entry.state() == ProcNet.LISTEN) {
                listening.add(entry.inode());
            } else if (entry.state() == ESTABLISHED || entry.state() == CLOSE_WAIT) {
                inbound.add(entry);
            }
        }
        if (listeners == null) {
            listeners = listening; // bound by this JVM moments ago: MPJ's own two
        }
        Map<String, Integer> stillSuspect = new HashMap<>();
        String confirmed = null;
        for (ProcNet.Entry entry : inbound) {
            String key = entry.localPort() + " " + entry.remote();
            if (!verified.contains(key)) {
                if (!fromRankAbove(entry, sockets)) {
                    // The kernel lists sockets a bucket at a time, not all at one instant: a connection
                    // made meanwhile may show one end only. Unverified in several looks in a row is proof.
                    int looks = suspects.getOrDefault(key, 0) + 1;
                    stillSuspect.put(key, looks);
                    if (looks >= CONFIRMING_LOOKS && confirmed == null) {
                        confirmed = "a connection from " + entry.remote() + owner(entry, sockets)
                                + " to this rank's MPJ port " + entry.localPort();
                    }
                    continue;
                }
                verified.add(key);
            }
        }
        suspects.clear();
        suspects.putAll(stillSuspect);
        if (confirmed != null) {
            return confirmed;
        }
        if (verified.size() > 2 * (ranks - 1 - rank)) {
            return "one of " + verified.size() + " connections to this rank's MPJ ports " + ports + ", where "
                    + (ranks - 1 - rank) + " ranks connect to each,";
        }
        listening.retainAll(listeners);
        if (listening.isEmpty() && suspects.isEmpty()) { // MPJ has closed its ports: Init has finished
            finish();
        }
        return null;
    }

    private void finish() {
        finished = true;
        stdout.release();
        current = null;
    }

    /** Whether the connection comes from the JVM of a rank above this one (those connect to it). */
    private boolean fromRankAbove(ProcNet.Entry entry, List<ProcNet.Entry> sockets) {
        InetAddress from = entry.remoteAddress();
        if (from.isLoopbackAddress() || thisHost.contains(from)) {
            ProcNet.Entry client = ProcNet.otherEnd(sockets, entry);
            if (client == null) {
                return false;
            }
            for (int r = rank + 1; r < ranks; r++) {
                InetAddress peer = addresses.get(r);
                if ((peer.isLoopbackAddress() || thisHost.contains(peer)) && socketsOf(pids[r], client.inode())) {
                    return true;
                }
            }
            return false;
        }
        return addresses.subList(rank + 1, ranks).contains(from);
    }

    /** Whether process {@code pid} holds socket {@code inode} (read again when not yet seen there). */
    private boolean socketsOf(int pid, long inode) {
        Set<Long> known = socketsOfPid.get(pid);
        if (known == null || !known.contains(inode)) {
            known = ProcNet.socketInodes(pid);
            socketsOfPid.put(pid, known);
        }
        return known.contains(inode);
    }

    /** " (user 1001)" when the other end is a socket on this node of another user. */
    private static String owner(ProcNet.Entry entry, List<ProcNet.Entry> sockets) {
        ProcNet.Entry client = ProcNet.otherEnd(sockets, entry);
        return client == null || client.uid() == ProcNet.uid() ? ""
                : " (a process of user " + client.uid() + ")";
    }

    /** The addresses of MPJ's peer list, by rank: {@code #Peer Information;ADDR@r@w@rank@0;…}. */
    private static List<InetAddress> addresses(String peerList) {
        String[] fields = peerList.split(";");
        InetAddress[] byRank = new InetAddress[fields.length - 1];
        for (int i = 1; i < fields.length; i++) {
            String[] peer = fields[i].split("@");
            try {
                byRank[Integer.parseInt(peer[3])] = InetAddress.getByName(peer[0]);
            } catch (IOException e) {
                throw new IllegalStateException("peer list with an unknown address: " + peer[0], e);
            }
        }
        return List.of(byRank);
    }

    /**
     * Stdout held back while MPJ starts: passed on once Init has finished, or dropped. Each write
     * while held first has the guard look (a program's first line after Init finds it finished
     * and passes everything on in order); a JVM that exits meanwhile passes it on too.
     */
    private static final class HeldOutput extends OutputStream {
        private static final int LIMIT = 1 << 20;
        private final PrintStream out;
        private final Runnable look;
        private ByteArrayOutputStream held = new ByteArrayOutputStream();

        private HeldOutput(PrintStream out, Runnable look) {
            this.out = out;
            this.look = look;
        }

        static HeldOutput install(Runnable look) {
            System.out.flush();
            HeldOutput held = new HeldOutput(System.out, look);
            System.setOut(new PrintStream(held, true));
            Runtime.getRuntime().addShutdownHook(new Thread(held::release, "halo-held-stdout"));
            return held;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (holding()) {
                look.run(); // not under this stream's lock: the guard takes its own, then this one
            }
            synchronized (this) {
                writeHeld(bytes, offset, length);
            }
        }

        private synchronized boolean holding() {
            return held != null;
        }

        private void writeHeld(byte[] bytes, int offset, int length) throws IOException {
            if (held != null && held.size() + length <= LIMIT) {
                held.write(bytes, offset, length);
            } else {
                release();
                out.write(bytes, offset, length);
                if (out.checkError()) {
                    throw new IOException("stdout failed");
                }
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            if (held == null) {
                out.flush();
            }
        }

        synchronized void release() {
            if (held != null) {
                out.write(held.toByteArray(), 0, held.size());
                out.flush();
                held = null;
            }
        }

        synchronized void drop() {
            held = new ByteArrayOutputStream(0);
        }
    }
}
