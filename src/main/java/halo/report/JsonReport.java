package halo.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import halo.io.JsonValue;
import halo.timing.JsonRecordFile;
import halo.timing.Phase;

/** The report as one JSON document, for tools: what the text report shows, unrounded. */
final class JsonReport {

    private JsonReport() {}

    static String of(List<RunData> runs, Optional<Scaling> scaling) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("schema", JsonRecordFile.SCHEMA);
        List<Object> runList = new ArrayList<>();
        for (RunData run : runs) {
            runList.add(run(run));
        }
        report.put("runs", runList);
        report.put("scaling", scaling.map(JsonReport::scaling).orElse(null));
        return write(report);
    }

    private static Map<String, Object> run(RunData run) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("directory", run.name());
        map.put("completed", run.completed);
        map.put("status", run.status());
        map.put("partial", run.partial());
        map.put("unreadable", run.unreadable);
        map.put("app", run.app);
        map.put("ranks", run.ranks);
        map.put("device", run.device);
        map.put("hosts", new ArrayList<>(run.hosts()));
        map.put("jvm_shared_by_ranks", run.jvmSharedByRanks());
        map.put("problem", run.completed ? run.problem() : null);
        map.put("parameters", run.parameters());
        map.put("steps", run.completed ? run.steps() : null);
        map.put("wall_seconds", run.wallSeconds());
        map.put("loop_seconds", run.loopSeconds());
        map.put("startup_seconds", TextReport.startup(run));
        map.put("cell_updates_per_second", TextReport.cellUpdatesPerSecond(run));
        Map<String, Object> phases = new LinkedHashMap<>();
        for (Phase phase : Phase.values()) {
            PhaseStats stats = PhaseStats.of(run, phase.key());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("mean", stats.mean());
            entry.put("max", stats.max());
            entry.put("imbalance", stats.imbalance());
            entry.put("slowest_rank", stats.slowestRank() >= 0 ? stats.slowestRank() : null);
            entry.put("slowest_host", stats.slowestHost());
            phases.put(phase.key(), entry);
        }
        map.put("phases", phases);
        List<Object> ranks = new ArrayList<>();
        for (RankData rank : run.rankData) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rank", rank.rank);
            row.put("host", rank.host);
            row.put("pid", rank.pid >= 0 ? rank.pid : null);
            row.putAll(rank.part);
            row.put("phase_seconds", rank.phaseSeconds);
            row.put("phases_complete", rank.phasesFinal);
            row.put("wall_seconds", rank.wallSeconds);
            row.put("cell_updates", rank.cellUpdates);
            row.put("peak_heap_mib", rank.peakHeapMib);
            row.put("exchange", rank.exchange.isEmpty() ? null : withoutEvent(rank.exchange));
            row.put("last_output_step", rank.lastStep >= 0 ? rank.lastStep : null);
            row.put("error", rank.error);
            List<Object> intervals = new ArrayList<>();
            for (RankData.Interval interval : rank.intervals) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("from_step", interval.fromStep());
                entry.put("to_step", interval.toStep());
                entry.put("wall_seconds", interval.wallSeconds());
                entry.put("phase_seconds", interval.phaseSeconds());
                intervals.add(entry);
            }
            row.put("intervals", intervals);
            ranks.add(row);
        }
        map.put("per_rank", ranks);
        return map;
    }

    private static Map<String, Object> withoutEvent(Map<String, Object> record) {
        Map<String, Object> copy = new LinkedHashMap<>(record);
        copy.remove("event");
        return copy;
    }

    private static Map<String, Object> scaling(Scaling study) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kind", study.kind().name().toLowerCase());
        map.put("problem", study.problem());
        map.put("time", "the slowest rank's time loop (compute, halo exchange, reduction, I/O)");
        map.put("tuning_differences", study.tuningDifferences());
        List<Object> rows = new ArrayList<>();
        for (Scaling.Row row : study.rows()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("ranks", row.ranks());
            entry.put("runs", row.runs());
            entry.put("wall_seconds", row.wallSeconds());
            entry.put("loop_seconds", row.loopSeconds());
            entry.put(study.kind() == Scaling.Kind.STRONG ? "speedup" : "scaled_speedup", row.speedup());
            entry.put(study.kind() == Scaling.Kind.STRONG ? "ideal_speedup" : "ideal_efficiency", row.ideal());
            entry.put("efficiency", row.efficiency());
            rows.add(entry);
        }
        map.put("rows", rows);
        return map;
    }

    /** Pretty-printed JSON; a number that is not finite (not measured) as null. */
    static String write(Object tree) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.useDefaultPrettyPrinter();
            JsonValue.write(json, tree, JsonValue.Strictness.LENIENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text + System.lineSeparator();
    }

}
