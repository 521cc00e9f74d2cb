package halo.cli;

import halo.io.Quote;
import halo.params.ParameterException;

/**
 * The check a launcher makes before it starts any rank (halo.launch.Preflight calls it, as
 * halo.jar's manifest attribute MPJ-Preflight names it): the arguments parsed and the run
 * planned for the rank count ({@link Program#plan}), so that bad input, and more ranks than the
 * problem can use, are refused at once in the words every rank would use, instead of after the
 * launcher made every rank (a class loader and MPI.Init each, or a JVM each on niodev).
 * What depends on the ranks' JVM (heap, CPUs, the Vector API) the ranks check themselves.
 */
public final class Preflight {

    private Preflight() {
    }

    /**
     * @param ranks     the run's rank count (-np)
     * @param arguments the program's arguments, as every rank gets them
     * @return the one line to print before exiting with status 2, or null to start the ranks
     */
    public static String preflight(int ranks, String[] arguments) {
        if (arguments.length > 0 && arguments[0].equals(Main.REPORT)) {
            return Main.REPORT_AS_RANKS;
        }
        try {
            Invocation invocation = Invocation.parse(arguments);
            if (invocation.action() == Invocation.Action.RUN) {
                invocation.program().plan(invocation.source(), ranks);
            }
            return null;
        } catch (ParameterException e) {
            return Quote.line(Main.label(arguments) + ": error: " + e.getMessage());
        } catch (RuntimeException e) {
            return null; // not bad input: the ranks meet it and report it as every failure
        }
    }
}
