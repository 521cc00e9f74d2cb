package halo.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumberSyntaxTest {

    private static ParameterSource auc(String ntot) {
        return ParameterSource.load("auc", null, Map.of("ntot", ntot));
    }

    private static ParameterSource diff2d(String dx) {
        return ParameterSource.load("diff2d", null, Map.of("dx", dx));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.075", "-10", "+3", "7.5e-2", "1E6", "5.", ".5", "1e+3", "0"})
    void decimalNumbersAreAccepted(String text) {
        assertTrue(NumberSyntax.isDecimal(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.5d", "0.1F", "_1000_", "1_000", "0x1p3", "0x10", "Infinity", "NaN", "1e", ".", "",
            "1.2.3", "--1", "1e1.5", " 1", "١٢"})
    void javaOnlySpellingsAreNot(String text) {
        assertFalse(NumberSyntax.isDecimal(text), text);
    }

    @Test
    void wholeNumbersMayBeWrittenWithAnExponentWhenExact() {
        assertEquals(1_000_000_000_000L, auc("1e12").positiveLong("ntot"));
        assertEquals(1500, auc("1.5e3").positiveLong("ntot"));
        assertEquals(3, auc("3.000").positiveLong("ntot"));
        assertEquals(Long.MAX_VALUE, auc("9223372036854775807").positiveLong("ntot"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "1e-3", "0.5d", "1_000", "0x10", "abc"})
    void otherWholeNumbersAreNotWhole(String text) {
        ParameterException e = assertThrows(ParameterException.class, () -> auc(text).positiveLong("ntot"));
        assertTrue(e.getMessage().endsWith(": not a whole number; accepted 1 to " + Long.MAX_VALUE), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "1e19", "1e999999999999", "-1e30", "0", "-1"})
    void wholeNumbersOutOfRangeSayTheRange(String text) {
        ParameterException e = assertThrows(ParameterException.class, () -> auc(text).positiveLong("ntot"));
        assertTrue(e.getMessage().endsWith(": accepted 1 to " + Long.MAX_VALUE), e.getMessage());
    }

    @Test
    void notANumberSaysWhatIsAccepted() {
        ParameterException e = assertThrows(ParameterException.class, () -> diff2d("0.5d").finiteDouble("dx"));
        assertEquals("--dx 0.5d: not a number; accepted a finite number written in decimal, such as 0.075, -10"
                + " or 7.5e-2", e.getMessage());
        ParameterException nan = assertThrows(ParameterException.class, () -> diff2d("-Infinity").finiteDouble("dx"));
        assertTrue(nan.getMessage().startsWith("--dx -Infinity: accepted a finite number"), nan.getMessage());
        ParameterException huge = assertThrows(ParameterException.class, () -> diff2d("1e999").finiteDouble("dx"));
        assertTrue(huge.getMessage().contains("too large for a double"), huge.getMessage());
    }
}
