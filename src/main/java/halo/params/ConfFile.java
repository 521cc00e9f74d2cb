package halo.params;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import halo.io.Quote;

/**
 * A conf file given with {@code --conf}: Java properties ({@code name = value} lines, {@code #}
 * comments, a trailing backslash continuing a line), read as Java reads them, with three
 * differences that spare the user silent surprises: a UTF-8 byte-order mark at the start (as
 * some editors save) is skipped, a parameter given on two lines is refused naming both lines
 * (Java would keep the last without a word), and a file larger than {@value #MAX_BYTES} bytes
 * is refused (each rank reads it whole).
 */
final class ConfFile {

    /** One parameter of the file and the line it starts on (1-based). */
    record Entry(String value, int line) {}

    static final long MAX_BYTES = 16L << 20;
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private ConfFile() {
    }

    /** The file's parameters in the order written. */
    static Map<String, Entry> read(String app, Path file) {
        String accepted = "; accepted: a regular UTF-8 text file of name = value lines, as conf/" + app + ".properties";
        String label = "--conf " + Quote.path(file) + ": ";
        String text;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw new ParameterException(label + "a directory" + accepted);
            }
            if (!attributes.isRegularFile()) {
                // every rank reads the file: a pipe or a device would hang a rank or give each other lines
                throw new ParameterException(label + "a pipe, device or socket, not a regular file" + accepted);
            }
            if (attributes.size() > MAX_BYTES) {
                throw new ParameterException(label + attributes.size() + " bytes" + accepted + ", at most "
                        + MAX_BYTES + " bytes");
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new ParameterException(label + "no such file" + accepted);
        } catch (AccessDeniedException e) {
            throw new ParameterException(label + "permission denied" + accepted);
        } catch (CharacterCodingException e) {
            throw new ParameterException(label + "not UTF-8 text" + accepted);
        } catch (IOException e) {
            throw new ParameterException(label + "cannot read it (" + e.getMessage() + ")" + accepted);
        }
        if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
            text = text.substring(1);
        }
        try {
            return entries(text, label);
        } catch (IllegalArgumentException e) { // the one malformation Properties.load rejects
            throw new ParameterException(label + "malformed \\uXXXX escape (a backslash is written \\\\)" + accepted);
        }
    }

    /**
     * Splits the text into Java's logical lines, remembering where each starts, and lets
     * Properties read the key and value of each, so that both mean exactly what they mean to Java.
     */
    private static Map<String, Entry> entries(String text, String label) {
        List<String> lines = text.lines().toList();
        Map<String, Entry> entries = new LinkedHashMap<>();
        int i = 0;
        while (i < lines.size()) {
            int first = i;
            StringBuilder logical = new StringBuilder(lines.get(i));
            if (!isBlankOrComment(lines.get(i))) {
                while (endsWithOddBackslashes(lines.get(i)) && i + 1 < lines.size()) {
                    i++;
                    logical.append('\n').append(lines.get(i));
                }
            }
            i++;
            Properties one = new Properties();
            try {
                one.load(new StringReader(logical.toString()));
            } catch (IOException e) {
                throw new IllegalStateException("reading a string", e);
            }
            for (String name : one.stringPropertyNames()) {
                Entry earlier = entries.get(name);
                if (earlier != null) {
                    throw new ParameterException(label + "parameter " + Quote.input(name) + " on line "
                            + earlier.line() + " and again on line " + (first + 1) + "; accepted: each parameter once");
                }
                entries.put(name, new Entry(one.getProperty(name), first + 1));
            }
        }
        return entries;
    }

    private static boolean isBlankOrComment(String line) {
        String start = line.stripLeading();
        return start.isEmpty() || start.charAt(0) == '#' || start.charAt(0) == '!';
    }

    private static boolean endsWithOddBackslashes(String line) {
        int count = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            count++;
        }
        return count % 2 == 1;
    }
}
