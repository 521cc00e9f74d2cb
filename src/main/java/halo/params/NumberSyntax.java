package halo.params;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The one way numbers are written, in options, conf files and the parameters a checkpoint
 * keeps: decimal digits with an optional sign, fraction and exponent ({@code 0.075},
 * {@code -10}, {@code 7.5e-2}, {@code 1E6}). A whole number may carry a fraction or an exponent
 * when its value is whole ({@code 1e12}, {@code 3.0}). Nothing else: not Java's own spellings
 * ({@code 0.5d}, {@code 0.1F}, {@code 1_000}, hex, {@code Infinity}, {@code NaN}), which would
 * make a conf file mean different things to different readers. docs/input.md says the same.
 */
final class NumberSyntax {

    /** What the syntax accepts, for error messages. */
    static final String DECIMAL = "a finite number written in decimal, such as 0.075, -10 or 7.5e-2";

    private static final Pattern FORM = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    /** Digits before the point of the largest long. */
    private static final int LONG_DIGITS = 19;

    private NumberSyntax() {
    }

    /** NaN and the infinities as Java spells them: numbers, but never a finite one. */
    private static final Pattern NON_FINITE_WORD = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    static boolean isNonFiniteWord(String text) {
        return NON_FINITE_WORD.matcher(text).matches();
    }

    static boolean isDecimal(String text) {
        return FORM.matcher(text).matches();
    }

    /** The value of a decimal number ({@link #isDecimal}); may be infinite when its exponent is huge. */
    static double decimal(String text) {
        return Double.parseDouble(text);
    }

    /** What a whole number written as {@code text} is. */
    enum Whole { NOT_DECIMAL, NOT_WHOLE, OUT_OF_RANGE, OK }

    static Whole classify(String text) {
        if (!isDecimal(text)) {
            return Whole.NOT_DECIMAL;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text).stripTrailingZeros();
        } catch (NumberFormatException e) { // an exponent beyond int: far out of any range
            return Whole.OUT_OF_RANGE;
        }
        if (value.signum() == 0) {
            return Whole.OK;
        }
        if (value.scale() > 0) {
            return Whole.NOT_WHOLE;
        }
        if (value.precision() - value.scale() > LONG_DIGITS // checked first: a huge exponent is cheap to compare
                || value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0
                || value.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
            return Whole.OUT_OF_RANGE;
        }
        return Whole.OK;
    }

    /** The value of a text {@link #classify} says is OK. */
    static long whole(String text) {
        return new BigDecimal(text).longValueExact();
    }
}
