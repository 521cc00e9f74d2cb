package halo.launch;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One niodev rank, as {@link NiodevLauncher} and slurm/niodev-rank.sh start it: a JVM that
 * checks in at its job's rendezvous ({@link RankRelay}: only ranks that know the job's secret
 * get the peer list), calls the program's {@code main} and then ends with the truth, as MPJ
 * Express's own per-rank wrapper ({@code runtime.daemon.Wrapper}) calls it but does not.
 *
 * <pre>
 *   java -cp halo-launcher.jar:mpj.jar:APP halo.launch.NiodevRank MAINCLASS RANK CONFIGURATION niodev [args…]
 * </pre>
 *
 * The job's secret comes in the environment ({@link JobSecret#VARIABLE}), never on the command line.
 *
 * <p>Exit status: 0 when main returned, 1 when it threw ({@code rank R failed: …} and the stack
 * trace on stderr) or its start-up failed (one line), 2 when MAINCLASS has no main to call or
 * there is no job secret, n when the program called
 * {@code System.exit(n)}. The JVM always ends: niodev's threads are not daemons, so a rank whose
 * main threw would otherwise stay alive, and its peers would wait for it forever.
 */
public final class NiodevRank {

    private NiodevRank() {
    }

    public static void main(String[] argv) {
        if (argv.length < 4) {
            System.err.println("mpjrun.sh: usage: NiodevRank MAINCLASS RANK CONFIGURATION niodev [args...]");
            System.exit(2);
        }
        String mainClass = argv[0];
        String[] mpjArguments = Arrays.copyOfRange(argv, 1, argv.length);
        String rank = mpjArguments[0];
        ParentWatch.start("mpjrun.sh: rank " + rank + ": ");
        Thread.currentThread().setName(rank); // as in multicore mode, where each rank is a thread so named
        int status = 0;
        try {
            Method main = LaunchCommand.mainMethod(NiodevRank.class.getClassLoader(), mainClass,
                    List.of(Path.of(System.getProperty("java.class.path"))));
            main.invoke(null, (Object) RankRelay.start(mpjArguments, "halo rank " + rank + ": "));
        } catch (InvocationTargetException e) {
            InitGuard.explainFailure(); // a stranger's connection, if that is what broke MPI.Init
            ExitStatus.reportFailure(Integer.parseInt(rank), e.getCause(), mainClass);
            status = 1;
        } catch (LaunchException e) {
            System.err.println("mpjrun.sh: rank " + rank + ": " + e.getMessage());
            status = 2;
        } catch (IllegalAccessException e) {
            System.err.println("mpjrun.sh: rank " + rank + ": cannot call " + mainClass + ".main: " + e.getMessage());
            status = 2;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }
}
