package halo.params;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import halo.io.Quote;

/**
 * The raw values of one program's parameters, in three layers where the later one wins: the
 * defaults shipped in the jar (the same files as {@code conf/}), a conf file the user names,
 * and command-line options. Each value remembers where it came from, so that an error names
 * the option or the file line the user has to change.
 */
public final class ParameterSource {

    private record Value(String text, String origin) {}

    private final Map<String, Value> values = new LinkedHashMap<>();

    private ParameterSource() {}

    /**
     * @param app       program name; its defaults are the resource {@code /<app>.properties}
     * @param confFile  a conf file given with {@code --conf}, or null
     * @param overrides values given as command-line options, by parameter name
     */
    public static ParameterSource load(String app, Path confFile, Map<String, String> overrides) {
        ParameterSource source = new ParameterSource();
        Properties defaults = readDefaults(app);
        defaults.stringPropertyNames().forEach(name ->
                source.values.put(name, new Value(defaults.getProperty(name).trim(), "default")));
        if (confFile != null) {
            String origin = "in " + Quote.path(confFile);
            ConfFile.read(app, confFile).forEach((name, entry) -> {
                if (!source.values.containsKey(name)) {
                    throw new ParameterException("--conf " + Quote.path(confFile) + ": unknown parameter "
                            + Quote.quoted(name) + " on line " + entry.line() + "; accepted: " + source.names());
                }
                source.values.put(name, new Value(entry.value().trim(), origin));
            });
        }
        overrides.forEach((name, text) -> source.values.put(name, new Value(text.trim(), "option")));
        return source;
    }

    private static Properties readDefaults(String app) {
        try (InputStream in = ParameterSource.class.getResourceAsStream("/" + app + ".properties")) {
            if (in == null) {
                throw new IllegalStateException("defaults /" + app + ".properties missing from the jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the defaults of " + app, e);
        }
    }

    /**
     * These parameters with a layer that a run saved (a checkpoint's), between the defaults and
     * the conf file: a value still at its default takes the saved one; the conf file and options
     * still win (whoever layers them checks that they agree).
     *
     * @param origin where the saved values come from, for messages: "in runs/x/checkpoint.bin"
     */
    public ParameterSource over(Map<String, String> saved, String origin) {
        ParameterSource layered = new ParameterSource();
        layered.values.putAll(values);
        saved.forEach((name, text) -> {
            Value current = values.get(name);
            if (current == null) {
                throw new ParameterException("parameter " + Quote.quoted(name) + " " + origin + " is unknown to this Halo;"
                        + " accepted: " + names());
            }
            if (current.origin.equals("default")) {
                layered.values.put(name, new Value(text.trim(), origin));
            }
        });
        return layered;
    }

    /** "--dx 30" for an option, "dx = 30 in my.properties" for a conf file line. */
    public String describe(String name) {
        Value value = value(name);
        String shown = Quote.input(value.text);
        return switch (value.origin) {
            case "option" -> "--" + name + " " + shown;
            case "default" -> name + " = " + shown + " (default)";
            default -> name + " = " + shown + " " + value.origin;
        };
    }

    /** The one-line error for a value outside what is accepted. */
    public ParameterException rejected(String name, String accepted) {
        return new ParameterException(describe(name) + ": accepted " + accepted);
    }

    /** A number in {@link NumberSyntax}, finite. */
    public double finiteDouble(String name) {
        String text = value(name).text;
        if (NumberSyntax.isNonFiniteWord(text)) {
            throw rejected(name, NumberSyntax.DECIMAL);
        }
        if (!NumberSyntax.isDecimal(text)) {
            throw new ParameterException(describe(name) + ": not a number; accepted " + NumberSyntax.DECIMAL);
        }
        double number = NumberSyntax.decimal(text);
        if (!Double.isFinite(number)) {
            throw rejected(name, NumberSyntax.DECIMAL + " (this one is too large for a double)");
        }
        return number;
    }

    public double positiveDouble(String name) {
        double number = finiteDouble(name);
        if (!(number > 0)) {
            throw rejected(name, name + " > 0");
        }
        return number;
    }

    public long positiveLong(String name) {
        return wholeNumber(name, Long.MAX_VALUE, "1 to " + Long.MAX_VALUE);
    }

    /** The value as written, trimmed; empty when it was left empty. */
    public String text(String name) {
        return value(name).text;
    }

    /** Whether the value is {@code word} (case ignored), e.g. "auto" where a number may also be given. */
    public boolean is(String name, String word) {
        return value(name).text.equalsIgnoreCase(word);
    }

    /** A whole number from 1 to {@code max}. */
    public int positiveInt(String name, int max) {
        return positiveInt(name, max, "1 to " + max);
    }

    /** A whole number from 1 to {@code max}, which {@code accepted} states in an error, with why. */
    public int positiveInt(String name, int max, String accepted) {
        return (int) wholeNumber(name, max, accepted);
    }

    private long wholeNumber(String name, long max, String accepted) {
        String text = value(name).text;
        long number = switch (NumberSyntax.classify(text)) {
            case NOT_DECIMAL, NOT_WHOLE -> throw new ParameterException(describe(name)
                    + ": not a whole number; accepted " + accepted);
            case OUT_OF_RANGE -> throw rejected(name, accepted);
            case OK -> NumberSyntax.whole(text);
        };
        if (number < 1 || number > max) {
            throw rejected(name, accepted);
        }
        return number;
    }

    /** True/False as in the course's Python parameter file, true/false, yes/no, 1/0. */
    public boolean bool(String name) {
        return switch (value(name).text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw rejected(name, "True or False");
        };
    }

    /** The parameter names this program accepts, for help and error texts. */
    private String names() {
        return String.join(", ", new TreeSet<>(values.keySet()));
    }

    private Value value(String name) {
        Value value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return value;
    }
}
