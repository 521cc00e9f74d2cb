package halo.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfFileTest {

    @TempDir
    Path dir;

    private Path conf(String text) throws IOException {
        return Files.write(dir.resolve("my.properties"), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aByteOrderMarkIsSkipped() throws IOException {
        Diff2dParams params = Diff2dParams.from(ParameterSource.load("diff2d", conf("\uFEFFruntime = 2.5\n"), Map.of()));
        assertEquals(2.5, params.runtime());
    }

    @Test
    void keysAndValuesMeanWhatTheyMeanToJava() throws IOException {
        Map<String, ConfFile.Entry> entries = ConfFile.read("diff2d", conf(
                "# a comment ending in a backslash \\\n"
                + "runtime = 1.\\\n    5\n"
                + "! another comment\n"
                + "dx:0.5\n"
                + "  outtime 0.25\n"));
        assertEquals(Map.of("runtime", new ConfFile.Entry("1.5", 2), "dx", new ConfFile.Entry("0.5", 5),
                "outtime", new ConfFile.Entry("0.25", 6)), entries);
    }

    @Test
    void aKeyOnTwoLinesIsRefusedNamingBoth() throws IOException {
        Path file = conf("runtime = 1.0\ndx = \\\n  0.5\n\nruntime:2.0\n");
        ParameterException e = assertThrows(ParameterException.class, () -> ParameterSource.load("diff2d", file, Map.of()));
        assertEquals("--conf " + file + ": parameter runtime on line 1 and again on line 5; accepted: each parameter"
                + " once", e.getMessage());
    }

    @Test
    void anUnknownKeySaysItsLine() throws IOException {
        Path file = conf("dx = 0.5\n\nrun time = 1\n");
        ParameterException e = assertThrows(ParameterException.class, () -> ParameterSource.load("diff2d", file, Map.of()));
        assertTrue(e.getMessage().startsWith("--conf " + file + ": unknown parameter 'run' on line 3; accepted: "),
                e.getMessage());
    }

    @Test
    void notUtf8IsRefused() throws IOException {
        Path file = Files.write(dir.resolve("latin1.properties"), new byte[] {'d', 'x', '=', (byte) 0xe9, '\n'});
        ParameterException e = assertThrows(ParameterException.class, () -> ParameterSource.load("diff2d", file, Map.of()));
        assertTrue(e.getMessage().contains("not UTF-8 text"), e.getMessage());
    }

    @Test
    void aValueWithControlCharactersIsEchoedOnOneLine() throws IOException {
        Path file = conf("dx = 0.5\\n\\u001b[31m" + "7".repeat(100_000) + "\n");
        ParameterException e = assertThrows(ParameterException.class,
                () -> Diff2dParams.from(ParameterSource.load("diff2d", file, Map.of())));
        assertTrue(e.getMessage().startsWith("dx = '0.5\\n\\u001b[31m777"), e.getMessage());
        assertTrue(e.getMessage().contains("... (100009 characters) in " + file + ": not a number"), e.getMessage());
        assertTrue(e.getMessage().length() < 600, e.getMessage());
    }
}
