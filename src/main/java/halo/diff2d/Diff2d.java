package halo.diff2d;

import java.util.LinkedHashMap;
import java.util.Map;

import halo.kernel.Field;
import halo.kernel.JitWarmUp;
import halo.params.Diff2dParams;
import halo.params.Diff2dTuning;
import halo.params.FieldFormats;
import halo.parallel.BlockPartition;
import halo.parallel.Communicator;
import halo.parallel.HaloExchange;
import halo.parallel.RankOrder;
import halo.run.RunContext;
import halo.run.StopRequest;
import halo.timing.Phase;
import halo.timing.PhaseTimer;

/**
 * 2D diffusion on row strips, the course's time loop: exchange ghost rows, update, swap, and
 * every outtime an output. Each rank owns a contiguous block of grid rows ({@link Field});
 * {@link TimeStepper} trades the ghost rows and updates the strip; every outtime rank 0 prints
 * the simulated time and, with graphics, a snapshot is written ({@link FieldOutput}).
 *
 * <p>With --checkpoint-every it writes checkpoints, and with --restart it starts from one (see
 * {@link Start}); asked to stop ({@link StopRequest}), it writes one at the next output and stops.
 */
public final class Diff2d {

    private final RunContext context;
    private final Diff2dParams params;
    private final Diff2dTuning tuning;
    private final Start start;
    private final Checkpoints checkpoints;
    private final Communicator communicator;
    private final PhaseTimer timer;
    private final Field field;
    private final BlockPartition rows;
    private final StripWrites writes;
    private final TimeStepper stepper;
    private final FieldOutput output;
    private final StopRequest stopRequest;

    private Diff2d(RunContext context, Diff2dParams params, Diff2dTuning tuning, FieldFormats formats, Start start,
                   Checkpoints checkpoints) {
        this.context = context;
        this.params = params;
        this.tuning = tuning;
        this.start = start;
        this.checkpoints = checkpoints;
        this.communicator = context.communicator();
        this.timer = context.timer();
        this.rows = context.blocks();
        int rank = communicator.rank();
        this.field = new Field((int) rows.count(rank), params.ncols(), (int) rows.start(rank), tuning.haloDepth());
        HaloExchange halo = new HaloExchange(communicator, field.stride(), field.rows(), tuning.haloDepth());
        context.recordExchanges(halo);
        this.writes = new StripWrites(communicator, rows, field);
        this.stepper = new TimeStepper(field, halo, tuning, params.updateFactor(), timer);
        this.output = new FieldOutput(context, params, formats, field, writes, tuning.backgroundIo());
        this.stopRequest = StopRequest.named(communicator);
    }

    /** Runs the whole simulation; returns the summary sections (meaningful on rank 0). */
    public static Map<String, Object> run(RunContext context, Diff2dParams params, Diff2dTuning tuning,
                                          FieldFormats formats, Start start, Checkpoints checkpoints) {
        Diff2d diff2d = new Diff2d(context, params,
                tuning.forMessagesUpTo(context.communicator().eagerMessageBytes(), params.ncols()), formats, start,
                checkpoints);
        try (TimeStepper stepper = diff2d.stepper; FieldOutput output = diff2d.output) {
            return diff2d.run();
        }
    }

    private Map<String, Object> run() {
        long t = timer.now();
        start.fill(field, params);
        context.log().event("start", "rows", field.rows(), "first_row", field.firstRow(),
                "cols", field.cols(), "nsteps", params.nsteps(), "halo_depth", tuning.haloDepth(),
                "overlap", tuning.overlap(), "threads", tuning.threads(), "kernels", tuning.kernels().toString(),
                "temporal_blocking", tuning.temporalBlocking(),
                "from", start.toString());
        timer.stop(Phase.SETUP, t);

        JitWarmUp.stop();
        double simtime = start.simtime();
        if (start.isRestart()) {
            context.say("Restarting from " + start);
        } else {
            output(simtime, 0);
        }
        for (long step = start.step(); step < params.nsteps(); ) {
            int steps = stepper.advance(stepsUntilOutput(step));
            for (int i = 0; i < steps; i++) {
                simtime += params.dt(); // as the course adds it, step by step: the same doubles
            }
            step += steps;
            if (isOutput(step)) {
                output(simtime, step);
            }
            if (checkpoints.due(step)) {
                checkpoints.write(context, writes, step, simtime);
            }
            if (isOutput(step) && stopRequest.requested()) {
                output.finishSnapshots(); // the snapshots before the stop are whole on disk
                checkpoints.stop(context, stopRequest, writes, step, simtime);
            }
        }

        output.writeFinal(simtime);
        t = timer.now();
        double sum = RankOrder.fold(communicator, 0.0, running -> Diff2dSummary.addRows(running, field));
        double centre = centreValue();
        timer.stop(Phase.REDUCTION, t);
        Map<String, Object> sections = new LinkedHashMap<>();
        if (communicator.isRoot()) {
            sections = Diff2dSummary.sections(params, tuning, sum, centre, simtime, output.snapshots(),
                    checkpoints.summary(start), output);
        }
        long steps = params.nsteps() - start.step();
        double cellUpdates = (double) field.rows() * field.cols() * steps;
        context.finish(sections, steps, cellUpdates);
        return sections;
    }

    /** Collective: the final field's centre cell, sent by the rank that holds it to rank 0. */
    private double centreValue() {
        int[] centre = Diff2dSummary.centre(params);
        int owner = rows.owner(centre[0]);
        double mine = Double.NaN;
        if (owner == communicator.rank()) {
            int row = field.firstInteriorRow() + centre[0] - field.firstRow();
            mine = field.current()[field.rowStart(row) + 1 + centre[1]];
        }
        return RankOrder.fromRank(communicator, owner, mine);
    }

    private boolean isOutput(long step) {
        return step % params.nper() == 0;
    }

    /** Steps from {@code step} to the next output, checkpoint or the end, whichever comes first. */
    private int stepsUntilOutput(long step) {
        long nextOutput = (step / params.nper() + 1) * params.nper();
        long until = Math.min(params.nsteps(), Math.min(nextOutput, checkpoints.nextDue(step)));
        return (int) Math.min(Integer.MAX_VALUE, until - step);
    }

    /** Every outtime: simtime on the console and in the log, and the snapshot with graphics. */
    private void output(double simtime, long step) {
        context.say(Double.toString(simtime));
        context.output(step, simtime);
        if (params.graphics()) {
            output.snapshot(step, simtime);
        }
    }
}
