package halo.diff2d;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import halo.io.Checkpoint;
import halo.io.Quote;
import halo.io.RunDirectory;
import halo.kernel.Field;
import halo.kernel.InitialDensity;
import halo.params.Diff2dParams;
import halo.params.ParameterException;
import halo.params.ParameterSource;

/**
 * Where a diff2d run starts: the course's tent at step 0, or, with {@code --restart DIR}, the
 * step, simulated time and field of DIR's checkpoint, from which the run goes on bit for bit
 * as the interrupted one would have, at any rank count.
 *
 * <p>A restart takes its parameters from the checkpoint. The conf file and options may change
 * how far it runs and what it writes (runtime, outtime, graphics, checkpoint-every), not the
 * field it computes (D, x1, x2, dx). It writes into a new run directory, as every run does.
 *
 * <p>Every rank reads and checks the whole checkpoint (CRC, and that its content is possible:
 * finite values, a step and simtime its own parameters allow, a field of the size they give)
 * while the run is planned, before any run directory exists, so a bad one is a one-line error
 * that leaves nothing behind; then each rank reads only its own rows.
 */
public final class Start {

    /** What determines the field: a restart must keep them. */
    private static final List<String> FIELD_PARAMETERS = List.of("D", "x1", "x2", "dx");
    /** How far a checkpoint's simtime may be from step*dt: rounding, over up to billions of steps. */
    private static final double SIMTIME_TOLERANCE = 1e-6;
    private static final String ACCEPTED =
            "accepted: a diff2d run directory with an intact checkpoint.bin (written with --checkpoint-every)";

    /** Null: the initial density. */
    private final Checkpoint checkpoint;

    private Start(Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    /** The start the {@code restart} parameter asks for; its checkpoint is read and checked whole. */
    public static Start from(ParameterSource source) {
        String restart = source.text("restart");
        if (restart.isEmpty()) {
            return new Start(null);
        }
        Path directory;
        try {
            directory = Path.of(restart);
        } catch (InvalidPathException e) {
            throw new ParameterException(source.describe("restart") + ": not a path; " + ACCEPTED);
        }
        Path file = RunDirectory.existing(directory).checkpoint();
        String label = source.describe("restart") + ": ";
        if (!Files.isDirectory(directory)) {
            throw new ParameterException(label + (Files.exists(directory) ? "not a directory; " : "no such directory; ")
                    + ACCEPTED);
        }
        if (!Files.exists(file)) {
            throw new ParameterException(label + "no checkpoint.bin in it; " + ACCEPTED);
        }
        try {
            return new Start(Checkpoint.read(file));
        } catch (IOException e) {
            throw new ParameterException(label + e.getMessage() + "; " + ACCEPTED);
        }
    }

    /** The run's parameters: the checkpoint's, under the conf file and options. */
    public ParameterSource parameters(ParameterSource source) {
        if (checkpoint == null) {
            return source;
        }
        try {
            return source.over(checkpoint.header().parameters(), "in " + Quote.path(checkpoint.file()));
        } catch (ParameterException e) {
            throw new ParameterException(source.describe("restart") + ": " + e.getMessage());
        }
    }

    /**
     * A restart must start from a checkpoint whose content its own parameters allow, compute the
     * checkpoint's field, and not have passed its runtime already.
     */
    public void check(ParameterSource source, Diff2dParams params) {
        if (checkpoint == null) {
            return;
        }
        Checkpoint.Header saved = checkpoint.header();
        String file = Quote.path(checkpoint.file());
        Diff2dParams own = ownParameters(source);
        for (String name : FIELD_PARAMETERS) {
            String savedText = saved.parameters().get(name);
            if (savedText == null) {
                throw new ParameterException(source.describe("restart") + ": " + file + " has no " + name + "; "
                        + ACCEPTED);
            }
            if (Double.compare(source.finiteDouble(name), savedValue(own, name)) != 0) {
                throw source.rejected(name, name + " = " + Quote.input(savedText) + " as in " + file
                        + " (a restart continues the same field), or leave " + name + " out");
            }
        }
        if (saved.rows() != own.nrows() || saved.cols() != own.ncols()) {
            throw new ParameterException(source.describe("restart") + ": " + file + " holds a " + saved.rows() + "x"
                    + saved.cols() + " field, its parameters give " + own.nrows() + "x" + own.ncols() + "; " + ACCEPTED);
        }
        if (saved.step() > own.nsteps()) {
            throw new ParameterException(source.describe("restart") + ": " + file + ": impossible content: step "
                    + saved.step() + ", beyond the " + own.nsteps() + " steps of its own runtime " + own.runtime()
                    + "; " + ACCEPTED);
        }
        // simtime is dt added step times: it may differ from step*dt by rounding, never by more
        double expected = saved.step() * own.dt();
        if (Math.abs(saved.simtime() - expected) > SIMTIME_TOLERANCE * Math.max(expected, own.dt())) {
            throw new ParameterException(source.describe("restart") + ": " + file + ": impossible content: simtime "
                    + saved.simtime() + " at step " + saved.step() + ", where step*dt = " + expected + "; " + ACCEPTED);
        }
        if (params.nsteps() < saved.step()) {
            throw source.rejected("runtime", "runtime >= " + saved.simtime() + ", the simulated time "
                    + file + " reached (step " + saved.step() + ")");
        }
    }

    /** The checkpoint's parameters alone, over the defaults: what its run computed, checked as options are. */
    private Diff2dParams ownParameters(ParameterSource source) {
        try {
            return Diff2dParams.from(ParameterSource.load("diff2d", null, Map.of())
                    .over(checkpoint.header().parameters(), "in " + Quote.path(checkpoint.file())));
        } catch (ParameterException e) {
            throw new ParameterException(source.describe("restart") + ": " + e.getMessage() + "; " + ACCEPTED);
        }
    }

    private static double savedValue(Diff2dParams own, String name) {
        return switch (name) {
            case "D" -> own.D();
            case "x1" -> own.x1();
            case "x2" -> own.x2();
            case "dx" -> own.dxRequested();
            default -> throw new IllegalArgumentException(name);
        };
    }

    public boolean isRestart() {
        return checkpoint != null;
    }

    /** Time steps already done: 0, or the checkpoint's. */
    public long step() {
        return checkpoint == null ? 0 : checkpoint.header().step();
    }

    /** Simulated time reached: 0, or the checkpoint's, bit for bit. */
    public double simtime() {
        return checkpoint == null ? 0.0 : checkpoint.header().simtime();
    }

    /** Sets this rank's strip of the field: the tent, or its rows of the checkpoint. */
    public void fill(Field field, Diff2dParams params) {
        if (checkpoint == null) {
            InitialDensity.fill(field, params.x1(), params.x2(), params.nrows());
            return;
        }
        try {
            checkpoint.readRows(field.firstRow(), field.rows(), field.current(), field.rowStart(field.firstInteriorRow()) + 1,
                    field.stride());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For summary.json: the checkpoint this run resumed from, or null. */
    public Map<String, Object> summary() {
        if (checkpoint == null) {
            return null;
        }
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("checkpoint", checkpoint.file().toString());
        from.put("step", step());
        from.put("simtime", simtime());
        return from;
    }

    @Override
    public String toString() {
        return checkpoint == null ? "the initial density"
                : checkpoint.file() + " at step " + step() + ", simtime " + simtime();
    }
}
