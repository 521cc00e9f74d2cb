package halo.launch;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs an MPJ Express program on the multicore device: every rank a thread of this one JVM,
 * made exactly as MPJ Express 0.44's {@code runtime.starter.MulticoreStarter} makes them
 * ({@link RankClassLoaders}, {@link Ranks}), but with an exit status that tells the truth
 * ({@link ExitStatus}): 0 when every rank's {@code main} returned normally, 1 as soon as one
 * threw, 2 for a bad command line or a program that cannot be launched, n when a rank called
 * {@code System.exit(n)}. Stock MPJ Express reports 0 in all cases.
 *
 * <p>Usage, normally through {@code $MPJ_HOME/bin/mpjrun.sh}, which adds the JVM options and
 * the working directory ({@code -wdir}) and exports {@code MPJ_HOME}:
 * <pre>
 *   java -cp $MPJ_HOME/lib/halo-launcher.jar halo.launch.MulticoreLauncher \
 *        [-np N] [-cp CLASSPATH] (-jar JAR | MAINCLASS) [args…]
 * </pre>
 * A {@code -jar} JAR may ask, in its manifest, for classes the ranks share ({@link SharedClasses}).
 */
public final class MulticoreLauncher {

    /** How long {@link #run} waits for the other ranks once one has failed. */
    private static final long GRACE_MILLIS = 5_000;

    private static final String ERROR_PREFIX = "mpjrun.sh: ";

    private MulticoreLauncher() {
    }

    public static void main(String[] argv) {
        ParentWatch.start(ERROR_PREFIX);
        int status;
        try {
            LaunchCommand command = LaunchCommand.parse(argv, false);
            Preflight.check(command.classPath, command.mainClass, command.nprocs, command.args);
            Ranks ranks = Ranks.start(MpjInstallation.fromEnvironment(), command.classPath, command.sharedPackages,
                    command.mainClass, command.nprocs, command.args);
            // A failure: report it and leave at once, the other ranks may never return.
            status = ranks.await(0);
        } catch (LaunchException e) {
            System.err.println(ERROR_PREFIX + e.getMessage());
            status = ExitStatus.CANNOT_LAUNCH;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * Runs {@code mainClass} on {@code nprocs} ranks in this JVM and returns the status
     * {@link #main} would exit with: 0 when every rank returned normally, 1 when one threw
     * (reported on stderr). Each call makes fresh class loaders, so runs are independent.
     *
     * <p>For tests. A JVM cannot stop a thread blocked in an MPJ receive: after a failure
     * this method gives the other ranks {@value #GRACE_MILLIS} ms to finish, then returns 1
     * and leaves any still-blocked rank threads (daemon threads) behind. Use it only with
     * programs that do not block when a rank fails, and never with one that calls
     * {@code System.exit}, which would end the calling JVM. MPJ's {@code MPI.Init} reads
     * {@code $MPJ_HOME/conf/mpjexpress.conf} from the environment variable MPJ_HOME, which
     * a running JVM cannot change: set it to {@code mpjHome} for quiet runs.
     *
     * @param mpjHome an MPJ Express installation (its lib/ holds MPJ's jars)
     * @param appClassPath the application's class path (directories, jars)
     * @param mainClass the class whose {@code main} every rank calls
     * @param nprocs number of ranks, at least 1
     * @param args the program's arguments (after the three MPJ puts first)
     * @throws LaunchException when the program cannot be launched at all
     */
    public static int run(Path mpjHome, List<Path> appClassPath, String mainClass, int nprocs,
            String... args) {
        return run(mpjHome, appClassPath, List.of(), mainClass, nprocs, args);
    }

    /**
     * {@link #run(Path, List, String, int, String...)} with the classes {@code sharedPackages}
     * names (class name prefixes, exceptions after a {@code !}) loaded once for all ranks, as a
     * jar's {@value SharedClasses#MANIFEST_ATTRIBUTE} asks.
     */
    public static int run(Path mpjHome, List<Path> appClassPath, List<String> sharedPackages, String mainClass,
            int nprocs, String... args) {
        if (nprocs < 1) {
            throw new LaunchException("nprocs must be at least 1, got " + nprocs);
        }
        Ranks ranks = Ranks.start(new MpjInstallation(mpjHome), appClassPath, sharedPackages, mainClass, nprocs,
                args.clone());
        int status = ranks.await(GRACE_MILLIS);
        if (status == ExitStatus.SUCCESS) {
            ranks.close(); // after a failure, ranks may still be running on these loaders
        }
        return status;
    }
}
