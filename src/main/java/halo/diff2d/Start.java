package halo.diff2d;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import halo.io.Checkpoint;
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
 * <p>Every rank reads and checks the whole checkpoint (CRC) while the run is prepared, before
 * any run directory exists, so a bad one is a one-line error that leaves nothing behind; then
 * each rank reads only its own rows.
 */
public final class Start {

    /** What determines the field: a restart must keep them. */
    private static final List<String> FIELD_PARAMETERS = List.of("D", "x1", "x2", "dx");
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
        Path directory = Path.of(restart);
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
            return source.over(checkpoint.header().parameters(), "in " + checkpoint.file());
        } catch (ParameterException e) {
            throw new ParameterException(source.describe("restart") + ": " + e.getMessage());
        }
    }

    /** A restart must compute the checkpoint's field, and not have passed its runtime already. */
    public void check(ParameterSource source, Diff2dParams params) {
        if (checkpoint == null) {
            return;
        }
        Checkpoint.Header saved = checkpoint.header();
        for (String name : FIELD_PARAMETERS) {
            String savedText = saved.parameters().get(name);
            if (savedText == null) {
                throw new ParameterException(source.describe("restart") + ": " + checkpoint.file() + " has no "
                        + name + "; " + ACCEPTED);
            }
            if (Double.compare(source.finiteDouble(name), Double.parseDouble(savedText)) != 0) {
                throw source.rejected(name, name + " = " + savedText + " as in " + checkpoint.file()
                        + " (a restart continues the same field), or leave " + name + " out");
            }
        }
        if (saved.rows() != params.nrows() || saved.cols() != params.ncols()) {
            throw new ParameterException(source.describe("restart") + ": " + checkpoint.file() + " holds a "
                    + saved.rows() + "x" + saved.cols() + " field, its parameters give " + params.nrows() + "x"
                    + params.ncols() + "; " + ACCEPTED);
        }
        if (params.nsteps() < saved.step()) {
            throw source.rejected("runtime", "runtime >= " + saved.simtime() + ", the simulated time "
                    + checkpoint.file() + " reached (step " + saved.step() + ")");
        }
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
