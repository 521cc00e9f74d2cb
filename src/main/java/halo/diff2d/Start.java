package halo.diff2d;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
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
import halo.parallel.Agreement;
import halo.parallel.BlockPartition;
import halo.parallel.Communicator;

/**
 * Where a diff2d run starts: the course's tent at step 0, or, with {@code --restart DIR}, the
 * step, simulated time and field of DIR's checkpoint, from which the run goes on bit for bit
 * as the interrupted one would have, at any rank count.
 *
 * <p>A restart takes its parameters from the checkpoint. The conf file and options may change
 * how far it runs and what it writes (runtime, outtime, graphics, checkpoint-every), not the
 * field it computes (D, x1, x2, dx). It writes into a new run directory, as every run does.
 *
 * <p>No rank reads the whole checkpoint, at any rank count. While the run is planned
 * ({@link #from}, {@link #check}: in the launcher's pre-flight and in each rank, before the ranks
 * can talk) every rank reads its head alone: that it is a checkpoint of this format and length,
 * with a step and simtime its own parameters allow and a field of the size they give. Then,
 * once the ranks can talk and before any run directory exists, {@link #verify}: each rank reads
 * its own rows, for their CRC-32 and finite values, and rank 0 judges the whole file from the
 * ranks' parts, so a damaged checkpoint is a one-line error that leaves nothing behind. At the
 * start of the run each rank reads its rows again into its strip ({@link #fill}), and they
 * must be the rows it checked.
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
    /** "--restart DIR: ", as errors about the checkpoint begin. */
    private final String label;
    /** What {@link #verify} found in this rank's rows: null until then. */
    private Checkpoint.Rows checkedRows;

    private Start(Checkpoint checkpoint, String label) {
        this.checkpoint = checkpoint;
        this.label = label;
    }

    /**
     * The start the {@code restart} parameter asks for; of its checkpoint only the head is read
     * and checked, the rows are {@link #verify}'s.
     */
    public static Start from(ParameterSource source) {
        String restart = source.text("restart");
        if (restart.isEmpty()) {
            return new Start(null, null);
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
            return new Start(Checkpoint.open(file), label);
        } catch (IOException e) {
            throw refused(label, e.getMessage());
        }
    }

    /**
     * Collective, on every rank once the ranks can talk and before the run directory exists:
     * each rank reads and checks only its own rows of the checkpoint ({@code rows}: the run's
     * split of the grid), and rank 0 judges the whole file from every rank's CRC and first
     * value that is not finite, in rank order ({@link Checkpoint#verify}).
     *
     * @throws ParameterException on every rank when a rank cannot read its rows or the file is
     *                            damaged, in rank 0's words (which a rank failing to read gave it)
     */
    public void verify(Communicator communicator, BlockPartition rows) {
        if (checkpoint == null) {
            return;
        }
        int rank = communicator.rank();
        Checkpoint.Rows[] mine = new Checkpoint.Rows[1];
        try {
            Agreement.onEveryRank(communicator,
                    () -> mine[0] = checkpoint.checkRows((int) rows.start(rank), (int) rows.count(rank)), () -> { });
            long[][] parts = communicator.gatherToRoot(words(mine[0]));
            Agreement.onEveryRank(communicator, () -> {
                if (communicator.isRoot()) {
                    checkpoint.verify(Arrays.stream(parts).map(Start::rows).toList());
                }
            }, () -> { });
        } catch (IOException | Agreement.FailedOnAnotherRank e) {
            throw refused(label, e.getMessage()); // on every rank: bad input, which rank 0 reports once
        }
        checkedRows = mine[0];
    }

    /** A rank's {@link Checkpoint.Rows} as longs, to gather on rank 0 exactly. */
    private static long[] words(Checkpoint.Rows rows) {
        return new long[] {rows.firstRow(), rows.count(), rows.crc(), rows.firstNonFinite(),
                Double.doubleToRawLongBits(rows.nonFiniteValue())};
    }

    private static Checkpoint.Rows rows(long[] words) {
        return new Checkpoint.Rows((int) words[0], (int) words[1], words[2], words[3],
                Double.longBitsToDouble(words[4]));
    }

    private static ParameterException refused(String label, String what) {
        return new ParameterException(label + what + "; " + ACCEPTED);
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

    /**
     * Sets this rank's strip of the field: the tent, or its rows of the checkpoint, which must be
     * those {@link #verify} checked (the same rows, the same CRC-32).
     */
    public void fill(Field field, Diff2dParams params) {
        if (checkpoint == null) {
            InitialDensity.fill(field, params.x1(), params.x2(), params.nrows());
            return;
        }
        if (checkedRows == null) {
            throw new IllegalStateException("the rows of " + checkpoint.file() + " are read before they were checked");
        }
        try {
            Checkpoint.Rows read = checkpoint.readRows(field.firstRow(), field.rows(), field.current(),
                    field.rowStart(field.firstInteriorRow()) + 1, field.stride());
            if (!read.equals(checkedRows)) {
                throw new IOException(Quote.path(checkpoint.file()) + " changed after it was checked: rows "
                        + read.firstRow() + " to " + (read.firstRow() + read.count() - 1) + " are not those checked");
            }
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
