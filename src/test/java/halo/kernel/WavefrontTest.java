package halo.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Many steps by blocks give, in both buffers, the bits of the same steps one after the other. */
class WavefrontTest {

    @ParameterizedTest(name = "{0}x{1}, rows {2}..{3}, shrink {4}/{5}, {6} steps, blocks of {7}, {8}")
    @CsvSource({
            "40,13,16,23,1,1,15,4,SCALAR", // a strip between two neighbours, its ghost rows used up
            "40,13,16,23,1,1,15,4,VECTOR",
            "40,13,1,23,0,1,15,3,VECTOR",  // the top of the domain: its zero row stays
            "40,13,16,40,1,0,15,5,SCALAR", // the bottom of the domain
            "40,13,1,40,0,0,9,7,VECTOR",   // one rank: nothing shrinks
            "40,13,16,23,1,1,1,4,SCALAR",  // one step
            "40,13,16,23,1,1,4,100,VECTOR", // one block: the order of step after step
            "60,266,10,50,1,1,8,1,VECTOR",  // blocks of one row
    })
    void blocksGiveTheBitsOfStepAfterStep(int rows, int cols, int from, int to, int shrinkTop, int shrinkBottom,
                                          int steps, int blockRows, Kernels kernels) {
        int stride = cols + 2;
        double[] start = KernelFormsTest.randomStrip(rows, stride, rows * 7919L + from * 31L + steps);
        double factor = 0.25;

        double[] a = start.clone();
        double[] b = new double[start.length];
        for (int t = 0; t < steps; t++) {
            boolean even = t % 2 == 0;
            Stencil.step(kernels, even ? a : b, even ? b : a, stride, cols,
                    from + t * shrinkTop, to - t * shrinkBottom, factor);
        }

        double[] blockedA = start.clone();
        double[] blockedB = new double[start.length];
        Wavefront.steps(kernels, blockedA, blockedB, stride, cols, from, to, shrinkTop, shrinkBottom, steps, factor,
                blockRows);
        assertArrayEquals(KernelFormsTest.bits(a), KernelFormsTest.bits(blockedA));
        assertArrayEquals(KernelFormsTest.bits(b), KernelFormsTest.bits(blockedB));
    }

    @ParameterizedTest(name = "stride {0}, {1} steps")
    @CsvSource({"2002,15,17", "268,15,229", "20002,15,15"})
    void aBlockAndItsSkewFitHalfAnL2(int stride, int steps, int expected) {
        assertEquals(expected, Wavefront.blockRows(stride, steps));
    }

    /** 2002: 32 rows of both levels fit, so 16 steps with blocks of 16 rows; 268: 244 rows. */
    @ParameterizedTest(name = "stride {0}")
    @CsvSource({"2002,16", "268,122", "200002,1"})
    void theStepsWhoseBlocksFitInTheCache(int stride, int expected) {
        int steps = Wavefront.stepsInCache(stride);
        assertEquals(expected, steps);
        if (steps > 1) {
            assertEquals(steps, Wavefront.blockRows(stride, steps)); // a block and its skew: 2·steps rows
        }
    }
}
