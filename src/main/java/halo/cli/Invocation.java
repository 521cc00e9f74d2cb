package halo.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;
import org.apache.commons.cli.help.HelpFormatter;
import org.apache.commons.cli.help.TextHelpAppendable;

import halo.io.Quote;
import halo.params.ParameterException;
import halo.params.ParameterSource;

/**
 * What the user asked for: {@code halo [--help|--version]} or {@code halo PROGRAM [options]},
 * parsed with Commons CLI. Parameters are layered: the jar's defaults, then {@code --conf},
 * then options.
 */
record Invocation(Action action, Program program, ParameterSource source, Path out) {

    enum Action { RUN, HELP, VERSION }

    static final List<Program> PROGRAMS = List.of(new Diff2dProgram(), new AucProgram());

    private static final String PROGRAM_NAMES = "auc, diff2d";

    static Invocation parse(String[] arguments) {
        if (arguments.length == 0) {
            throw new ParameterException("no program given; accepted: " + PROGRAM_NAMES + " (see --help)");
        }
        String first = arguments[0];
        if (first.equals("--help") || first.equals("-h")) {
            return new Invocation(Action.HELP, null, null, null);
        }
        if (first.equals("--version")) {
            return new Invocation(Action.VERSION, null, null, null);
        }
        Program program = PROGRAMS.stream().filter(p -> p.name().equals(first)).findFirst()
                .orElseThrow(() -> new ParameterException("unknown program " + Quote.quoted(first) + "; accepted: "
                        + PROGRAM_NAMES + " (see --help)"));
        String[] rest = List.of(arguments).subList(1, arguments.length).toArray(String[]::new);
        return parse(program, rest);
    }

    private static Invocation parse(Program program, String[] arguments) {
        CommandLine line;
        try {
            line = DefaultParser.builder().setAllowPartialMatching(false).get().parse(options(program), arguments);
        } catch (UnrecognizedOptionException e) {
            throw new ParameterException("unknown option " + Quote.input(e.getOption()) + "; see " + program.name()
                    + " --help");
        } catch (MissingArgumentException e) {
            throw new ParameterException("--" + e.getOption().getLongOpt() + ": needs a value; see "
                    + program.name() + " --help");
        } catch (ParseException e) {
            throw new ParameterException(e.getMessage() + "; see " + program.name() + " --help");
        }
        if (!line.getArgList().isEmpty()) {
            throw new ParameterException("unexpected argument " + Quote.quoted(line.getArgList().get(0)) + "; options take"
                    + " the form --name VALUE, see " + program.name() + " --help");
        }
        refuseRepeatedOptions(line);
        if (line.hasOption("help")) {
            return new Invocation(Action.HELP, program, null, null);
        }
        if (line.hasOption("version")) {
            return new Invocation(Action.VERSION, program, null, null);
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        for (Program.Parameter parameter : program.parameters()) {
            if (line.hasOption(parameter.name())) {
                String value = line.getOptionValue(parameter.name());
                overrides.put(parameter.name(), value != null ? value : "True");
            }
        }
        Path conf = path(line, "conf");
        Path out = path(line, "out");
        if (out != null && out.toString().chars().anyMatch(Character::isISOControl)) {
            // a name no listing, script or message shows on one line: surely not meant
            throw new ParameterException("--out " + Quote.input(out.toString()) + ": a control character in the"
                    + " name; accepted a directory name of printable characters");
        }
        return new Invocation(Action.RUN, program, ParameterSource.load(program.name(), conf, overrides), out);
    }

    /**
     * Each option once: given twice, one of the values would be dropped without a word. A list
     * in one value (a,b) is one option.
     */
    private static void refuseRepeatedOptions(CommandLine line) {
        Map<String, Option> seen = new HashMap<>();
        for (Option option : line.getOptions()) {
            Option earlier = seen.putIfAbsent(option.getLongOpt(), option);
            if (earlier != null) {
                throw new ParameterException(shown(option) + ": given again (after " + shown(earlier)
                        + "); accepted: each option once");
            }
        }
    }

    /** "--runtime 0.5", "--graphics": an option as the user gave it. */
    private static String shown(Option option) {
        String value = option.getValue();
        return "--" + option.getLongOpt() + (value == null ? "" : " " + Quote.input(value));
    }

    /** The path an option names, or null without the option. */
    private static Path path(CommandLine line, String option) {
        if (!line.hasOption(option)) {
            return null;
        }
        String value = line.getOptionValue(option);
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ParameterException("--" + option + " " + Quote.input(value) + ": not a path (" + e.getReason()
                    + "); accepted a file name without NUL characters");
        }
    }

    private static Options options(Program program) {
        Options options = new Options();
        for (Program.Parameter parameter : program.parameters()) {
            Option.Builder option = Option.builder().longOpt(parameter.name()).argName(parameter.valueName())
                    .desc(parameter.description()).hasArg();
            if (parameter.valueName().equals("BOOL")) {
                option.optionalArg(true);
            }
            options.addOption(option.get());
        }
        options.addOption(Option.builder().longOpt("conf").hasArg().argName("FILE")
                .desc("read parameters from FILE (properties, as conf/" + program.name()
                        + ".properties); options given here override it").get());
        options.addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                .desc("run directory to create (must not exist); default runs/" + program.name()
                        + "-<Slurm job id or date-time>").get());
        options.addOption(Option.builder().longOpt("debug").desc("show the stack trace of an error").get());
        options.addOption(Option.builder().longOpt("help").desc("show this help and exit").get());
        options.addOption(Option.builder().longOpt("version").desc("show Halo's version and exit").get());
        return options;
    }

    /** The help text of the program, or of Halo as a whole when no program was named. */
    String help() {
        StringBuilder text = new StringBuilder();
        if (program == null) {
            text.append("""
                    usage: mpjrun.sh -np N -jar halo.jar PROGRAM [options]
                           java -jar halo.jar PROGRAM [options]      (one rank, without MPJ Express)

                    Programs:
                      diff2d   2D explicit diffusion on row strips with ghost-row exchange
                      auc      area under 0.7x^3 - 2x^2 + 4 on [0,3] by a left Riemann sum
                      report   tables and charts of run directories: java -jar halo.jar report --help

                    PROGRAM --help describes each. Every run writes a new run directory with
                    summary.json, logs/rank-N.log per rank, and the program's results.
                    """);
            return text.toString();
        }
        text.append("usage: mpjrun.sh -np N -jar halo.jar ").append(program.name()).append(" [options]\n")
                .append("       java -jar halo.jar ").append(program.name())
                .append(" [options]      (one rank, without MPJ Express)\n\n")
                .append(program.description()).append("\n\nOptions (defaults from conf/")
                .append(program.name()).append(".properties):\n");
        try {
            HelpFormatter.builder().setShowSince(false).setHelpAppendable(new TextHelpAppendable(text)).get()
                    .printOptions(options(program));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        text.append("\nOutput: a new run directory (--out) with summary.json, logs/rank-N.log and")
                .append(" rank-N.json\nper rank")
                .append(program.name().equals("diff2d") ? ", final.npy (the final field, float64), and with graphics\n"
                        + "snapshot-NNNNN.png and .npy every outtime.\n" : ".\n");
        return text.toString();
    }
}
