package halo.io;

import java.nio.file.Path;

/**
 * User input echoed in a one-line message (an option's value, a path, a conf file's key): the
 * one place that decides how it is shown, so that a message stays one readable line whatever
 * was typed. A short plain word is shown as typed; anything else between single quotes, with
 * control characters escaped ({@code \n}, {@code \t}, {@code \u001b}) and cut after
 * {@value #MAX_SHOWN} characters, saying how long it was.
 */
public final class Quote {

    /** Characters of user input a message shows at most. */
    public static final int MAX_SHOWN = 200;
    /** Besides letters and digits, what a plain word may hold: numbers, paths, lists. */
    private static final String PLAIN_PUNCTUATION = "._-+/:,=@%~";

    private Quote() {
    }

    /** {@code text} as typed when it is a plain word, else {@link #quoted}. */
    public static String input(String text) {
        return isPlain(text) ? text : quoted(text);
    }

    /** A path, shown as {@link #input} shows text. */
    public static String path(Path path) {
        return input(path.toString());
    }

    /** {@code text} between single quotes, escaped and cut as the class comment says. */
    public static String quoted(String text) {
        StringBuilder shown = new StringBuilder("'");
        int end = Math.min(text.length(), MAX_SHOWN);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> shown.append("\\n");
                case '\r' -> shown.append("\\r");
                case '\t' -> shown.append("\\t");
                case '\\' -> shown.append("\\\\");
                case '\'' -> shown.append("\\'");
                default -> {
                    if (isVisible(c)) {
                        shown.append(c);
                    } else {
                        shown.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        shown.append('\'');
        if (text.length() > MAX_SHOWN) {
            shown.append("... (").append(text.length()).append(" characters)");
        }
        return shown.toString();
    }

    /**
     * A whole message made one line, as the last step before it is printed: control characters
     * escaped, cut at a length no terminal line needs. Messages quote their input already; this
     * catches what came through a path or an exception's text unquoted.
     */
    public static String line(String message) {
        int limit = 4 * MAX_SHOWN;
        StringBuilder line = new StringBuilder(Math.min(message.length(), limit + 40));
        for (int i = 0; i < message.length() && i < limit; i++) {
            char c = message.charAt(i);
            line.append(isVisible(c) ? String.valueOf(c) : c == '\n' ? "\\n" : String.format("\\u%04x", (int) c));
        }
        if (message.length() > limit) {
            line.append("... (").append(message.length()).append(" characters)");
        }
        return line.toString();
    }

    private static boolean isPlain(String text) {
        if (text.isEmpty() || text.length() > MAX_SHOWN) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(Character.isLetterOrDigit(c) || PLAIN_PUNCTUATION.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** Not a control, format, line/paragraph separator or unassigned character. */
    private static boolean isVisible(char c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE -> false;
            default -> true;
        };
    }
}
