package halo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class QuoteTest {

    @Test
    void plainWordsAreShownAsTyped() {
        assertEquals("0.075", Quote.input("0.075"));
        assertEquals("runs/diff2d-17/checkpoint.bin", Quote.path(Path.of("runs/diff2d-17/checkpoint.bin")));
        assertEquals("-7.5e-2", Quote.input("-7.5e-2"));
    }

    @Test
    void anythingElseIsQuotedAndEscaped() {
        assertEquals("'two words'", Quote.input("two words"));
        assertEquals("''", Quote.input(""));
        assertEquals("'a\\nb\\tc\\u001b[0m\\\\d\\'e'", Quote.input("a\nb\tc\u001b[0m\\d'e"));
        assertEquals("'x\\u2028y'", Quote.input("x\u2028y"));
    }

    @Test
    void longInputIsCutSayingHowLongItWas() {
        String shown = Quote.input("9".repeat(10_000_000));
        assertEquals("'" + "9".repeat(Quote.MAX_SHOWN) + "'... (10000000 characters)", shown);
    }

    @Test
    void aWholeMessageBecomesOneLine() {
        String line = Quote.line("cannot create runs/a\nb: no space\r\n" + "x".repeat(5000));
        assertTrue(line.startsWith("cannot create runs/a\\nb: no space\\u000d\\nxxx"), line);
        assertTrue(line.endsWith("... (5034 characters)"), line);
        assertTrue(line.chars().noneMatch(Character::isISOControl), line);
    }
}
