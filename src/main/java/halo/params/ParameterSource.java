package halo.params;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

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
            Properties conf = readConf(app, confFile);
            for (String name : conf.stringPropertyNames()) {
                if (!source.values.containsKey(name)) {
                    throw new ParameterException("--conf " + confFile + ": unknown parameter '" + name
                            + "'; accepted: " + source.names());
                }
                source.values.put(name, new Value(conf.getProperty(name).trim(), "in " + confFile));
            }
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
     * Only a regular file: every rank reads the conf file, and a pipe (or a device) would hang
     * a rank waiting for a writer or give each rank different lines.
     */
    private static Properties readConf(String app, Path file) {
        String accepted = "; accepted: a regular UTF-8 text file of name = value lines, as conf/" + app + ".properties";
        String label = "--conf " + file + ": ";
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw new ParameterException(label + "a directory" + accepted);
            }
            if (!attributes.isRegularFile()) {
                throw new ParameterException(label + "a pipe, device or socket, not a regular file" + accepted);
            }
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                properties.load(in);
            }
            return properties;
        } catch (NoSuchFileException e) {
            throw new ParameterException(label + "no such file" + accepted);
        } catch (AccessDeniedException e) {
            throw new ParameterException(label + "permission denied" + accepted);
        } catch (CharacterCodingException e) {
            throw new ParameterException(label + "not UTF-8 text" + accepted);
        } catch (IllegalArgumentException e) { // the one malformation Properties.load rejects
            throw new ParameterException(label + "malformed \\uXXXX escape (a backslash is written \\\\)" + accepted);
        } catch (IOException e) {
            throw new ParameterException(label + "cannot read it (" + e.getMessage() + ")" + accepted);
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
                throw new ParameterException("parameter '" + name + "' " + origin + " is unknown to this Halo;"
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
        return switch (value.origin) {
            case "option" -> "--" + name + " " + value.text;
            case "default" -> name + " = " + value.text + " (default)";
            default -> name + " = " + value.text + " " + value.origin;
        };
    }

    /** The one-line error for a value outside what is accepted. */
    public ParameterException rejected(String name, String accepted) {
        return new ParameterException(describe(name) + ": accepted " + accepted);
    }

    public double finiteDouble(String name) {
        String text = value(name).text;
        double number;
        try {
            number = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ParameterException(describe(name) + ": not a number");
        }
        if (!Double.isFinite(number)) {
            throw rejected(name, "a finite number");
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
        return wholeNumber(name, Long.MAX_VALUE);
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
        return (int) wholeNumber(name, max);
    }

    private long wholeNumber(String name, long max) {
        long number;
        try {
            number = Long.parseLong(value(name).text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ParameterException(describe(name) + ": not a whole number; accepted 1 to " + max);
        }
        if (number < 1 || number > max) {
            throw rejected(name, "1 to " + max);
        }
        return number;
    }

    /** True/False as in the course's Python parameter file, true/false, yes/no, 1/0. */
    public boolean bool(String name) {
        return switch (value(name).text.toLowerCase()) {
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
