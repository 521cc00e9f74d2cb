package halo.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** One run directory as read: its summary (if it completed) and every rank's records. */
final class RunData {

    /**
     * Parameters that set the problem's size, and outtime, which scales with runtime: a
     * weak-scaling study changes these, and only these.
     */
    static final Set<String> SIZE_PARAMETERS = Set.of("x1", "x2", "dx", "runtime", "outtime", "ntot");
    /**
     * Options that change how fast, not what is computed (some chosen per grid when left to
     * auto): runs that differ in them still make one study, and the table says so.
     */
    static final Set<String> TUNING_PARAMETERS = Set.of("halo-depth", "overlap", "threads", "background-io",
            "kernels", "temporal-blocking");

    final Path directory;
    /** summary.json, or empty when the run did not complete. */
    Map<String, Object> summary = Map.of();
    boolean completed;
    String app;
    int ranks;
    String device;
    final List<RankData> rankData = new ArrayList<>();
    /** What could not be read: a non-empty list makes this a partial report. */
    final List<String> unreadable = new ArrayList<>();

    RunData(Path directory) {
        this.directory = directory;
    }

    String name() {
        return directory.toString();
    }

    /** "completed", or why not, from the logs: failed (the error), stopped at a step, or no record of why. */
    String status() {
        if (completed) {
            return "completed";
        }
        for (RankData rank : rankData) {
            if (rank.error != null) {
                return "NOT COMPLETED: rank " + rank.rank + " failed: " + rank.error;
            }
        }
        for (RankData rank : rankData) {
            if (rank.stoppedAtStep >= 0) {
                return "NOT COMPLETED: stopped at step " + rank.stoppedAtStep + " (checkpoint written)";
            }
        }
        long last = rankData.stream().mapToLong(r -> r.lastStep).max().orElse(-1);
        return "NOT COMPLETED: no summary.json; the logs end without an error record (killed or still running?)"
                + (last >= 0 ? ", last output at step " + last : "");
    }

    Map<String, Object> parameters() {
        return JsonTree.object(summary, "parameters");
    }

    /** Cells of the grid (diff2d) or samples (auc); NaN when unknown. */
    double cells() {
        Map<String, Object> derived = JsonTree.object(summary, "derived");
        if (derived.containsKey("nrows")) {
            return JsonTree.number(derived, "nrows") * JsonTree.number(derived, "ncols");
        }
        return JsonTree.number(parameters(), "ntot");
    }

    /** Time steps this run made. */
    double steps() {
        return JsonTree.number(summary, "steps");
    }

    /** Whether this and {@code other} solve the same problem: every parameter but the tuning ones equal. */
    boolean sameProblem(RunData other) {
        return Objects.equals(app, other.app) && parametersWithout(TUNING_PARAMETERS).equals(
                other.parametersWithout(TUNING_PARAMETERS));
    }

    /** Every parameter equal but the tuning ones and those that set the size. */
    boolean sameOptions(RunData other) {
        Set<String> ignored = new HashSet<>(TUNING_PARAMETERS);
        ignored.addAll(SIZE_PARAMETERS);
        return Objects.equals(app, other.app) && parametersWithout(ignored).equals(other.parametersWithout(ignored));
    }

    private Map<String, Object> parametersWithout(Set<String> keys) {
        Map<String, Object> parameters = new HashMap<>(parameters());
        parameters.keySet().removeAll(keys);
        return parameters;
    }

    /** For a run that did not complete, the problem from its start records: "diff2d 199x199 cells, 399 steps planned". */
    private String plannedProblem() {
        double rows = rankData.stream().mapToDouble(r -> JsonTree.number(r.start, "rows")).sum();
        double samples = rankData.stream().mapToDouble(r -> JsonTree.number(r.start, "samples")).sum();
        Map<String, Object> first = rankData.isEmpty() ? Map.of() : rankData.get(0).start;
        if (Double.isFinite(rows) && first.containsKey("cols")) {
            return app + " " + (long) rows + "x" + first.get("cols") + " cells, " + first.get("nsteps") + " steps planned";
        }
        if (Double.isFinite(samples) && samples > 0) {
            return app + " " + (long) samples + " samples";
        }
        return app;
    }

    /** The slowest rank's wall seconds. */
    double wallSeconds() {
        return rankData.stream().mapToDouble(r -> r.wallSeconds).filter(Double::isFinite).max().orElse(Double.NaN);
    }

    /** The slowest rank's time loop (compute, halo exchange, reduction, I/O). */
    double loopSeconds() {
        return rankData.stream().mapToDouble(RankData::loopSeconds).max().orElse(Double.NaN);
    }

    Set<String> hosts() {
        Set<String> hosts = new LinkedHashSet<>();
        for (RankData rank : rankData) {
            if (rank.host != null) {
                hosts.add(rank.host);
            }
        }
        return hosts;
    }

    int jvmSharedByRanks() {
        return rankData.stream().mapToInt(r -> r.jvmSharedByRanks).max().orElse(1);
    }

    boolean partial() {
        return !unreadable.isEmpty();
    }

    /** A short description of the problem: "diff2d 266x266 cells, 707 steps". */
    String problem() {
        if (!completed) {
            return plannedProblem();
        }
        Map<String, Object> derived = JsonTree.object(summary, "derived");
        if (derived.containsKey("nrows")) {
            return app + " " + derived.get("nrows") + "x" + derived.get("ncols") + " cells, " + summary.get("steps") + " steps";
        }
        if (parameters().containsKey("ntot")) {
            return app + " " + parameters().get("ntot") + " samples";
        }
        return app;
    }
}
