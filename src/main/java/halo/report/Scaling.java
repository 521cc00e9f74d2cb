package halo.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A scaling study made of completed runs at two or more rank counts. Strong: the same
 * problem (every parameter equal but the tuning options, whose differences are listed) at
 * each rank count; speedup and parallel efficiency
 * against the smallest rank count. Weak: the same cells per rank (within 1%) and the same
 * number of steps, every parameter equal but those that set the size (x1, x2, dx, runtime and
 * with it outtime, ntot); efficiency T(smallest)/T(p), ideally 1. Times are the slowest rank's time loop
 * (compute, halo exchange, reduction, I/O: start-up and set-up are left out, and shown on
 * their own in each run's report); repeats at one rank count count with their fastest run.
 */
record Scaling(Kind kind, String problem, List<Row> rows, List<String> tuningDifferences) {

    enum Kind { STRONG, WEAK }

    /**
     * @param speedup    strong: T(p0)/T(p); weak: scaled speedup (p/p0)·efficiency
     * @param ideal      strong: p/p0; weak: 1 (for efficiency)
     * @param efficiency strong: speedup/(p/p0); weak: T(p0)/T(p)
     */
    record Row(int ranks, int runs, double wallSeconds, double loopSeconds, double speedup, double ideal,
               double efficiency) {}

    private static final double WEAK_CELLS_TOLERANCE = 0.01;

    /** The study these runs make, none when they span fewer than two rank counts. */
    static Optional<Scaling> of(List<RunData> runs) {
        List<RunData> completed = runs.stream().filter(r -> r.completed).toList();
        TreeMap<Integer, List<RunData>> byRanks = new TreeMap<>();
        for (RunData run : completed) {
            byRanks.computeIfAbsent(run.ranks, k -> new ArrayList<>()).add(run);
        }
        if (byRanks.size() < 2) {
            return Optional.empty();
        }
        RunData first = completed.get(0);
        Kind kind;
        if (completed.stream().allMatch(first::sameProblem)) {
            kind = Kind.STRONG;
        } else {
            RunData odd = completed.stream().filter(r -> !weakPartner(first, r)).findFirst().orElse(null);
            if (odd != null) {
                RunData differing = completed.stream().filter(r -> !first.sameProblem(r)).findFirst().orElseThrow();
                throw new ReportException("no scaling table: " + describe(first) + " and " + describe(differing)
                        + " are different problems; a strong-scaling study needs every parameter equal, a weak-scaling"
                        + " one the same cells per rank and steps (only x1, x2, dx, runtime, outtime, ntot differing)");
            }
            kind = Kind.WEAK;
        }
        List<Row> rows = new ArrayList<>();
        Row base = null;
        for (Map.Entry<Integer, List<RunData>> entry : byRanks.entrySet()) {
            RunData best = entry.getValue().stream()
                    .min((a, b) -> Double.compare(a.loopSeconds(), b.loopSeconds())).orElseThrow();
            int p = entry.getKey();
            double loop = best.loopSeconds();
            if (base == null) {
                base = new Row(p, entry.getValue().size(), best.wallSeconds(), loop, 1, 1, 1);
                rows.add(base);
                continue;
            }
            double scale = (double) p / base.ranks();
            double ratio = base.loopSeconds() / loop;
            rows.add(kind == Kind.STRONG
                    ? new Row(p, entry.getValue().size(), best.wallSeconds(), loop, ratio, scale, ratio / scale)
                    : new Row(p, entry.getValue().size(), best.wallSeconds(), loop, ratio * scale, 1, ratio));
        }
        String problem = kind == Kind.STRONG ? first.problem()
                : first.app + " " + format(first.cells() / first.ranks) + " cells per rank, " + (long) first.steps() + " steps";
        return Optional.of(new Scaling(kind, problem, rows, tuningDifferences(completed)));
    }

    /** "halo-depth: 89 at 1 rank, 63 at 4 ranks" for each tuning option that differs between the runs. */
    private static List<String> tuningDifferences(List<RunData> runs) {
        List<String> differences = new ArrayList<>();
        for (String key : new java.util.TreeSet<>(RunData.TUNING_PARAMETERS)) {
            if (runs.stream().map(r -> String.valueOf(r.parameters().get(key))).distinct().count() > 1) {
                differences.add(key + ": " + String.join(", ", runs.stream()
                        .map(r -> r.parameters().get(key) + " at " + r.ranks + (r.ranks == 1 ? " rank" : " ranks"))
                        .toList()));
            }
        }
        return differences;
    }

    private static boolean weakPartner(RunData a, RunData b) {
        double perRankA = a.cells() / a.ranks;
        double perRankB = b.cells() / b.ranks;
        return a.sameOptions(b) && a.steps() == b.steps()
                && Math.abs(perRankA - perRankB) <= WEAK_CELLS_TOLERANCE * perRankA;
    }

    private static String describe(RunData run) {
        return run.name() + " (" + run.problem() + ", " + run.ranks + (run.ranks == 1 ? " rank)" : " ranks)");
    }

    private static String format(double value) {
        return halo.timing.Numbers.significant(value, 6);
    }
}
