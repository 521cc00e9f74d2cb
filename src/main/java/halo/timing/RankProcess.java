package halo.timing;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process a rank runs in, for its first record: on several nodes a user must see which
 * node each rank ran on. Ranks that are threads of one JVM (multicore mode) share all of it.
 *
 * @param host      the node's host name (of its UTS namespace, as {@code hostname} prints it)
 * @param pid       the JVM's process id
 * @param processors processors available to the JVM
 * @param maxHeapBytes the JVM's maximum heap (-Xmx)
 */
public record RankProcess(String host, long pid, String javaVendor, String javaVersion, int processors,
                          long maxHeapBytes) {

    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    public static RankProcess current() {
        return new RankProcess(hostName(), ProcessHandle.current().pid(), System.getProperty("java.vendor"),
                System.getProperty("java.runtime.version", System.getProperty("java.version")),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory());
    }

    /**
     * The kernel's name for this host, read from /proc: InetAddress.getLocalHost() may ask a
     * name server, which on a node without one takes seconds of every rank's start.
     */
    private static String hostName() {
        try {
            return Files.readString(KERNEL_HOSTNAME).strip();
        } catch (IOException | RuntimeException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException unknown) {
                return "unknown";
            }
        }
    }
}
