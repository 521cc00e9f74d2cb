package halo.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import halo.params.Diff2dParams;
import halo.params.ParameterSource;

import java.util.Map;

class StencilTest {

    /** Halo's serial time loop on one strip holding the whole grid. */
    private static Field runWholeGrid(Diff2dParams p, Kernels kernels) {
        Field field = new Field(p.nrows(), p.ncols(), 0);
        InitialDensity.fill(field, p.x1(), p.x2(), p.nrows());
        double factor = p.updateFactor();
        for (long s = 0; s < p.nsteps(); s++) {
            Stencil.step(kernels, field, factor);
            field.swap();
        }
        return field;
    }

    private static Diff2dParams params(String dx, String runtime) {
        return Diff2dParams.from(ParameterSource.load("diff2d", null, Map.of("dx", dx, "runtime", runtime)));
    }

    @ParameterizedTest
    @EnumSource(Kernels.class)
    void matchesTheCourseAlgorithmBitForBit(Kernels kernels) {
        Diff2dParams p = params("0.37", "3.0");
        double[][] expected = CourseDiff2d.run(p.D(), p.x1(), p.x2(), p.runtime(), p.dxRequested());
        Field field = runWholeGrid(p, kernels);
        double[] data = field.current();
        for (int i = 0; i < p.nrows() + 2; i++) {
            for (int j = 0; j < p.ncols() + 2; j++) {
                assertEquals(Double.doubleToRawLongBits(expected[i][j]),
                        Double.doubleToRawLongBits(data[i * field.stride() + j]), "cell " + i + "," + j);
            }
        }
    }

    @Test
    void stripsUpdatedSeparatelyGiveTheSameField() {
        Diff2dParams p = params("0.5", "1.0");
        Field whole = new Field(p.nrows(), p.ncols(), 0);
        InitialDensity.fill(whole, p.x1(), p.x2(), p.nrows());
        double[] before = whole.current().clone();
        Stencil.step(Kernels.SCALAR, whole, p.updateFactor());
        // the same step done as three row ranges, as ranks (or threads) would split it
        double[] next = new double[before.length];
        int rows = p.nrows();
        Stencil.step(Kernels.SCALAR, before, next, whole.stride(), p.ncols(), 1, 10, p.updateFactor());
        Stencil.step(Kernels.SCALAR, before, next, whole.stride(), p.ncols(), 11, 25, p.updateFactor());
        Stencil.step(Kernels.SCALAR, before, next, whole.stride(), p.ncols(), 26, rows, p.updateFactor());
        for (int k = 0; k < next.length; k++) {
            assertEquals(Double.doubleToRawLongBits(whole.next()[k]), Double.doubleToRawLongBits(next[k]));
        }
    }

    @Test
    void ghostFrameStaysZero() {
        Field field = runWholeGrid(params("1.0", "0.5"), Kernels.SCALAR);
        double[] data = field.current();
        int stride = field.stride();
        for (int j = 0; j < stride; j++) {
            assertEquals(0.0, data[j]);
            assertEquals(0.0, data[(field.rows() + 1) * stride + j]);
        }
        for (int i = 0; i < field.rows() + 2; i++) {
            assertEquals(0.0, data[i * stride]);
            assertEquals(0.0, data[i * stride + stride - 1]);
        }
    }
}
