package halo.launch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets of this machine's network namespace as Linux lists them in
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6} (local and remote end, state, owner, inode),
 * and which sockets a process holds ({@code /proc/PID/fd}, readable for the processes of this
 * process's own user). Through these a rank tells a connection from one of its own job's
 * processes from anyone else's, which an address alone cannot on a shared node.
 */
final class ProcNet {

    private static final Path TCP = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");
    static final int LISTEN = 0x0A;

    /** One socket: its local and remote end, state (Linux's TCP_* number), owner's uid and inode. */
    record Entry(InetAddress localAddress, int localPort, InetAddress remoteAddress, int remotePort,
                 int state, int uid, long inode) {

        String remote() {
            return remoteAddress.getHostAddress() + ":" + remotePort;
        }
    }

    private ProcNet() {
    }

    /** Whether this system lists its sockets so. */
    static boolean available() {
        return Files.isReadable(TCP);
    }

    /** Every TCP socket of the namespace, IPv4 and IPv6. */
    static List<Entry> sockets() throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Path table : List.of(TCP, TCP6)) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                entries.add(parse(line.strip().split("\\s+")));
            }
        }
        return entries;
    }

    //   sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
    private static Entry parse(String[] fields) throws UnknownHostException {
        String[] local = fields[1].split(":");
        String[] remote = fields[2].split(":");
        return new Entry(address(local[0]), Integer.parseInt(local[1], 16), address(remote[0]),
                Integer.parseInt(remote[1], 16), Integer.parseInt(fields[3], 16), Integer.parseInt(fields[7]),
                Long.parseLong(fields[9]));
    }

    /** The kernel writes an address as 32-bit words in host order (little-endian here), in hex. */
    private static InetAddress address(String hex) throws UnknownHostException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = 8 * word + 2 * (3 - i);
                bytes[4 * word + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        InetAddress address = InetAddress.getByAddress(bytes);
        return address; // an IPv4-mapped IPv6 address comes back as the IPv4 one
    }

    /** The inodes of the sockets that process {@code pid} holds (empty when it is gone or not ours to see). */
    static Set<Long> socketInodes(long pid) {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            // gone, or another user's
        }
        return inodes;
    }

    /**
     * The other end of connection {@code end} when it is a socket of this machine, held by a
     * process: the whole four-tuple must match (a closed connection's leftover in TIME_WAIT
     * may have the same local port, and belongs to no process).
     */
    static Entry otherEnd(List<Entry> entries, Entry end) {
        for (Entry entry : entries) {
            if (entry.localPort() == end.remotePort() && entry.remotePort() == end.localPort() && entry.inode() != 0
                    && entry.localAddress().equals(end.remoteAddress()) && entry.remoteAddress().equals(end.localAddress())) {
                return entry;
            }
        }
        return null;
    }

    /** This machine's entry for the connection {@code socket} (its local end), if listed. */
    static Entry entryOf(List<Entry> entries, java.net.Socket socket) {
        for (Entry entry : entries) {
            if (entry.localPort() == socket.getLocalPort() && entry.remotePort() == socket.getPort()
                    && entry.localAddress().equals(socket.getLocalAddress()) && entry.remoteAddress().equals(socket.getInetAddress())) {
                return entry;
            }
        }
        return null;
    }

    /** This process's user, as the kernel lists socket owners. */
    static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
