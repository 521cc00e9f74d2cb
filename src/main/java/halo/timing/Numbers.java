package halo.timing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers as text for logs and tables, without {@link java.util.Formatter}: its first call
 * in a JVM loads the JDK's locale data, tens of milliseconds on every rank's way to its first
 * step, where BigDecimal takes a few (docs/performance.md, start-up).
 */
public final class Numbers {

    private Numbers() {}

    /**
     * {@code v} rounded to {@code digits} significant digits, without trailing zeros, and like
     * %g in scientific notation below 10^-4 and from 10^digits: 0.498898, 0.5, 1.041E-5, 2.50299E+8.
     */
    public static String significant(double v, int digits) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        double magnitude = Math.abs(rounded.doubleValue());
        boolean plain = magnitude == 0 || (magnitude >= 1e-4 && magnitude < Math.pow(10, digits));
        if (plain) {
            return rounded.toPlainString();
        }
        String digitsText = rounded.unscaledValue().abs().toString();
        int exponent = digitsText.length() - rounded.scale() - 1;
        return (rounded.signum() < 0 ? "-" : "") + digitsText.charAt(0)
                + (digitsText.length() > 1 ? "." + digitsText.substring(1) : "")
                + "E" + (exponent >= 0 ? "+" : "") + exponent;
    }

    /** {@code v} with {@code decimals} digits after the point, right-aligned in {@code width}: %{width}.{decimals}f. */
    public static String fixed(double v, int decimals, int width) {
        String text = Double.isFinite(v)
                ? BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString()
                : Double.toString(v);
        return right(text, width);
    }

    /** {@code text} right-aligned in {@code width}: %{width}s. */
    public static String right(String text, int width) {
        return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
    }
}
