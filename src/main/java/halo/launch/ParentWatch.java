package halo.launch;

import java.util.Optional;

/**
 * Ends this JVM when the process that started it, and waits for it, is gone: a script that
 * stays between the user and the JVM (mpjrun.sh, niodev-rank.sh: see vector-api.sh) or the
 * niodev launcher of a rank. SIGTERM or Ctrl-C to that process reach the JVM too; {@code kill -9}
 * does not, and without this the JVM (and with it the ranks) would run on with nobody to
 * report to. The process names itself in the environment variable {@value #VARIABLE}.
 *
 * <p>JDK only, like the rest of this package. The JDK notices that a process which is not its
 * child has ended by polling, within about 5 s.
 */
final class ParentWatch {

    static final String VARIABLE = "HALO_PARENT_PID";

    private ParentWatch() {
    }

    /**
     * Starts watching the process {@value #VARIABLE} names, if any; {@code who} prefixes the one
     * line said. Returns at once: the JDK's process machinery starts on a thread of its own
     * (its class loading off the launcher's way).
     */
    static void start(String who) {
        Thread watch = new Thread(() -> watch(who), "halo-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    private static void watch(String who) {
        String pid = System.getenv(VARIABLE);
        if (pid == null || !pid.strip().matches("\\d+")) {
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(pid.strip()));
        if (parent.isEmpty()) {
            end(who);
        } else {
            parent.get().onExit().thenRun(() -> end(who));
        }
    }

    private static void end(String who) {
        System.err.println(who + "the process that started this JVM (" + System.getenv(VARIABLE)
                + ") is gone; ending");
        System.exit(1); // shutdown hooks run: a niodev launcher ends its ranks
    }
}
