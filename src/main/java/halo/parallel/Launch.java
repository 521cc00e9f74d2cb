package halo.parallel;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import halo.launch.InitGuard;

/**
 * How this process was started: by an MPJ Express starter (which passes
 * {@code rank, size-or-config, device} before the user's arguments) or as a plain
 * {@code java -jar}, which runs one rank without MPJ.
 */
public final class Launch {

    private static final Set<String> MPJ_DEVICES = Set.of("smpdev", "multicore", "niodev", "hybdev", "mxdev", "native");
    /** The one class that links to MPJ; the jar's MPJ-Shared-Packages leaves it to each rank. */
    private static final String MPJ_BINDING = "halo.parallel.MpjCommunicator";

    /** As in halo.cli.Main: the supervisor (mpjrun.sh, srun) ends this rank meanwhile. */
    private static final long PEER_LOSS_GRACE_MILLIS = 5_000;

    private Launch() {}

    /** The ranks of this run: MPI.Init when MPJ started the process, else one rank alone. */
    public static Communicator communicator(String[] processArguments) {
        if (startedByMpj(processArguments)) {
            return mpj(processArguments);
        }
        return new SerialCommunicator();
    }

    /** The user's own arguments among a process's, known before MPI.Init. */
    public static String[] userArguments(String[] processArguments) {
        return startedByMpj(processArguments)
                ? Arrays.copyOfRange(processArguments, 3, processArguments.length)
                : processArguments;
    }

    /** A rank's number and the run's size, known before MPI.Init. */
    public record RankOfRun(int rank, int size) {}

    /** What "#Number of Processes;N;" says in a niodev rank's configuration argument. */
    private static final Pattern NIODEV_SIZE = Pattern.compile("#Number of Processes;(\\d{1,9});");

    /**
     * This process's rank and the run's size when MPJ started it as a JVM of its own (niodev:
     * mpjrun.sh -dev niodev, multi-node Slurm jobs), read from what MPJ passes before the
     * user's arguments; null for ranks that share a JVM (multicore) and for a plain java -jar.
     */
    public static RankOfRun ownJvmRank(String[] processArguments) {
        if (!startedByMpj(processArguments) || processArguments[2].equals("smpdev")
                || processArguments[2].equals("multicore")) {
            return null;
        }
        Matcher size = NIODEV_SIZE.matcher(processArguments[1]);
        if (!size.find() || processArguments[0].length() > 9) {
            return null;
        }
        return new RankOfRun(Integer.parseInt(processArguments[0]), Integer.parseInt(size.group(1)));
    }

    private static boolean startedByMpj(String[] processArguments) {
        return processArguments.length >= 3 && MPJ_DEVICES.contains(processArguments[2])
                && processArguments[0].matches("\\d+");
    }

    /**
     * MPI.Init through the MPJ binding of this rank. In multicore mode this class is loaded
     * once for all ranks of the JVM, but MPJ's classes are loaded once per rank, and so is the
     * binding: this class cannot link to it and finds it through the rank's own class loader,
     * the thread's context class loader (in any other mode simply the application's).
     */
    private static Communicator mpj(String[] mpjArguments) {
        ClassLoader rankLoader = Thread.currentThread().getContextClassLoader();
        try {
            Class<?> binding = Class.forName(MPJ_BINDING, true,
                    rankLoader != null ? rankLoader : Launch.class.getClassLoader());
            return (Communicator) binding.getMethod("init", String[].class).invoke(null, (Object) mpjArguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause(); // init throws nothing checked
            if ("niodev".equals(mpjArguments[2])) {
                InitGuard.explainFailure(); // a stranger's connection to MPJ's ports, if that broke MPI.Init
                if (CommunicationException.isPeerLost(cause)) {
                    // most likely another rank failed first: whoever supervises the ranks says why and ends this one
                    pause(PEER_LOSS_GRACE_MILLIS);
                }
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) cause;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no MPJ binding " + MPJ_BINDING + ": " + e, e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
