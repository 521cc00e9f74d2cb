package halo.launch;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ranks of one multicore run: each a daemon thread of this JVM, named {@code "<rank>"},
 * in the thread group {@code new xdev.smpdev.SMPDevProcess("MPI"+rank)} (smpdev identifies the
 * calling rank by its thread group), with its own {@link RankLoader} as context class loader,
 * calling {@code main(new String[]{rank, nprocs, "smpdev", args…})}, which is what
 * {@code MPI.Init} expects. How they end is {@link ExitStatus}'s to say.
 */
final class Ranks implements AutoCloseable {
    private final RankClassLoaders loaders;
    private final ExitStatus exitStatus;

    private Ranks(RankClassLoaders loaders, ExitStatus exitStatus) {
        this.loaders = loaders;
        this.exitStatus = exitStatus;
    }

    static Ranks start(MpjInstallation mpj, List<Path> appClassPath, List<String> sharedPackages,
            String mainClass, int nprocs, String[] userArgs) {
        SharedClasses shared = SharedClasses.of(sharedPackages);
        RankClassLoaders loaders = new RankClassLoaders(mpj, appClassPath, shared);

        // Load and check every rank's main class before starting any rank, so that a
        // wrong name is one clear error rather than N failures. Not initialised yet:
        // static initialisers run in the rank's own thread, as the first thing of main.
        List<ClassLoader> rankLoaders = new ArrayList<>();
        List<Method> mains = new ArrayList<>();
        Class<?> processClass;
        try {
            for (int rank = 0; rank < nprocs; rank++) {
                ClassLoader loader = loaders.newRankLoader(rank);
                rankLoaders.add(loader);
                mains.add(LaunchCommand.mainMethod(loader, mainClass, appClassPath));
            }
            processClass = loaders.parent().loadClass("xdev.smpdev.SMPDevProcess");
        } catch (LaunchException e) {
            loaders.close();
            throw e;
        } catch (ClassNotFoundException e) {
            loaders.close();
            throw new LaunchException("no xdev.smpdev.SMPDevProcess in " + mpj.lib() + "/smpdev.jar");
        }
        ExitStatus exitStatus = new ExitStatus(nprocs, mainClass);
        for (int rank = 0; rank < nprocs; rank++) {
            String[] argv = new String[userArgs.length + 3];
            argv[0] = Integer.toString(rank);
            argv[1] = Integer.toString(nprocs);
            argv[2] = "smpdev";
            System.arraycopy(userArgs, 0, argv, 3, userArgs.length);

            ThreadGroup group = newProcessGroup(processClass, "MPI" + rank);
            Method main = mains.get(rank);
            int r = rank;
            Thread t = new Thread(group, () -> exitStatus.callMain(r, main, argv), Integer.toString(rank));
            t.setContextClassLoader(rankLoaders.get(rank));
            // Daemon: a rank left blocked after another failed must not keep the JVM up.
            t.setDaemon(true);
            t.start();
        }
        return new Ranks(loaders, exitStatus);
    }

    /** The run's exit status, as {@link ExitStatus#await} tells it. */
    int await(long graceMillis) {
        return exitStatus.await(graceMillis);
    }

    /** Closes the class loaders and jars: only once no rank runs any more. */
    @Override
    public void close() {
        loaders.close();
    }

    private static ThreadGroup newProcessGroup(Class<?> processClass, String name) {
        try {
            return (ThreadGroup) processClass.getConstructor(String.class).newInstance(name);
        } catch (ReflectiveOperationException e) {
            throw new LaunchException("cannot create " + processClass.getName() + ": " + e, e);
        }
    }
}
