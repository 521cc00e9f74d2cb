package halo.diff2d;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import halo.io.Checkpoint;
import halo.io.RunDirectory;
import halo.params.Diff2dParams;
import halo.params.FieldFormats;
import halo.params.ParameterSource;
import halo.run.RunContext;
import halo.run.RunStopped;
import halo.run.StopRequest;
import halo.timing.PhaseTimer;
import halo.timing.Span;

/**
 * The checkpoints a diff2d run writes with {@code --checkpoint-every T}: one every int(T/dt)
 * steps (at least one step). T is simulated time, as runtime and outtime are, so that it means
 * the same at any grid spacing; there is no separate option in steps. Steps are counted from
 * the start of the simulation, not of a restart, so a restarted run writes its checkpoints at
 * the same steps as the uninterrupted one would. T = 0 (the default) writes none.
 *
 * <p>Writing one is collective: every rank writes its own rows into the run directory's
 * {@code checkpoint.bin}, which is replaced whole ({@link StripWrites}; see {@link Checkpoint}
 * for the format). A checkpoint
 * holds every parameter, so that {@code --restart} needs nothing else.
 */
public final class Checkpoints {

    private final Diff2dParams params;
    private final double every;
    /** Steps between checkpoints; 0: none. */
    private final long interval;
    private final Map<String, String> parameters;
    private int written;
    private long lastStep = -1;

    private Checkpoints(Diff2dParams params, double every, long interval, Map<String, String> parameters) {
        this.params = params;
        this.every = every;
        this.interval = interval;
        this.parameters = parameters;
    }

    public static Checkpoints from(ParameterSource source, Diff2dParams params) {
        double every = source.finiteDouble("checkpoint-every");
        if (every < 0) {
            throw source.rejected("checkpoint-every", "T > 0, the simulated time between checkpoints, or 0 for none");
        }
        long interval = every == 0 ? 0 : Math.max(1, (long) (every / params.dt()));
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("D", Double.toString(params.D()));
        parameters.put("x1", Double.toString(params.x1()));
        parameters.put("x2", Double.toString(params.x2()));
        parameters.put("runtime", Double.toString(params.runtime()));
        parameters.put("dx", Double.toString(params.dxRequested()));
        parameters.put("outtime", Double.toString(params.outtime()));
        parameters.put("graphics", params.graphics() ? "True" : "False");
        FieldFormats formats = FieldFormats.from(source);
        if (!formats.isDefault()) {
            // a restart writes the same kinds of file; a default run's checkpoint keeps its bytes
            parameters.put("format", formats.toString());
        }
        parameters.put("checkpoint-every", Double.toString(every));
        return new Checkpoints(params, every, interval, parameters);
    }

    /** Whether a checkpoint is due once {@code step} steps are done. */
    public boolean due(long step) {
        return interval > 0 && step % interval == 0;
    }

    /** The first step after {@code step} at which a checkpoint is due; Long.MAX_VALUE for none. */
    public long nextDue(long step) {
        return interval > 0 ? (step / interval + 1) * interval : Long.MAX_VALUE;
    }

    /** Collective: the field with the step and simtime, every rank writing its own rows. */
    void write(RunContext context, StripWrites writes, long step, double simtime) {
        PhaseTimer timer = context.timer();
        long t = timer.now();
        Checkpoint.Header header = new Checkpoint.Header(step, simtime, params.nrows(), params.ncols(), parameters);
        try {
            writes.write(Checkpoint.file(context.directory().checkpoint(), header));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        context.log().event("checkpoint", "step", step, "simtime", simtime);
        written++;
        lastStep = step;
        timer.stop(Span.WRITE_CHECKPOINT_ROWS, t);
    }

    /**
     * Collective, when every rank has agreed on a stop request at {@code step}: writes the
     * checkpoint (unless one was written at this step already), tells the user how to go on,
     * closes the logs and throws {@link RunStopped} on every rank. The barrier makes sure the
     * checkpoint and the message are out before any rank's exit can end a JVM that ranks share.
     */
    void stop(RunContext context, StopRequest request, StripWrites writes, long step, double simtime) {
        if (lastStep != step) {
            write(context, writes, step, simtime);
        }
        RunDirectory directory = context.directory();
        context.say("Stopped on request (" + request + ") at step " + step + ", simtime " + simtime
                + ": checkpoint in " + directory.checkpoint() + "; go on with --restart " + directory.path());
        System.out.flush();
        context.log().event("stopped", "step", step, "simtime", simtime, "request", request.toString());
        context.log().close();
        context.communicator().barrier();
        throw new RunStopped(step);
    }

    /** For summary.json: the policy, what this run wrote, and where it started from. */
    public Map<String, Object> summary(Start start) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("every", every);
        summary.put("interval_steps", interval);
        summary.put("written", written);
        summary.put("last_step", lastStep < 0 ? null : lastStep);
        summary.put("restarted_from", start.summary());
        return summary;
    }
}
