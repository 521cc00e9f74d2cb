package halo.run;

import java.lang.management.ManagementFactory;

/**
 * Where a rank's first moments went, for the start-up part of summary.json: the JVM's own
 * start (until this rank's main was called: in multicore mode that includes the launcher
 * making the ranks), reading the command line (and starting the JIT warm-up), and MPJ
 * Express's MPI.Init.
 *
 * @param mainNanos      System.nanoTime() when main was entered: the start of the rank's wall time
 * @param jvmSeconds     JVM uptime when main was entered
 * @param optionsSeconds from main to the command line read
 * @param mpjInitSeconds from then to the end of MPI.Init (0 for a run without MPJ)
 */
public record Startup(long mainNanos, double jvmSeconds, double optionsSeconds, double mpjInitSeconds) {

    /** Call first thing in main. */
    public static long enterMain() {
        return System.nanoTime();
    }

    /** Call once MPI.Init has returned; {@code optionsNanos}: System.nanoTime() once the command line was read. */
    public static Startup afterInit(long mainNanos, long optionsNanos) {
        long now = System.nanoTime();
        double jvm = ManagementFactory.getRuntimeMXBean().getUptime() * 1e-3 - (now - mainNanos) * 1e-9;
        return new Startup(mainNanos, Math.max(0, jvm), (optionsNanos - mainNanos) * 1e-9, (now - optionsNanos) * 1e-9);
    }
}
