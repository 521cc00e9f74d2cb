package halo.run;

import java.nio.file.Files;
import java.nio.file.Path;

import halo.parallel.Communicator;

/**
 * A request from outside a run to write a checkpoint and stop: the file named by the environment
 * variable {@value #VARIABLE} exists. slurm/halo-job.sh creates it when Slurm warns the job that
 * its time limit is near (a signal to the batch script); anyone may create it by hand.
 *
 * <p>A signal comes at any moment and a file may show on one node before another, so ranks do
 * not act on what they see alone: they ask only at points every rank reaches (diff2d: every
 * output) and agree with one Allreduce, so that all of them checkpoint at the same step.
 */
public final class StopRequest {

    public static final String VARIABLE = "HALO_STOP_FILE";

    /** Null: no file was named, and no request can come. */
    private final Path file;
    private final Communicator communicator;

    private StopRequest(Path file, Communicator communicator) {
        this.file = file;
        this.communicator = communicator;
    }

    /**
     * Collective: the file rank 0's environment names, on every rank, so that all ranks ask
     * (and take part in the Allreduce) or none does, whatever their own environments say.
     */
    public static StopRequest named(Communicator communicator) {
        String named = communicator.isRoot() ? System.getenv().getOrDefault(VARIABLE, "") : null;
        String agreed = communicator.broadcast(named, 0);
        return new StopRequest(agreed.isBlank() ? null : Path.of(agreed), communicator);
    }

    /** Collective: whether any rank sees the file; every rank gets the same answer. */
    public boolean requested() {
        return file != null && communicator.allMin(Files.exists(file) ? 0 : 1) == 0;
    }

    /** Where the request comes from, for the logs and the console. */
    @Override
    public String toString() {
        return file == null ? "none" : file.toString();
    }
}
