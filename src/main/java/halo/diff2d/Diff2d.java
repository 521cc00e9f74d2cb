package halo.diff2d;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import halo.io.DensityImage;
import halo.io.Npy;
import halo.io.OutputQueue;
import halo.io.RunDirectory;
import halo.kernel.Field;
import halo.kernel.JitWarmUp;
import halo.kernel.Stencil;
import halo.kernel.StencilTeam;
import halo.kernel.Wavefront;
import halo.params.Diff2dParams;
import halo.params.Diff2dTuning;
import halo.parallel.BlockPartition;
import halo.parallel.Communicator;
import halo.parallel.HaloExchange;
import halo.parallel.StripGather;
import halo.run.RunContext;
import halo.run.StopRequest;
import halo.timing.Phase;
import halo.timing.PhaseTimer;

/**
 * 2D diffusion on row strips: each rank owns a contiguous block of grid rows; it trades ghost
 * rows with its neighbours and updates its rows every step; every outtime rank 0 reports the
 * simulated time (and, with graphics, gathers the field and writes a snapshot).
 *
 * <p>With halo depth k the ghost rows are k deep and are traded every k steps: in the k steps
 * after an exchange each rank also updates the ghost rows that are still exact (k-1 rows beyond
 * its interior, then k-2, …), which is what its neighbours compute for those rows, so the
 * field is bitwise that of the serial run. With overlap, the step right after an exchange
 * updates the rows that need no ghost row while the messages travel.
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
    private final HaloExchange halo;
    private final StripGather gather;
    private final StencilTeam team;
    private final OutputQueue output;
    private final StopRequest stopRequest;
    /** Steps done on the ghost rows of the last exchange; halo depth means: exchange now. */
    private int stepsSinceExchange;
    /** Rows per block of temporal blocking: a block, its skew, both time levels in the cache. */
    private final int blockRows;
    private int snapshots;

    private Diff2d(RunContext context, Diff2dParams params, Diff2dTuning tuning, Start start,
                   Checkpoints checkpoints) {
        this.context = context;
        this.params = params;
        this.tuning = tuning;
        this.start = start;
        this.checkpoints = checkpoints;
        this.communicator = context.communicator();
        this.timer = context.timer();
        BlockPartition rows = new BlockPartition(params.nrows(), communicator.size());
        int rank = communicator.rank();
        this.field = new Field((int) rows.count(rank), params.ncols(), (int) rows.start(rank), tuning.haloDepth());
        this.halo = new HaloExchange(communicator, field.stride(), field.rows(), tuning.haloDepth());
        this.gather = new StripGather(communicator, rows, field.stride());
        this.team = new StencilTeam(tuning.threads(), tuning.kernels());
        this.output = new OutputQueue(tuning.backgroundIo());
        this.stepsSinceExchange = tuning.haloDepth();
        this.blockRows = Wavefront.blockRows(field.stride(), tuning.haloDepth() - 1);
        this.stopRequest = StopRequest.named(communicator);
    }

    /** Runs the whole simulation; returns the summary sections (meaningful on rank 0). */
    public static Map<String, Object> run(RunContext context, Diff2dParams params, Diff2dTuning tuning,
                                          Start start, Checkpoints checkpoints) {
        Diff2d diff2d = new Diff2d(context, params, tuning, start, checkpoints);
        try {
            return diff2d.run();
        } finally {
            diff2d.team.close();
            diff2d.output.close();
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
            report(simtime, 0);
        }
        for (long step = start.step(); step < params.nsteps(); ) {
            int steps = advance(step);
            for (int i = 0; i < steps; i++) {
                simtime += params.dt();
            }
            step += steps;
            if (step % params.nper() == 0) {
                report(simtime, step);
            }
            if (checkpoints.due(step)) {
                checkpoints.write(context, gather, field, step, simtime);
            }
            if (step % params.nper() == 0 && stopRequest.requested()) {
                write(output::finish); // the snapshots before the stop are whole on disk
                checkpoints.stop(context, stopRequest, gather, field, step, simtime);
            }
        }

        t = timer.now();
        write(output::finish); // a snapshot that failed in the background fails the run before final.npy
        t = timer.stop(Phase.IO, t);
        double[] global = gather.gather(field.current(), field.rowStart(field.firstInteriorRow()));
        t = timer.stop(Phase.REDUCTION, t);
        Map<String, Object> sections = new LinkedHashMap<>();
        if (communicator.isRoot()) {
            write(() -> Npy.write(context.directory().finalField(), global, 1,
                    params.nrows(), params.ncols(), field.stride()));
            sections = sections(global, simtime);
        }
        timer.stop(Phase.IO, t);
        long steps = params.nsteps() - start.step();
        double cellUpdates = (double) field.rows() * field.cols() * steps;
        context.finish(sections, steps, cellUpdates);
        return sections;
    }

    /**
     * Time steps from {@code step} on, the field swapped after each; returns how many. Every
     * halo-depth steps one step starts with fresh ghost rows, depth deep; the steps in between
     * update, beyond the interior, the ghost rows still exact: depth-1 rows, then depth-2, …
     * (none at the domain's edges, which stay zero). With temporal blocking those steps run
     * together, up to the next exchange, output or checkpoint ({@link Wavefront}).
     */
    private int advance(long step) {
        long t = timer.now();
        int depth = tuning.haloDepth();
        if (stepsSinceExchange == depth) {
            stepsSinceExchange = 0;
        }
        int reach = depth - 1 - stepsSinceExchange;
        int from = field.firstInteriorRow() - (halo.hasAbove() ? reach : 0);
        int to = field.lastInteriorRow() + (halo.hasBelow() ? reach : 0);
        int steps = 1;
        if (stepsSinceExchange == 0 && tuning.overlap()) {
            exchangeWhileStepping(from, to, t);
        } else if (stepsSinceExchange > 0 && tuning.temporalBlocking() && tuning.threads() == 1) {
            steps = stepsUntilOutput(step, depth - stepsSinceExchange);
            Wavefront.steps(tuning.kernels(), field.current(), field.next(), field.stride(), field.cols(), from, to,
                    halo.hasAbove() ? 1 : 0, halo.hasBelow() ? 1 : 0, steps, params.updateFactor(), blockRows);
            timer.stop(Phase.COMPUTE, t);
        } else {
            if (stepsSinceExchange == 0) {
                halo.exchange(field.current());
                t = timer.stop(Phase.HALO, t);
            }
            team.step(field.current(), field.next(), field.stride(), field.cols(), from, to, params.updateFactor());
            timer.stop(Phase.COMPUTE, t);
        }
        for (int i = 0; i < steps; i++) {
            field.swap();
        }
        stepsSinceExchange += steps;
        return steps;
    }

    /** How many steps from {@code step} on, at most {@code most}, run before an output or a checkpoint is due. */
    private int stepsUntilOutput(long step, int most) {
        long limit = Math.min(most, params.nsteps() - step);
        int steps = 1;
        while (steps < limit && (step + steps) % params.nper() != 0 && !checkpoints.due(step + steps)) {
            steps++;
        }
        return steps;
    }

    /**
     * One step of rows from..to with the exchange under way: first the rows that read no ghost
     * row, then, once the ghost rows are in, the rows at either edge.
     */
    private void exchangeWhileStepping(int from, int to, long t) {
        double[] current = field.current();
        double[] next = field.next();
        int stride = field.stride();
        int cols = field.cols();
        double factor = params.updateFactor();
        int first = field.firstInteriorRow();
        int last = field.lastInteriorRow();
        halo.start(current);
        t = timer.stop(Phase.HALO, t);
        team.step(current, next, stride, cols, first + 1, last - 1, factor);
        t = timer.stop(Phase.COMPUTE, t);
        halo.finish();
        t = timer.stop(Phase.HALO, t);
        int upperEdge = Math.min(first, to);
        Stencil.step(tuning.kernels(), current, next, stride, cols, from, upperEdge, factor);
        Stencil.step(tuning.kernels(), current, next, stride, cols, Math.max(last, upperEdge + 1), to, factor);
        timer.stop(Phase.COMPUTE, t);
    }

    /** Every outtime: simtime on the console and in the log, and the snapshot with graphics. */
    private void report(double simtime, long step) {
        context.say(Double.toString(simtime));
        context.log().event("output", "step", step, "simtime", simtime);
        if (!params.graphics()) {
            return;
        }
        long t = timer.now();
        double[] gathered = gather.gather(field.current(), field.rowStart(field.firstInteriorRow()));
        t = timer.stop(Phase.REDUCTION, t);
        if (communicator.isRoot()) {
            // the gather reuses its array: the queue gets a copy of its own
            double[] global = tuning.backgroundIo() ? gathered.clone() : gathered;
            RunDirectory directory = context.directory();
            int index = (int) (step / params.nper()); // outputs since step 0, also after a restart
            String title = String.format("diff2d   simtime = %.4f   (step %d)", simtime, step);
            write(() -> output.submit(() -> {
                Npy.write(directory.snapshotNpy(index), global, 1, params.nrows(), params.ncols(), field.stride());
                DensityImage.writePng(directory.snapshotPng(index), global, 1,
                        params.nrows(), params.ncols(), field.stride(), 0.0, 1.0, title);
            }));
        }
        snapshots++;
        timer.stop(Phase.IO, t);
    }

    private Map<String, Object> sections(double[] global, double simtime) {
        int stride = field.stride();
        double sum = 0.0;
        for (int i = 0; i < params.nrows(); i++) {
            int rowStart = i * stride + 1;
            for (int j = 0; j < params.ncols(); j++) {
                sum += global[rowStart + j];
            }
        }
        int centreRow = params.nrows() / 2;
        int centreCol = params.ncols() / 2;
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("D", params.D());
        parameters.put("x1", params.x1());
        parameters.put("x2", params.x2());
        parameters.put("runtime", params.runtime());
        parameters.put("dx", params.dxRequested());
        parameters.put("outtime", params.outtime());
        parameters.put("graphics", params.graphics());
        parameters.put("halo-depth", tuning.haloDepth());
        parameters.put("overlap", tuning.overlap());
        parameters.put("threads", tuning.threads());
        parameters.put("background-io", tuning.backgroundIo());
        parameters.put("kernels", tuning.kernels().toString());
        parameters.put("temporal-blocking", tuning.temporalBlocking());
        Map<String, Object> derived = new LinkedHashMap<>();
        derived.put("nrows", params.nrows());
        derived.put("ncols", params.ncols());
        derived.put("npnts", params.nrows() + 2);
        derived.put("dx", params.dx());
        derived.put("dt", params.dt());
        derived.put("nsteps", params.nsteps());
        derived.put("nper", params.nper());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("simtime", simtime);
        result.put("sum", sum);
        result.put("centre_value", global[centreRow * stride + 1 + centreCol]);
        result.put("centre_index", new int[] {centreRow, centreCol});
        result.put("final_field", "final.npy");
        result.put("snapshots", snapshots);
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put("parameters", parameters);
        sections.put("derived", derived);
        sections.put("result", result);
        sections.put("checkpoints", checkpoints.summary(start));
        return sections;
    }

    private static void write(OutputQueue.Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
