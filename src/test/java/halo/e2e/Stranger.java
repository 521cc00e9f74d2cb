package halo.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Another process on the same machine, as an adversary sees a niodev run: the rank command lines
 * that {@code ps} shows every user (they name the rendezvous's port), the ports every process
 * listens on ({@code /proc/net/tcp}), and connections it makes to them.
 */
final class Stranger {

    private static final Duration FIND_TIMEOUT = Duration.ofSeconds(60);

    private Stranger() {
    }

    /** The command line of a process, its arguments separated by spaces ("" when gone). */
    private static String commandLine(Path process) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** The pids of running rank JVMs whose command line holds {@code marker} (the run's own --out, say). */
    static List<Long> ranks(String marker) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String line = commandLine(process);
                if (line.contains("halo.launch.NiodevRank") && line.contains(marker) && line.contains("#Server Port;")) {
                    pids.add(Long.parseLong(process.getFileName().toString()));
                }
            }
        }
        return pids;
    }

    /** The rendezvous port, read off the first rank's command line as soon as there is one. */
    static int rendezvousPort(String marker) throws IOException, InterruptedException {
        return rendezvous(marker).getPort();
    }

    /** The rendezvous's address and port, read off the first rank's command line as soon as there is one. */
    static InetSocketAddress rendezvous(String marker) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + FIND_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (long pid : ranks(marker)) {
                String line = commandLine(Path.of("/proc", Long.toString(pid)));
                return new InetSocketAddress(field(line, "#Server Name;"), Integer.parseInt(field(line, "#Server Port;")));
            }
            Thread.sleep(5);
        }
        return fail("no rank of the run showed its rendezvous within " + FIND_TIMEOUT.toSeconds() + " s");
    }

    private static String field(String commandLine, String name) {
        return commandLine.substring(commandLine.indexOf(name) + name.length()).split("[ ;]")[0];
    }

    /** The pid of the run's rank {@code rank}, once it runs. */
    static long rankPid(String marker, int rank) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + FIND_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (long pid : ranks(marker)) {
                String[] args = commandLine(Path.of("/proc", Long.toString(pid))).split(" ");
                for (int i = 0; i + 2 < args.length; i++) {
                    if (args[i].equals("halo.launch.NiodevRank") && args[i + 2].equals(Integer.toString(rank))) {
                        return pid;
                    }
                }
            }
            Thread.sleep(5);
        }
        return fail("rank " + rank + " of the run did not start within " + FIND_TIMEOUT.toSeconds() + " s");
    }

    /**
     * The two ports MPJ Express listens on in process {@code pid} (25000 to 40000, on every
     * interface), as soon as it has bound them.
     */
    static Set<Integer> mpjPorts(long pid) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + FIND_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Set<String> inodes = new TreeSet<>();
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
                for (Path fd : fds) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                }
            }
            Set<Integer> ports = new TreeSet<>();
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.strip().split("\\s+");
                    // on every interface (the address all zeros), as MPJ binds: not Halo's loopback relay
                    if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])
                            && f[1].substring(0, f[1].indexOf(':')).matches("0+")) {
                        int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                        if (port >= 25000 && port <= 40000) {
                            ports.add(port);
                        }
                    }
                }
            }
            if (ports.size() == 2) {
                return ports;
            }
            Thread.sleep(5);
        }
        return fail("process " + pid + " bound no MPJ ports within " + FIND_TIMEOUT.toSeconds() + " s");
    }

    static Socket connect(int port) throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), port);
    }

    /** Everything the other end sends until it closes or resets the connection, at most 120 s. */
    static byte[] received(Socket socket) throws IOException {
        socket.setSoTimeout(120_000);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            // reset
        }
        return bytes.toByteArray();
    }

    /** MPJ Express's hello, byte for byte as {@code xdev.niodev.NIODevice.init} sends it. */
    static byte[] mpjHello(int rank, int writePort, int readPort) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF("Sending Info");
        out.writeInt(writePort);
        out.writeInt(readPort);
        out.writeInt(rank);
        return bytes.toByteArray();
    }

    /**
     * Halo's check-in (docs/security.md), well formed but keyed with a secret of the stranger's
     * own: 8 bytes "HALO-RK1", a 32-byte nonce, rank, writePort, readPort, pid, a 32-byte HMAC.
     */
    static byte[] checkInWithAWrongSecret(int rank) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("HALO-RK1".getBytes(StandardCharsets.US_ASCII));
        byte[] random = new byte[64];
        new SecureRandom().nextBytes(random);
        out.write(random, 0, 32);
        out.writeInt(rank);
        out.writeInt(30001);
        out.writeInt(30002);
        out.writeInt((int) ProcessHandle.current().pid());
        out.write(random, 32, 32);
        return bytes.toByteArray();
    }
}
