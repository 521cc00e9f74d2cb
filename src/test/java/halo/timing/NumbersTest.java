package halo.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class NumbersTest {

    @Test
    void significantDigitsRoundTheValue() {
        assertEquals("0.498898", Numbers.significant(0.49889761998981985, 6));
        assertEquals("2.50299E+8", Numbers.significant(2.50299e8 + 17, 6));
        assertEquals("8.175", Numbers.significant(8.175000000000001, 6));
        assertEquals("1.041E-5", Numbers.significant(1.041e-5, 6));
        assertEquals("0.0001", Numbers.significant(1e-4, 6));
        assertEquals("999999", Numbers.significant(999999.0, 6));
        assertEquals("1E+6", Numbers.significant(999999.5, 6));
        assertEquals("0.5", Numbers.significant(0.5, 6));
        assertEquals("250000", Numbers.significant(250000.0, 6));
        assertEquals("1E-10", Numbers.significant(1e-10, 6));
        assertEquals("0", Numbers.significant(0.0, 6));
        assertEquals("-3.14159", Numbers.significant(-Math.PI, 6));
        assertEquals("-2.5E-7", Numbers.significant(-2.5e-7, 6));
        assertEquals("NaN", Numbers.significant(Double.NaN, 6));
        assertEquals("Infinity", Numbers.significant(Double.POSITIVE_INFINITY, 6));
    }

    /** The timing table's columns, as %12.4f wrote them, for any value. */
    @Test
    void fixedIsWhatTheFormatterWrites() {
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 100_000; i++) {
            double v = switch (i % 4) {
                case 0 -> random.nextDouble() * 10;
                case 1 -> random.nextDouble() * 1e6;
                case 2 -> Math.round(random.nextDouble() * 1e6) / 1e5 + 5e-5; // halves of the last digit
                default -> random.nextDouble() * 1e-3;
            };
            assertEquals(String.format(Locale.ROOT, "%12.4f", v), Numbers.fixed(v, 4, 12), "value " + v);
        }
        assertEquals(String.format(Locale.ROOT, "%12.4f", 0.0), Numbers.fixed(0.0, 4, 12));
        assertEquals(String.format(Locale.ROOT, "%5.1f", 123456.78), Numbers.fixed(123456.78, 1, 5));
    }

    @Test
    void rightAlignsAndNeverCuts() {
        assertEquals(" rank", Numbers.right("rank", 5));
        assertEquals("halo_exchange", Numbers.right("halo_exchange", 5));
    }
}
