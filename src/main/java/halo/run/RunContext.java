package halo.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import halo.io.JsonFile;
import halo.io.RunDirectory;
import halo.params.ParameterException;
import halo.parallel.BlockPartition;
import halo.parallel.Communicator;
import halo.parallel.HaloExchange;
import halo.timing.JsonRecordFile;
import halo.timing.Numbers;
import halo.timing.Phase;
import halo.timing.PhaseTimer;
import halo.timing.RankLog;
import halo.timing.Span;
import halo.timing.TraceRecorder;
import halo.timing.RankProcess;

/**
 * What every rank of one run shares with its driver: the communicator, the run directory,
 * the phase timer and the rank's log; and the end of every run: timings gathered on rank 0,
 * {@code summary.json} (written last, so its presence means the run completed) and the
 * per-rank table on the console. On the way it records what {@code halo report} reads: where
 * each rank ran, its part of the problem, its halo exchanges, and the time of each output
 * interval; with {@code --trace}, the run's {@link Timeline} too.
 */
public final class RunContext {

    private static final String FAILED = "failed:";

    private final Communicator communicator;
    private final String app;
    private final RunDirectory directory;
    private final PhaseTimer timer;
    private final RankLog log;
    private final long startNanos;
    private final Map<String, Object> startup;
    /** Null without --trace. */
    private Timeline timeline;
    private final RankProcess process;
    /** How the problem is shared out among the ranks. */
    private final BlockPartition blocks;
    /** This rank's part of the problem: its first row (or sample) and how many, named by unit. */
    private final Map<String, Object> part;
    private HaloExchange exchange;
    /** Where the current output interval began: phase seconds, wall clock and step then. */
    private double[] intervalPhases;
    private long intervalNanos;
    private long intervalStep;

    private RunContext(Communicator communicator, String app, RunDirectory directory, PhaseTimer timer,
                       RankLog log, long startNanos, Map<String, Object> startup, RankProcess process,
                       BlockPartition blocks, Map<String, Object> part) {
        this.communicator = communicator;
        this.app = app;
        this.directory = directory;
        this.timer = timer;
        this.log = log;
        this.startNanos = startNanos;
        this.startup = startup;
        this.process = process;
        this.blocks = blocks;
        this.part = part;
    }

    /**
     * Rank 0 creates a new run directory (the one asked for with --out, or a fresh one under
     * runs/) and tells every rank where it is, or why it could not: then every rank throws the
     * same {@link ParameterException}. Every rank must see it ({@link SharedDirectory}) before it
     * writes its log there. With {@code trace} (the same on every rank) every rank records its
     * timeline, and its clock is measured against rank 0's. The rank's part of
     * {@code decomposition} goes into its first record.
     */
    public static RunContext open(Communicator communicator, String app, Path requested, Startup start,
                                  boolean trace, Decomposition decomposition) {
        PhaseTimer timer = new PhaseTimer(trace ? new TraceRecorder(TraceRecorder.DEFAULT_CAPACITY) : null);
        long t = timer.now();
        String outcome = null;
        if (communicator.isRoot()) {
            try {
                RunDirectory created = requested != null
                        ? RunDirectory.createNew(requested)
                        : RunDirectory.createDefault(Path.of("runs"), app, System.getenv("SLURM_JOB_ID"));
                outcome = created.path().toString();
            } catch (IOException | RuntimeException e) {
                outcome = FAILED + e.getMessage();
            }
        }
        outcome = communicator.broadcast(outcome, 0);
        if (outcome.startsWith(FAILED)) {
            throw new ParameterException(outcome.substring(FAILED.length()));
        }
        RunDirectory directory = RunDirectory.existing(Path.of(outcome));
        try {
            SharedDirectory.check(communicator, directory); // before any rank writes into it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long logStart = timer.stop(Span.RUN_DIRECTORY, t);
        RankLog log = RankLog.open(directory.logs(), app, communicator.rank(), communicator.size());
        RankProcess process = RankProcess.current();
        BlockPartition blocks = decomposition.blocks(communicator.size());
        String firstKey = "first_" + decomposition.unit();
        String countKey = decomposition.unit() + "s";
        long first = blocks.start(communicator.rank());
        long count = blocks.count(communicator.rank());
        Map<String, Object> part = new LinkedHashMap<>();
        part.put(firstKey, first);
        part.put(countKey, count);
        log.event("startup", "jvm_seconds", start.jvmSeconds(), "options_seconds", start.optionsSeconds(),
                "mpj_init_seconds", start.mpjInitSeconds(), "host", process.host(), "pid", process.pid(),
                "java_vendor", process.javaVendor(), "java_version", process.javaVersion(),
                "processors", process.processors(), "max_heap_mib", process.maxHeapBytes() / (1024.0 * 1024.0),
                "device", communicator.device(), "jvm_shared_by_ranks", jvmSharedByRanks(communicator),
                firstKey, first, countKey, count);
        long end = timer.stop(Span.LOGGING, logStart);
        Map<String, Object> startup = new LinkedHashMap<>();
        startup.put("jvm", start.jvmSeconds());
        startup.put("options", start.optionsSeconds());
        startup.put("mpj_init", start.mpjInitSeconds());
        startup.put("run_directory", (logStart - t) * 1e-9);
        startup.put("logging", (end - logStart) * 1e-9);
        RunContext context = new RunContext(communicator, app, directory, timer, log, start.mainNanos(), startup,
                process, blocks, part);
        if (trace) {
            context.timeline = Timeline.start(communicator, timer, start);
        }
        return context;
    }

    /** How many ranks share this rank's JVM, and with it its host, pid, clock and heap. */
    private static int jvmSharedByRanks(Communicator communicator) {
        return communicator.ranksShareJvm() ? communicator.size() : 1;
    }

    /** How the problem is shared out: this rank's block is {@code blocks().start(rank)} on. */
    public BlockPartition blocks() {
        return blocks;
    }

    /** The halo exchange whose totals go into this rank's records and the summary. */
    public void recordExchanges(HaloExchange halo) {
        this.exchange = halo;
    }

    /**
     * An output at {@code step}: its record, then, from the second output on, a record of the
     * interval since the previous one (wall and per-phase seconds), so that a slowdown in the
     * middle of a run shows.
     */
    public void output(long step, double simtime) {
        log.event("output", "step", step, "simtime", simtime);
        long now = System.nanoTime();
        double[] phases = timer.secondsByPhase();
        if (intervalPhases != null && step > intervalStep) {
            Map<String, Object> interval = new LinkedHashMap<>();
            interval.put("from_step", intervalStep);
            interval.put("to_step", step);
            interval.put("wall_seconds", (now - intervalNanos) * 1e-9);
            for (Phase phase : Phase.values()) {
                if (phase != Phase.SETUP) { // set-up is over before the first output
                    interval.put(phase.key() + "_seconds", phases[phase.ordinal()] - intervalPhases[phase.ordinal()]);
                }
            }
            log.event("interval", interval);
        }
        intervalPhases = phases;
        intervalNanos = now;
        intervalStep = step;
    }

    public Communicator communicator() {
        return communicator;
    }

    public RunDirectory directory() {
        return directory;
    }

    public PhaseTimer timer() {
        return timer;
    }

    public RankLog log() {
        return log;
    }

    /** A line on the console, from rank 0 only. */
    public void say(String line) {
        if (communicator.isRoot()) {
            System.out.println(line);
        }
    }

    /**
     * Ends the run on every rank: logs this rank's timings, gathers all ranks' timings on rank
     * 0, which writes summary.json and prints the per-rank table.
     *
     * @param sections    the app's parts of the summary (parameters, derived, result), rank 0's
     * @param steps       time steps (or 1 for a one-shot computation)
     * @param cellUpdates this rank's cell updates (or samples)
     */
    public void finish(Map<String, Object> sections, long steps, double cellUpdates) {
        double wall = (System.nanoTime() - startNanos) * 1e-9;
        Timeline.Written trace = timeline != null ? timeline.write(directory.path(), app) : Timeline.Written.ELSEWHERE;
        Map<String, Object> exchangeTotals = exchangeTotals();
        if (!exchangeTotals.isEmpty()) {
            log.event("exchange", exchangeTotals);
        }
        log.timings(timer, steps, cellUpdates, wall, jvmSharedByRanks(communicator));
        int phases = Phase.values().length;
        double[] mine = new double[phases + 2];
        System.arraycopy(timer.secondsByPhase(), 0, mine, 0, phases);
        mine[phases] = wall;
        mine[phases + 1] = cellUpdates;
        double[] all = communicator.gatherToRoot(mine);
        List<Map<String, Object>> facts = gatherFacts(exchangeTotals);
        if (communicator.isRoot()) {
            Map<String, Object> summary = summary(sections, all, mine.length, steps, facts);
            Map<String, Object> traced = trace.await();
            if (traced != null) {
                summary.put("trace", traced);
            }
            try {
                JsonFile.write(directory.summary(), summary);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.out.print(table(all, mine.length));
            System.out.println("Run directory: " + directory.path());
        }
        log.event("end", "status", "completed", "end_seconds", (System.nanoTime() - startNanos) * 1e-9 - wall);
        log.close();
    }

    /** This rank's halo exchange totals as record values (none without an exchange). */
    private Map<String, Object> exchangeTotals() {
        Map<String, Object> values = new LinkedHashMap<>();
        if (exchange != null) {
            HaloExchange.Totals totals = exchange.totals();
            values.put("exchanges", totals.exchanges());
            values.put("messages_sent", totals.messagesSent());
            values.put("messages_received", totals.messagesReceived());
            values.put("bytes_sent", totals.bytesSent());
            values.put("bytes_received", totals.bytesReceived());
            values.put("blocking_seconds", totals.blockingSeconds());
            values.put("post_seconds", totals.postSeconds());
            values.put("wait_seconds", totals.waitSeconds());
        }
        return values;
    }

    /**
     * Every rank's host, pid, part, halo exchange totals and peak heap, on rank 0 (null
     * elsewhere), as the summary's per-rank values. Numbers travel as doubles (exact for
     * counts below 2^53) in rank 0's key order, host names as bytes.
     */
    private List<Map<String, Object>> gatherFacts(Map<String, Object> exchangeTotals) {
        Map<String, Object> mine = new LinkedHashMap<>();
        mine.put("pid", process.pid());
        mine.putAll(part);
        exchangeTotals.forEach((key, value) -> mine.put("halo_" + key, value));
        mine.put("peak_heap_mib", RankLog.peakHeapBytes() / (1024.0 * 1024.0));
        double[] numbers = mine.values().stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        double[] allNumbers = communicator.gatherToRoot(numbers);
        List<String> hosts = gatherText(process.host());
        if (!communicator.isRoot()) {
            return null;
        }
        List<Map<String, Object>> facts = new ArrayList<>();
        for (int r = 0; r < communicator.size(); r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("host", hosts.get(r));
            int i = 0;
            for (Map.Entry<String, Object> entry : mine.entrySet()) {
                double value = allNumbers[r * numbers.length + i++];
                row.put(entry.getKey(), entry.getValue() instanceof Double ? (Object) value : (Object) (long) value);
            }
            facts.add(row);
        }
        return facts;
    }

    /** Every rank's {@code text} on rank 0, in rank order (null elsewhere). */
    private List<String> gatherText(String text) {
        byte[][] all = communicator.gatherToRoot(text.getBytes(StandardCharsets.UTF_8));
        if (all == null) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (byte[] rankBytes : all) {
            texts.add(new String(rankBytes, StandardCharsets.UTF_8));
        }
        return texts;
    }

    private Map<String, Object> summary(Map<String, Object> sections, double[] all, int perRank, long steps,
                                        List<Map<String, Object>> facts) {
        int size = communicator.size();
        int phases = Phase.values().length;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("schema", JsonRecordFile.SCHEMA);
        summary.put("app", app);
        summary.put("halo_version", Version.get());
        summary.put("status", "completed");
        summary.put("ranks", size);
        summary.put("device", communicator.device());
        summary.put("jvm_shared_by_ranks", jvmSharedByRanks(communicator));
        summary.putAll(sections);
        summary.put("steps", steps);
        summary.put("wall_seconds", all[phases]);
        summary.put("startup_seconds", startup);
        Map<String, Object> phaseStats = new LinkedHashMap<>();
        for (Phase phase : Phase.values()) {
            phaseStats.put(phase.key(), stats(all, perRank, phase.ordinal(), size));
        }
        phaseStats.put("wall", stats(all, perRank, phases, size));
        summary.put("phase_seconds", phaseStats);
        List<Map<String, Object>> perRankRows = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rank", r);
            row.putAll(facts.get(r));
            for (Phase phase : Phase.values()) {
                row.put(phase.key(), all[r * perRank + phase.ordinal()]);
            }
            row.put("wall", all[r * perRank + phases]);
            row.put("cell_updates", all[r * perRank + phases + 1]);
            perRankRows.add(row);
        }
        summary.put("per_rank", perRankRows);
        return summary;
    }

    private static Map<String, Object> stats(double[] all, int perRank, int column, int size) {
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        for (int r = 0; r < size; r++) {
            double v = all[r * perRank + column];
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("min", min);
        stats.put("mean", sum / size);
        stats.put("max", max);
        return stats;
    }

    private static String table(double[] all, int perRank) {
        StringBuilder out = new StringBuilder();
        out.append(Numbers.right("rank", 5));
        for (Phase phase : Phase.values()) {
            out.append(' ').append(Numbers.right(phase.label(), 13));
        }
        out.append(' ').append(Numbers.right("wall", 13)).append(System.lineSeparator());
        int columns = Phase.values().length + 1;
        for (int r = 0; r < all.length / perRank; r++) {
            out.append(Numbers.right(Integer.toString(r), 5));
            for (int c = 0; c < columns; c++) {
                out.append(' ').append(Numbers.fixed(all[r * perRank + c], 4, 12)).append('s');
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }
}
