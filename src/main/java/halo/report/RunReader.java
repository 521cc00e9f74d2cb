package halo.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import halo.timing.JsonRecordFile;
import halo.timing.Phase;

/**
 * Reads a run directory: {@code summary.json} when the run completed, and every rank's
 * {@code logs/rank-N.json} (schema in docs/report.md). A line that is not a whole JSON record
 * (a rank killed mid-write, a damaged file) ends what is read of that rank, and the run is
 * marked partial; a directory that is no run directory is one {@link ReportException}.
 */
final class RunReader {

    private static final Pattern RANK_FILE = Pattern.compile("rank-(\\d+)\\.json");
    /** The first line of a stack trace: the exception's class name, then its message. */
    private static final Pattern EXCEPTION = Pattern.compile("^[\\w$.]+(Exception|Error)(: (.*))?$");

    private RunReader() {}

    static RunData read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new ReportException(directory + ": no such directory");
        }
        Path summaryFile = directory.resolve("summary.json");
        Map<Integer, Path> rankFiles = rankFiles(directory.resolve("logs"));
        if (!Files.exists(summaryFile) && rankFiles.isEmpty()) {
            throw new ReportException(directory + ": not a run directory (no summary.json, no logs/rank-N.json)");
        }
        RunData run = new RunData(directory);
        if (Files.exists(summaryFile)) {
            readSummary(run, summaryFile);
        }
        for (Map.Entry<Integer, Path> file : rankFiles.entrySet()) {
            RankData rank = new RankData(file.getKey());
            readRecords(run, rank, file.getValue());
            run.rankData.add(rank);
        }
        if (run.ranks == 0) {
            run.ranks = run.rankData.size();
        }
        for (int r = 0; r < run.ranks; r++) {
            if (!rankFiles.containsKey(r)) {
                run.unreadable.add("logs/rank-" + r + ".json is missing");
            }
        }
        if (run.completed) {
            takeSummaryRows(run);
        }
        return run;
    }

    private static Map<Integer, Path> rankFiles(Path logs) {
        Map<Integer, Path> files = new TreeMap<>();
        if (!Files.isDirectory(logs)) {
            return files;
        }
        try (Stream<Path> list = Files.list(logs)) {
            list.forEach(file -> {
                Matcher name = RANK_FILE.matcher(file.getFileName().toString());
                if (name.matches()) {
                    files.put(Integer.parseInt(name.group(1)), file);
                }
            });
        } catch (IOException e) {
            throw new ReportException(logs + ": cannot list: " + e.getMessage());
        }
        return files;
    }

    private static void readSummary(RunData run, Path file) {
        try {
            Object tree = JsonTree.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!(tree instanceof Map<?, ?>)) {
                throw new IOException("not a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> summary = (Map<String, Object>) tree;
            checkSchema(file, summary);
            run.summary = summary;
            run.completed = "completed".equals(summary.get("status"));
            run.app = JsonTree.text(summary, "app");
            run.ranks = (int) JsonTree.number(summary, "ranks");
            run.device = JsonTree.text(summary, "device");
        } catch (IOException e) {
            run.unreadable.add("summary.json is not valid JSON (" + firstLine(e) + "); read from the logs only");
        }
    }

    /** The per-rank rows of summary.json: rank 0 gathered them, so they hold even where a log does not. */
    private static void takeSummaryRows(RunData run) {
        for (Object row : JsonTree.list(run.summary, "per_rank")) {
            int r = (int) JsonTree.number(row, "rank");
            RankData rank = run.rankData.stream().filter(d -> d.rank == r).findFirst().orElse(null);
            if (rank == null) {
                rank = new RankData(r);
                run.rankData.add(r < run.rankData.size() ? r : run.rankData.size(), rank);
            }
            for (Phase phase : Phase.values()) {
                double seconds = JsonTree.number(row, phase.key());
                if (Double.isFinite(seconds)) {
                    rank.phaseSeconds.put(phase.key(), seconds);
                }
            }
            rank.phasesFinal = true;
            rank.wallSeconds = JsonTree.number(row, "wall");
            rank.cellUpdates = JsonTree.number(row, "cell_updates");
            if (rank.host == null) {
                rank.host = JsonTree.text(row, "host");
            }
        }
    }

    private static void readRecords(RunData run, RankData rank, Path file) {
        String relative = "logs/" + file.getFileName();
        int lineNumber = 0;
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> record;
                try {
                    Object tree = JsonTree.parse(line);
                    if (!(tree instanceof Map<?, ?>) || !(((Map<?, ?>) tree).get("record") instanceof Map<?, ?>)) {
                        throw new IOException("no record object");
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> parsed = (Map<String, Object>) tree;
                    record = parsed;
                } catch (IOException e) {
                    run.unreadable.add(relative + " line " + lineNumber + " is not a whole JSON record ("
                            + firstLine(e) + "); the rank's records from there on are left out");
                    return;
                }
                checkSchema(file, record);
                if (run.app == null) {
                    run.app = JsonTree.text(record, "app");
                }
                if (run.ranks == 0 && Double.isFinite(JsonTree.number(record, "ranks"))) {
                    run.ranks = (int) JsonTree.number(record, "ranks");
                }
                take(run, rank, JsonTree.object(record, "record"), JsonTree.text(record, "error"));
                rank.records++;
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            run.unreadable.add(relative + " cannot be read past line " + lineNumber + " (" + firstLine(e) + ")");
        }
        if (!rank.phasesFinal) {
            sumIntervals(rank);
        }
    }

    private static void checkSchema(Path file, Map<String, Object> tree) {
        double schema = JsonTree.number(tree, "schema");
        if (schema > JsonRecordFile.SCHEMA) {
            throw new ReportException(file + ": written in record schema " + (long) schema + " by a newer Halo; this"
                    + " report reads schema " + JsonRecordFile.SCHEMA + " and older");
        }
    }

    /** The rank's part of the problem: first_row and rows, or first_sample and samples. */
    private static void takePart(RankData rank, Map<String, Object> record) {
        record.forEach((key, value) -> {
            if (key.startsWith("first_") || key.equals("rows") || key.equals("samples")) {
                rank.part.put(key, value);
            }
        });
    }

    /** @param error the stack trace of an error record, or null */
    private static void take(RunData run, RankData rank, Map<String, Object> record, String error) {
        String event = JsonTree.text(record, "event");
        if (event == null) {
            return;
        }
        switch (event) {
            case "startup" -> {
                rank.host = JsonTree.text(record, "host");
                rank.pid = (long) orMinusOne(JsonTree.number(record, "pid"));
                rank.javaVersion = JsonTree.text(record, "java_version");
                double shared = JsonTree.number(record, "jvm_shared_by_ranks");
                rank.jvmSharedByRanks = Double.isFinite(shared) ? (int) shared : 1;
                if (run.device == null) {
                    run.device = JsonTree.text(record, "device");
                }
                takePart(rank, record);
            }
            case "start" -> {
                rank.start = record;
                takePart(rank, record); // logs of runs whose startup record had no part yet
            }
            case "output" -> rank.lastStep = (long) orMinusOne(JsonTree.number(record, "step"));
            case "interval" -> {
                Map<String, Double> phases = new java.util.LinkedHashMap<>();
                for (Phase phase : Phase.values()) {
                    double seconds = JsonTree.number(record, phase.key() + "_seconds");
                    if (Double.isFinite(seconds)) {
                        phases.put(phase.key(), seconds);
                    }
                }
                rank.intervals.add(new RankData.Interval((long) JsonTree.number(record, "from_step"),
                        (long) JsonTree.number(record, "to_step"), JsonTree.number(record, "wall_seconds"), phases));
            }
            case "phase" -> {
                rank.phaseSeconds.put(JsonTree.text(record, "phase"), JsonTree.number(record, "seconds"));
                rank.phasesFinal = true;
            }
            case "exchange" -> rank.exchange = record;
            case "totals" -> {
                rank.wallSeconds = JsonTree.number(record, "wall_seconds");
                rank.cellUpdates = JsonTree.number(record, "cell_updates");
                rank.peakHeapMib = JsonTree.number(record, "peak_heap_mib");
            }
            case "error" -> rank.error = cause(error, JsonTree.text(record, "message"));
            case "stopped" -> rank.stoppedAtStep = (long) orMinusOne(JsonTree.number(record, "step"));
            case "end" -> rank.ended = true;
            default -> { }
        }
    }

    /** A rank that did not finish has no phase totals: the sum of its intervals stands in. */
    private static void sumIntervals(RankData rank) {
        for (RankData.Interval interval : rank.intervals) {
            interval.phaseSeconds().forEach((phase, seconds) -> {
                if (Double.isFinite(seconds)) {
                    rank.phaseSeconds.merge(phase, seconds, Double::sum);
                }
            });
        }
    }

    /**
     * What failed, from the first line of a stack trace: "java.io.UncheckedIOException: cannot
     * write X: no space left on device" gives "cannot write X: no space left on device".
     */
    private static String cause(String stackTrace, String message) {
        if (stackTrace == null || stackTrace.isBlank()) {
            return message;
        }
        String first = stackTrace.lines().findFirst().orElse("").strip();
        Matcher exception = EXCEPTION.matcher(first);
        while (exception.matches() && exception.group(3) != null) { // wrapped: the innermost says it
            first = exception.group(3);
            exception = EXCEPTION.matcher(first);
        }
        return first;
    }

    private static double orMinusOne(double value) {
        return Double.isFinite(value) ? value : -1;
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return message.lines().findFirst().orElse(message);
    }
}
