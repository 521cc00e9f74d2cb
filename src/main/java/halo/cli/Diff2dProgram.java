package halo.cli;

import java.util.List;
import java.util.Map;

import halo.diff2d.Checkpoints;
import halo.diff2d.Diff2d;
import halo.diff2d.Start;
import halo.kernel.JitWarmUp;
import halo.parallel.Communicator;
import halo.params.Diff2dMemory;
import halo.params.Diff2dParams;
import halo.params.Diff2dTuning;
import halo.params.FieldFormats;
import halo.params.KernelChoice;
import halo.params.ParameterException;
import halo.params.ParameterSource;
import halo.run.Decomposition;
import halo.run.RunContext;

final class Diff2dProgram implements Program {

    @Override
    public String name() {
        return "diff2d";
    }

    @Override
    public String description() {
        return """
                Explicit 2D diffusion  d(rho)/dt = D (d2/dx2 + d2/dy2) rho  on the square [x1,x2]^2,
                rho = 0 on the boundary, from the tent rho(x,y,0) = a(x) a(y),
                a(x) = 1 - |1 - 4 |x - (x1+x2)/2| / (x2-x1)|. 5-point stencil, forward Euler,
                nrows = int((x2-x1)/dx), dx = (x2-x1)/nrows, dt = 0.25 dx^2/D, nsteps = int(runtime/dt).
                The grid is split into row strips, one per rank, that trade ghost rows every step
                (or K rows every K steps); the result is bitwise identical at every rank count,
                halo depth, thread count and kernel form. Prints simtime every outtime.""";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                new Parameter("D", "D", "diffusion constant, > 0 (default 1.0)"),
                new Parameter("x1", "X", "lower edge of the domain in x and y (default -10.0)"),
                new Parameter("x2", "X", "upper edge of the domain, > x1 (default 10.0)"),
                new Parameter("runtime", "T", "simulated time, at least one step dt (default 10.0)"),
                new Parameter("dx", "H", "grid spacing, 0 < dx < x2-x1 (default 0.075: 266x266 grid)"),
                new Parameter("outtime", "T", "simulated time between outputs, > 0 (default 0.5)"),
                new Parameter("graphics", "BOOL", "PNG + snapshot (in each --format) every outtime: True/False (default False;"
                        + " --graphics alone means True)"),
                new Parameter("format", "LIST", "formats of the final field and the snapshots, comma-separated:"
                        + " npy (NumPy), vtk (VTK ImageData .vti for ParaView and VisIt, and field.pvd listing"
                        + " them with their simulated times), hdf5 (.h5 for h5py and xarray; the whole field in"
                        + " rank 0's memory a second time) (default npy)"),
                new Parameter(Diff2dParams.MAX_SNAPSHOTS, "N", "the most snapshots a run with graphics may write;"
                        + " one that would write more is refused, saying how many (default 1000)"),
                new Parameter("checkpoint-every", "T", "simulated time between checkpoints (checkpoint.bin in the run"
                        + " directory, replaced whole each time), > 0; 0: none (default 0)"),
                new Parameter("restart", "DIR", "go on from the checkpoint in run directory DIR, at any rank count,"
                        + " into a new run directory; parameters come from the checkpoint (default: none)"),
                new Parameter("halo-depth", "K", "ghost rows exchanged every K steps, the overlap recomputed:"
                        + " 1 to int(nrows/np), or auto (default: where exchanges and recomputed rows cost least,"
                        + " sqrt(2^20/nrows), 63 on 266 rows; fewer on wide rows and thin strips)"),
                new Parameter("overlap", "BOOL", "update the rows that need no ghost row while the exchange"
                        + " is under way: True/False (default True)"),
                new Parameter("threads", "N", "threads updating each rank's strip, 1 to 1024 and at most 8 per CPU"
                        + " over the ranks of a JVM, or auto"
                        + " (default: $SLURM_CPUS_PER_TASK, else 1)"),
                new Parameter("background-io", "BOOL", "write snapshots on a thread of their own:"
                        + " True/False (default True)"),
                new Parameter("temporal-blocking", "BOOL", "between exchanges, carry blocks of rows through"
                        + " all the steps while they are in the cache (with one thread): True/False (default True)"),
                KERNELS, TRACE);
    }

    @Override
    public Plan plan(ParameterSource source, int ranks) {
        Start start = Start.from(source);
        ParameterSource resolved = start.parameters(source);
        Diff2dParams params = Diff2dParams.from(resolved);
        start.check(resolved, params);
        if (ranks > params.nrows()) {
            throw new ParameterException("-np " + ranks + ": more ranks than grid rows; accepted 1 to "
                    + params.nrows() + " ranks for nrows = int((x2-x1)/dx) = " + params.nrows());
        }
        Diff2dTuning tuning = Diff2dTuning.from(resolved, params.nrows(), ranks);
        long stripRows = (params.nrows() + ranks - 1L) / ranks;
        long fitting = params.maxStripRows(tuning.haloDepth());
        if (stripRows > fitting) {
            long ranksNeeded = (params.nrows() + Math.max(1, fitting) - 1) / Math.max(1, fitting);
            int mostRows = Diff2dParams.mostRowsFitting(ranks, tuning.haloDepth());
            throw resolved.rejected("dx", "dx >= (x2 - x1) / " + mostRows + " = " + (params.x2() - params.x1()) / mostRows
                    + " at -np " + ranks + " (a rank's strip of " + stripRows + " rows must fit one Java array), or at least "
                    + ranksNeeded + " ranks for nrows = " + params.nrows());
        }
        params.checkSnapshots(resolved, start.step());
        Checkpoints checkpoints = Checkpoints.from(resolved, params);
        FieldFormats formats = FieldFormats.from(resolved);
        return jvm -> {
            tuning.checkThreads(resolved, jvm, System.getenv());
            Diff2dMemory.check(resolved, params, tuning, formats, ranks, jvm);
            Decomposition rows = new Decomposition("row", params.nrows());
            return new Job() {
                @Override
                public Decomposition decomposition() {
                    return rows;
                }

                @Override
                public void checkInput(Communicator communicator) {
                    start.verify(communicator, rows.blocks(communicator.size()));
                }

                @Override
                public Map<String, Object> run(RunContext context) {
                    return Diff2d.run(context, params, tuning, formats, start, checkpoints);
                }
            };
        };
    }

    @Override
    public void startWarmUp(ParameterSource source) {
        JitWarmUp.startStencil(KernelChoice.from(source), Diff2dParams.from(source).ncols());
    }
}
