package halo.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vector kernels and the thread team give the scalar kernels' bits. Surefire starts the
 * JVM with jdk.incubator.vector, so both forms run here.
 */
class KernelFormsTest {

    /** Rows 0..rows+1 with a zero frame (row 0, row rows+1, the edge columns), random inside. */
    static double[] randomStrip(int rows, int stride, long seed) {
        Random random = new Random(seed);
        double[] strip = new double[(rows + 2) * stride];
        for (int r = 1; r <= rows; r++) {
            for (int j = 1; j < stride - 1; j++) {
                strip[r * stride + j] = random.nextDouble();
            }
        }
        return strip;
    }

    static long[] bits(double[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }

    @ParameterizedTest(name = "{0} cols, rows {1}..{2}")
    @CsvSource({"1,1,1", "7,1,5", "8,2,9", "13,1,13", "266,1,266", "266,40,41", "31,5,4"})
    void vectorStencilGivesTheScalarBits(int cols, int fromRow, int toRow) {
        assertTrue(Kernels.VECTOR_AVAILABLE, "the test JVM should have jdk.incubator.vector (surefire argLine)");
        int rows = Math.max(toRow, 1);
        int stride = cols + 2;
        double[] current = randomStrip(rows, stride, cols * 31L + fromRow);
        double[] scalar = new double[current.length];
        double[] vector = new double[current.length];
        Stencil.step(Kernels.SCALAR, current, scalar, stride, cols, fromRow, toRow, 0.25);
        Stencil.step(Kernels.VECTOR, current, vector, stride, cols, fromRow, toRow, 0.25);
        assertArrayEquals(bits(scalar), bits(vector));
    }

    @ParameterizedTest(name = "{0} threads, {1}")
    @CsvSource({"1,VECTOR", "2,VECTOR", "3,SCALAR", "7,VECTOR", "7,SCALAR"})
    void aTeamGivesTheBitsOfOneThread(int threads, Kernels kernels) {
        int rows = 50;
        int cols = 37;
        int stride = cols + 2;
        double[] current = randomStrip(rows, stride, 7);
        double[] alone = new double[current.length];
        Stencil.step(kernels, current, alone, stride, cols, 1, rows, 0.25);
        try (StencilTeam team = new StencilTeam(threads, kernels)) {
            for (int repeat = 0; repeat < 3; repeat++) {
                double[] together = new double[current.length];
                team.step(current, together, stride, cols, 1, rows, 0.25);
                assertArrayEquals(bits(alone), bits(together));
            }
            double[] fewRows = new double[current.length];
            double[] fewRowsAlone = new double[current.length];
            team.step(current, fewRows, stride, cols, 3, 4, 0.25);
            Stencil.step(kernels, current, fewRowsAlone, stride, cols, 3, 4, 0.25);
            assertArrayEquals(bits(fewRowsAlone), bits(fewRows));
        }
    }

    @ParameterizedTest(name = "samples [{0}, {1})")
    @CsvSource({"0,0", "0,1", "0,7", "0,8", "3,1030", "0,100000", "12345,98765", "1000000,1002049"})
    void vectorSumGivesTheScalarBits(long from, long to) {
        double dx = 3.0 / 1_000_003;
        assertEquals(Double.doubleToRawLongBits(Integrand.sum(Kernels.SCALAR, from, to, dx)),
                Double.doubleToRawLongBits(Integrand.sum(Kernels.VECTOR, from, to, dx)));
    }
}
