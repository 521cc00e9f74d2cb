package halo.report;

import java.util.ArrayList;
import java.util.List;

import halo.timing.Phase;

/**
 * One CSV row per rank of every run, for spreadsheets and scripts: the run's identity, the
 * rank's host and pid, its phase seconds, wall, cell updates and halo exchange totals. Empty
 * where not recorded; numbers unrounded.
 */
final class CsvReport {

    private static final String[] EXCHANGE = {"messages_sent", "messages_received", "bytes_sent", "bytes_received",
        "blocking_seconds", "post_seconds", "wait_seconds"};

    private CsvReport() {}

    static String of(List<RunData> runs) {
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("directory", "app", "completed", "ranks", "device", "rank", "host", "pid"));
        for (Phase phase : Phase.values()) {
            header.add(phase.key() + "_seconds");
        }
        header.addAll(List.of("wall_seconds", "cell_updates", "peak_heap_mib"));
        for (String key : EXCHANGE) {
            header.add("halo_" + key);
        }
        out.append(String.join(",", header)).append('\n');
        for (RunData run : runs) {
            for (RankData rank : run.rankData) {
                List<String> row = new ArrayList<>(List.of(quote(run.name()), text(run.app), Boolean.toString(run.completed),
                        Integer.toString(run.ranks), text(run.device), Integer.toString(rank.rank), quote(text(rank.host)),
                        rank.pid >= 0 ? Long.toString(rank.pid) : ""));
                for (Phase phase : Phase.values()) {
                    row.add(number(rank.seconds(phase.key())));
                }
                row.add(number(rank.wallSeconds));
                row.add(number(rank.cellUpdates));
                row.add(number(rank.peakHeapMib));
                for (String key : EXCHANGE) {
                    row.add(number(JsonTree.number(rank.exchange, key)));
                }
                out.append(String.join(",", row)).append('\n');
            }
        }
        return out.toString();
    }

    private static String number(double value) {
        if (!Double.isFinite(value)) {
            return "";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    /** A field as RFC 4180 has it: quoted when it holds a comma, quote or line break. */
    private static String quote(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
