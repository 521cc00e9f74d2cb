package halo.launch;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@link Rendezvous} of a multi-node job as a process of its own, started by
 * {@code slurm/halo-job.sh} on the job's first node:
 * <pre>
 *   java -cp $MPJ_HOME/lib/halo-launcher.jar halo.launch.RendezvousCommand --ranks N
 *        --secret-file FILE --port-file FILE [--hosts HOST,HOST,…] [--timeout SECONDS]
 * </pre>
 * It makes the job's secret and writes it to the secret file (mode 0600) first, then listens
 * and writes {@code ADDRESS PORT} to the port file (each file written whole: aside, then
 * renamed). With {@code --hosts} (the job's nodes), it listens only on this node's address
 * towards the other nodes and reads only connections from the nodes' addresses; without,
 * on every address, from anywhere. Exit status: 0 every rank got the peer list, 1 the meeting
 * failed (one line), 2 a bad command line.
 */
public final class RendezvousCommand {

    private static final String ERROR_PREFIX = "halo rendezvous: error: ";
    private static final String USAGE = "usage: --ranks N --secret-file FILE --port-file FILE [--hosts HOST,…]"
            + " [--timeout SECONDS]";

    private RendezvousCommand() {
    }

    public static void main(String[] argv) {
        int status;
        try {
            status = run(argv);
        } catch (LaunchException e) {
            System.err.println(ERROR_PREFIX + e.getMessage() + " (" + USAGE + ")");
            status = 2;
        }
        System.exit(status);
    }

    private static int run(String[] argv) {
        int ranks = 0;
        Duration timeout = RankRelay.timeout();
        Path portFile = null;
        Path secretFile = null;
        List<String> hosts = null;
        for (int i = 0; i < argv.length; i += 2) {
            if (i + 1 >= argv.length) {
                throw new LaunchException(argv[i] + " needs a value");
            }
            String value = argv[i + 1];
            switch (argv[i]) {
                case "--ranks" -> ranks = LaunchCommand.positive(value, "--ranks");
                case "--timeout" -> timeout = Duration.ofSeconds(LaunchCommand.positive(value, "--timeout"));
                case "--port-file" -> portFile = Path.of(value);
                case "--secret-file" -> secretFile = Path.of(value);
                case "--hosts" -> hosts = List.of(value.split(","));
                default -> throw new LaunchException("unknown option '" + argv[i] + "'");
            }
        }
        if (ranks == 0 || portFile == null || secretFile == null) {
            throw new LaunchException("--ranks, --secret-file and --port-file are required");
        }
        try {
            JobSecret secret = JobSecret.generate();
            secret.writeTo(secretFile);
            Set<InetAddress> allowed = hosts == null ? null : resolve(hosts);
            InetAddress address = allowed == null ? null : towards(allowed);
            try (Rendezvous rendezvous = Rendezvous.open(ranks, address, secret)) {
                if (allowed != null) {
                    allowed.add(address);
                    rendezvous.allow(allowed);
                }
                String where = (address == null ? InetAddress.getLocalHost() : address).getHostAddress();
                Path aside = portFile.resolveSibling(portFile.getFileName() + ".tmp");
                Files.writeString(aside, where + " " + rendezvous.port() + "\n");
                Files.move(aside, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                rendezvous.meet(timeout);
                return 0;
            }
        } catch (Rendezvous.RendezvousException e) {
            System.err.println(ERROR_PREFIX + e.getMessage());
        } catch (IOException e) {
            System.err.println(ERROR_PREFIX + e);
        }
        return 1;
    }

    /** Every address of every host. */
    private static Set<InetAddress> resolve(List<String> hosts) throws UnknownHostException {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        for (String host : hosts) {
            if (!host.isBlank()) {
                addresses.addAll(List.of(InetAddress.getAllByName(host.strip())));
            }
        }
        return addresses;
    }

    /**
     * This node's address on the way to the first of {@code addresses} that is another node's
     * (the kernel's route, asked without sending anything); loopback when all are this node's.
     */
    static InetAddress towards(Set<InetAddress> addresses) throws SocketException {
        List<InetAddress> others = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (!address.isLoopbackAddress() && NetworkInterface.getByInetAddress(address) == null) {
                others.add(address);
            }
        }
        for (InetAddress other : others) {
            try (DatagramSocket probe = new DatagramSocket()) {
                probe.connect(new InetSocketAddress(other, 9));
                InetAddress local = probe.getLocalAddress();
                if (local != null && !local.isAnyLocalAddress()) {
                    return local;
                }
            }
        }
        return InetAddress.getLoopbackAddress();
    }
}
