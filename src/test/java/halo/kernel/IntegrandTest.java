package halo.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;

import org.junit.jupiter.api.Test;

class IntegrandTest {

    @Test
    void integrandIsTheCoursePolynomial() {
        assertEquals(4.0, Integrand.f(0.0));
        assertEquals(0.7 * 27 - 2 * 9 + 4, Integrand.f(3.0), 1e-14);
        assertEquals(0.7 * 1.5 * 1.5 * 1.5 - 2 * 1.5 * 1.5 + 4, Integrand.f(1.5), 1e-14);
    }

    @Test
    void sumIsAccurateToAFewRoundings() {
        long n = 1_000_003;
        double dx = 3.0 / n;
        BigDecimal exact = BigDecimal.ZERO;
        for (long i = 0; i < n; i++) {
            exact = exact.add(new BigDecimal(Integrand.f(i * dx)), MathContext.DECIMAL128);
        }
        double sum = Integrand.sum(Kernels.SCALAR, 0, n, dx);
        assertEquals(exact.doubleValue(), sum, Math.ulp(sum) * 4);
    }

    @Test
    void blocksAddUpToTheWhole() {
        long n = 100_000;
        double dx = 3.0 / n;
        double whole = Integrand.sum(Kernels.SCALAR, 0, n, dx);
        double parts = Integrand.sum(Kernels.SCALAR, 0, 33_333, dx) + Integrand.sum(Kernels.SCALAR, 33_333, 66_667, dx)
                + Integrand.sum(Kernels.SCALAR, 66_667, n, dx);
        assertEquals(whole, parts, Math.abs(whole) * 1e-14);
    }

    /** A rank's sum is many calls of the kernel: any whole number of chunks a call gives the same bits. */
    @Test
    void callsOfWholeChunksGiveTheBitsOfOneCall() {
        long from = 12_345;
        long to = from + 5 * Integrand.SAMPLES_PER_CALL + 777;
        double dx = 3.0 / to;
        for (Kernels kernels : Kernels.values()) {
            long oneCall = Double.doubleToRawLongBits(Integrand.sum(kernels, from, to, dx, to - from));
            for (long samplesPerCall : new long[] {Integrand.CHUNK, 3L * Integrand.CHUNK, Integrand.SAMPLES_PER_CALL}) {
                assertEquals(oneCall, Double.doubleToRawLongBits(Integrand.sum(kernels, from, to, dx, samplesPerCall)),
                        kernels + ", " + samplesPerCall + " samples a call");
            }
        }
    }

    @Test
    void courseDefaultsGiveTheAreaWithin1e7() {
        long ntot = 30_000_000;
        double dx = 3.0 / ntot;
        assertEquals(8.175, Integrand.sum(Kernels.SCALAR, 0, ntot, dx) * dx, 1e-7);
    }
}
