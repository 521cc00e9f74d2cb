package halo.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import halo.timing.Numbers;
import halo.timing.Phase;

/** The report for people: per run a header, the per-rank phase table, imbalance, exchanges; then scaling. */
final class TextReport {

    private static final String NL = System.lineSeparator();

    private TextReport() {}

    static String of(List<RunData> runs, Optional<Scaling> scaling) {
        StringBuilder out = new StringBuilder();
        for (RunData run : runs) {
            run(out, run);
            out.append(NL);
        }
        scaling.ifPresent(study -> scaling(out, study));
        return out.toString();
    }

    private static void run(StringBuilder out, RunData run) {
        out.append("Run ").append(run.name()).append(": ").append(run.status()).append(NL);
        if (run.partial()) {
            out.append("  PARTIAL REPORT:").append(NL);
            for (String what : run.unreadable) {
                out.append("    ").append(what).append(NL);
            }
        }
        int shared = run.jvmSharedByRanks();
        out.append("  ").append(run.app).append(", ").append(run.ranks).append(run.ranks == 1 ? " rank" : " ranks")
                .append(", device ").append(run.device)
                .append(shared > 1 ? " (the ranks are threads of one JVM: host, pid, clock and heap are shared)" : "")
                .append(NL);
        out.append("  hosts: ").append(String.join(", ", run.hosts())).append(NL);
        out.append("  problem: ").append(run.problem()).append(NL);
        if (run.completed) {
            out.append("  parameters: ").append(keyValues(run.parameters())).append(NL);
            out.append("  wall ").append(seconds(run.wallSeconds())).append(" s (slowest rank), time loop ")
                    .append(seconds(run.loopSeconds())).append(" s").append(NL);
        } else {
            out.append("  time loop ").append(seconds(run.loopSeconds())).append(" s up to the last output").append(NL);
        }
        Map<String, Object> startup = startup(run);
        if (!startup.isEmpty()) {
            out.append("  start-up (rank 0): ").append(keyValuesSeconds(startup)).append(NL);
        }
        double rate = cellUpdatesPerSecond(run);
        if (Double.isFinite(rate)) {
            out.append(run.rankData.stream().anyMatch(r -> r.part.containsKey("samples"))
                            ? "  samples per second: " : "  cell updates per second: ").append(Numbers.significant(rate, 4))
                    .append(" (all ranks' updates / slowest rank's time loop)").append(NL);
        }
        String heap = peakHeap(run);
        if (!heap.isEmpty()) {
            out.append("  peak heap: ").append(heap).append(NL);
        }
        out.append(NL);
        phaseTable(out, run);
        exchangeTable(out, run);
    }

    private static void phaseTable(StringBuilder out, RunData run) {
        int hostWidth = Math.max(4, run.hosts().stream().mapToInt(String::length).max().orElse(4));
        out.append(Numbers.right("rank", 6)).append("  ").append(pad("host", hostWidth));
        for (Phase phase : Phase.values()) {
            out.append(Numbers.right(phase.label(), 14));
        }
        out.append(Numbers.right("wall", 12)).append(NL);
        for (RankData rank : run.rankData) {
            out.append(Numbers.right(Integer.toString(rank.rank), 6)).append("  ")
                    .append(pad(rank.host != null ? rank.host : "?", hostWidth));
            for (Phase phase : Phase.values()) {
                out.append(Numbers.right(seconds(rank.seconds(phase.key())), 14));
            }
            out.append(Numbers.right(seconds(rank.wallSeconds), 12));
            if (!rank.phasesFinal) {
                out.append("  (up to step ").append(rank.lastStep).append(", from its intervals)");
            }
            out.append(NL);
        }
        if (run.rankData.size() > 1) {
            out.append(Numbers.right("max/mean", 8 + hostWidth));
            for (Phase phase : Phase.values()) {
                out.append(Numbers.right(ratio(PhaseStats.of(run, phase.key()).imbalance()), 14));
            }
            out.append(NL).append(Numbers.right("slowest", 8 + hostWidth));
            for (Phase phase : Phase.values()) {
                PhaseStats stats = PhaseStats.of(run, phase.key());
                out.append(Numbers.right(stats.slowestRank() < 0 ? "-" : "rank " + stats.slowestRank(), 14));
            }
            out.append(NL);
        }
        out.append(NL);
    }

    private static void exchangeTable(StringBuilder out, RunData run) {
        if (run.rankData.stream().allMatch(r -> !(JsonTree.number(r.exchange, "messages_sent") > 0))) {
            return; // no exchange, or one rank alone: nothing was sent
        }
        out.append("  halo exchange:").append(NL);
        out.append(Numbers.right("rank", 6)).append(Numbers.right("exchanges", 11)).append(Numbers.right("messages", 10))
                .append(Numbers.right("MiB sent", 10)).append(Numbers.right("blocking s", 12))
                .append(Numbers.right("post s", 10)).append(Numbers.right("wait s", 10)).append(NL);
        for (RankData rank : run.rankData) {
            if (rank.exchange.isEmpty()) {
                continue;
            }
            Map<String, Object> x = rank.exchange;
            out.append(Numbers.right(Integer.toString(rank.rank), 6))
                    .append(Numbers.right(count(JsonTree.number(x, "exchanges")), 11))
                    .append(Numbers.right(count(JsonTree.number(x, "messages_sent") + JsonTree.number(x, "messages_received")), 10))
                    .append(Numbers.right(Numbers.fixed(JsonTree.number(x, "bytes_sent") / (1 << 20), 2, 0), 10))
                    .append(Numbers.right(seconds(JsonTree.number(x, "blocking_seconds")), 12))
                    .append(Numbers.right(seconds(JsonTree.number(x, "post_seconds")), 10))
                    .append(Numbers.right(seconds(JsonTree.number(x, "wait_seconds")), 10)).append(NL);
        }
        out.append("  (blocking: Sendrecv, waiting and copying together; with --overlap, post: sending rows,"
                + " wait: waiting for the neighbours' rows)").append(NL).append(NL);
    }

    private static void scaling(StringBuilder out, Scaling study) {
        boolean strong = study.kind() == Scaling.Kind.STRONG;
        out.append(strong ? "Strong scaling: " : "Weak scaling: ").append(study.problem()).append(NL);
        out.append("  (time: the slowest rank's time loop; against ").append(study.rows().get(0).ranks())
                .append(study.rows().get(0).ranks() == 1 ? " rank" : " ranks").append(")").append(NL);
        for (String difference : study.tuningDifferences()) {
            out.append("  tuning differs, ").append(difference).append(NL);
        }
        out.append(Numbers.right("ranks", 6)).append(Numbers.right("runs", 6)).append(Numbers.right("wall s", 10))
                .append(Numbers.right("loop s", 10)).append(Numbers.right(strong ? "speedup" : "scaled speedup", strong ? 10 : 16))
                .append(Numbers.right(strong ? "ideal" : "ideal eff.", 12)).append(Numbers.right("efficiency", 12)).append(NL);
        for (Scaling.Row row : study.rows()) {
            out.append(Numbers.right(Integer.toString(row.ranks()), 6)).append(Numbers.right(Integer.toString(row.runs()), 6))
                    .append(Numbers.right(seconds(row.wallSeconds()), 10)).append(Numbers.right(seconds(row.loopSeconds()), 10))
                    .append(Numbers.right(ratio(row.speedup()), strong ? 10 : 16)).append(Numbers.right(ratio(row.ideal()), 12))
                    .append(Numbers.right(Numbers.fixed(100 * row.efficiency(), 1, 0) + "%", 12)).append(NL);
        }
    }

    /** The start-up breakdown of summary.json, or, for a run that did not complete, rank 0's startup record. */
    static Map<String, Object> startup(RunData run) {
        Map<String, Object> startup = JsonTree.object(run.summary, "startup_seconds");
        return startup.isEmpty() ? new LinkedHashMap<>() : startup;
    }

    static double cellUpdatesPerSecond(RunData run) {
        double updates = run.rankData.stream().mapToDouble(r -> r.cellUpdates).filter(Double::isFinite).sum();
        double loop = run.loopSeconds();
        return updates > 0 && loop > 0 ? updates / loop : Double.NaN;
    }

    /** Peak heap per JVM: one figure when the ranks share one, else the largest of theirs. */
    static String peakHeap(RunData run) {
        Map<String, Double> byJvm = new LinkedHashMap<>();
        for (RankData rank : run.rankData) {
            if (Double.isFinite(rank.peakHeapMib)) {
                byJvm.merge(rank.host + ":" + rank.pid, rank.peakHeapMib, Math::max);
            }
        }
        if (byJvm.isEmpty()) {
            return "";
        }
        double max = byJvm.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return Numbers.fixed(max, 1, 0) + " MiB" + (byJvm.size() == 1
                ? (run.ranks > 1 ? " (one JVM, all ranks)" : "")
                : " (largest of " + byJvm.size() + " JVMs)");
    }

    private static String keyValues(Map<String, Object> map) {
        List<String> parts = new ArrayList<>();
        map.forEach((key, value) -> parts.add(key + " " + value));
        return String.join(", ", parts);
    }

    private static String keyValuesSeconds(Map<String, Object> map) {
        List<String> parts = new ArrayList<>();
        map.forEach((key, value) -> parts.add(key + " " + seconds(value instanceof Number n ? n.doubleValue() : Double.NaN)));
        return String.join(", ", parts);
    }

    static String seconds(double value) {
        return Double.isFinite(value) ? Numbers.fixed(value, 4, 0) : "-";
    }

    private static String ratio(double value) {
        return Double.isFinite(value) ? Numbers.fixed(value, 2, 0) : "-";
    }

    private static String count(double value) {
        return Double.isFinite(value) ? Long.toString((long) value) : "-";
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
