package halo.diff2d;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import halo.io.DensityImage;
import halo.io.Npy;
import halo.io.RunDirectory;
import halo.kernel.Field;
import halo.kernel.Stencil;
import halo.params.Diff2dParams;
import halo.parallel.BlockPartition;
import halo.parallel.Communicator;
import halo.parallel.HaloExchange;
import halo.parallel.StripGather;
import halo.run.RunContext;
import halo.run.StopRequest;
import halo.timing.Phase;
import halo.timing.PhaseTimer;

/**
 * 2D diffusion on row strips: each rank owns a contiguous block of grid rows; every step it
 * trades ghost rows with its neighbours and updates its rows; every outtime rank 0 reports
 * the simulated time (and, with graphics, gathers the field and writes a snapshot); with
 * --checkpoint-every it writes checkpoints, and with --restart it starts from one (see {@link Start});
 * asked to stop ({@link StopRequest}), it writes one at the next output and stops.
 */
public final class Diff2d {

    private final RunContext context;
    private final Diff2dParams params;
    private final Start start;
    private final Checkpoints checkpoints;
    private final Communicator communicator;
    private final PhaseTimer timer;
    private final Field field;
    private final HaloExchange halo;
    private final StripGather gather;
    private final StopRequest stopRequest;
    private int snapshots;

    private Diff2d(RunContext context, Diff2dParams params, Start start, Checkpoints checkpoints) {
        this.context = context;
        this.params = params;
        this.start = start;
        this.checkpoints = checkpoints;
        this.communicator = context.communicator();
        this.timer = context.timer();
        BlockPartition rows = new BlockPartition(params.nrows(), communicator.size());
        int rank = communicator.rank();
        this.field = new Field((int) rows.count(rank), params.ncols(), (int) rows.start(rank));
        this.halo = new HaloExchange(communicator);
        this.gather = new StripGather(communicator, rows, field.stride());
        this.stopRequest = StopRequest.named(communicator);
    }

    /** Runs the whole simulation; returns the summary sections (meaningful on rank 0). */
    public static Map<String, Object> run(RunContext context, Diff2dParams params, Start start,
                                          Checkpoints checkpoints) {
        return new Diff2d(context, params, start, checkpoints).run();
    }

    private Map<String, Object> run() {
        long t = timer.now();
        start.fill(field, params);
        context.log().event("start", "rows", field.rows(), "first_row", field.firstRow(),
                "cols", field.cols(), "nsteps", params.nsteps(), "from", start.toString());
        t = timer.stop(Phase.SETUP, t);

        double factor = params.updateFactor();
        double simtime = start.simtime();
        if (start.isRestart()) {
            context.say("Restarting from " + start);
        } else {
            report(simtime, 0);
        }
        t = timer.now();
        for (long step = start.step(); step < params.nsteps(); step++) {
            halo.exchange(field.current(), field.stride(), field.rows());
            t = timer.stop(Phase.HALO, t);
            Stencil.step(field, factor);
            field.swap();
            simtime += params.dt();
            t = timer.stop(Phase.COMPUTE, t);
            if ((step + 1) % params.nper() == 0) {
                report(simtime, step + 1);
                t = timer.now();
            }
            if (checkpoints.due(step + 1)) {
                checkpoints.write(context, gather, field, step + 1, simtime);
                t = timer.now();
            }
            if ((step + 1) % params.nper() == 0 && stopRequest.requested()) {
                checkpoints.stop(context, stopRequest, gather, field, step + 1, simtime);
            }
        }

        double[] global = gather.gather(field.current());
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

    /** Every outtime: simtime on the console and in the log, and the snapshot with graphics. */
    private void report(double simtime, long step) {
        context.say(Double.toString(simtime));
        context.log().event("output", "step", step, "simtime", simtime);
        if (!params.graphics()) {
            return;
        }
        long t = timer.now();
        double[] global = gather.gather(field.current());
        t = timer.stop(Phase.REDUCTION, t);
        if (communicator.isRoot()) {
            RunDirectory directory = context.directory();
            int index = (int) (step / params.nper()); // outputs since step 0, also after a restart
            String title = String.format("diff2d   simtime = %.4f   (step %d)", simtime, step);
            write(() -> Npy.write(directory.snapshotNpy(index), global, 1,
                    params.nrows(), params.ncols(), field.stride()));
            write(() -> DensityImage.writePng(directory.snapshotPng(index), global, 1,
                    params.nrows(), params.ncols(), field.stride(), 0.0, 1.0, title));
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

    private interface Write {
        void run() throws IOException;
    }

    private static void write(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
