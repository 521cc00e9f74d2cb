package halo.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code java -jar halo.jar report [--json | --csv] [--plots DIR] RUN_DIR...}: run directories
 * into tables (and JSON, CSV, PNG charts). Plain Java that reads files: no MPJ, no ranks.
 *
 * <p>Exit status: 0 the report is whole; 1 a partial report (a log line or file that could not
 * be read, said in the report and in one line on stderr) or the charts could not be written;
 * 2 bad input (an unknown option, a directory that is no run directory, runs of different
 * problems at different rank counts), in one line, with no report.
 */
public final class ReportCommand {

    static final int OK = 0;
    static final int PARTIAL = 1;
    static final int BAD_INPUT = 2;

    static final String USAGE = """
            usage: java -jar halo.jar report [--json | --csv] [--plots DIR] RUN_DIR...

            Reads run directories (summary.json, logs/rank-N.json) and prints per run: app,
            ranks, device, hosts, parameters, wall time and start-up, per rank and phase the
            seconds, per phase the imbalance (max/mean) and the slowest rank, halo exchange
            totals, cell updates per second and peak heap. A run that did not complete is
            reported from its logs. Runs of one problem at several rank counts give a
            strong-scaling table; runs with equal cells per rank and steps a weak-scaling one.

              --json       the report as JSON on stdout, for tools
              --csv        one CSV row per rank of every run on stdout, for tools
              --plots DIR  also write PNG charts into DIR (created if missing): per run the
                           phase seconds per rank and the time of each output interval; for a
                           scaling study the speedup and the efficiency against rank count
              --help       show this help
            """;

    private ReportCommand() {}

    /** Runs {@code report} with the arguments after the word "report"; returns the exit status. */
    public static int run(String[] arguments, PrintStream out, PrintStream err) {
        String format = "text";
        Path plots = null;
        List<Path> directories = new ArrayList<>();
        for (int i = 0; i < arguments.length; i++) {
            String argument = arguments[i];
            switch (argument) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return OK;
                }
                case "--json", "--csv" -> {
                    if (!format.equals("text")) {
                        return badInput(err, argument + ": accepted: one of --json and --csv");
                    }
                    format = argument.substring(2);
                }
                case "--plots" -> {
                    if (i + 1 >= arguments.length) {
                        return badInput(err, "--plots: needs a directory; see report --help");
                    }
                    plots = Path.of(arguments[++i]);
                }
                default -> {
                    if (argument.startsWith("-")) {
                        return badInput(err, "unknown option " + argument + "; see report --help");
                    }
                    directories.add(Path.of(argument));
                }
            }
        }
        if (directories.isEmpty()) {
            return badInput(err, "no run directory given; usage: report [--json | --csv] [--plots DIR] RUN_DIR...");
        }
        List<RunData> runs = new ArrayList<>();
        Optional<Scaling> scaling;
        try {
            for (Path directory : directories) {
                runs.add(read(directory));
            }
            scaling = Scaling.of(runs);
        } catch (ReportException e) {
            return badInput(err, e.getMessage());
        }
        int status = OK;
        switch (format) {
            case "json" -> out.print(JsonReport.of(runs, scaling));
            case "csv" -> out.print(CsvReport.of(runs));
            default -> out.print(TextReport.of(runs, scaling));
        }
        for (RunData run : runs) {
            if (run.partial()) {
                err.println("halo report: partial report of " + run.name() + ": " + run.unreadable.get(0)
                        + (run.unreadable.size() > 1 ? " (and " + (run.unreadable.size() - 1) + " more)" : ""));
                status = PARTIAL;
            }
        }
        if (plots != null) {
            try {
                List<Path> written = Charts.write(plots, runs, scaling);
                if (format.equals("text")) {
                    out.println("Charts: " + String.join(", ", written.stream().map(Path::toString).toList()));
                }
            } catch (IOException | RuntimeException e) {
                err.println("halo report: error: --plots " + plots + ": cannot write the charts: " + e.getMessage());
                status = PARTIAL;
            }
        }
        return status;
    }

    /** A run directory read, or one line on what is wrong with it, whatever went wrong. */
    private static RunData read(Path directory) {
        try {
            return RunReader.read(directory);
        } catch (ReportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ReportException(directory + ": cannot read it as a run directory: " + e);
        }
    }

    private static int badInput(PrintStream err, String message) {
        err.println("halo report: error: " + message);
        return BAD_INPUT;
    }
}
