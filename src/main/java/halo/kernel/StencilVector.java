package halo.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Stencil}'s update with the Vector API: the same operations in the same order on
 * each lane, so the result is bitwise that of the scalar loop. One flat pass over the rows'
 * cells, ghost columns between rows included (no short loop and remainder per row), then
 * those ghost cells are set back to zero.
 */
final class StencilVector {

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    private StencilVector() {}

    static void step(double[] current, double[] next, int stride, int cols,
                     int fromRow, int toRow, double factor) {
        if (fromRow > toRow) {
            return;
        }
        int from = fromRow * stride + 1;
        int to = toRow * stride + 1 + cols;
        int k = from;
        for (int bound = from + SPECIES.loopBound(to - from); k < bound; k += SPECIES.length()) {
            DoubleVector centre = DoubleVector.fromArray(SPECIES, current, k);
            DoubleVector laplacian = DoubleVector.fromArray(SPECIES, current, k + stride)
                    .add(DoubleVector.fromArray(SPECIES, current, k - stride))
                    .add(DoubleVector.fromArray(SPECIES, current, k + 1))
                    .add(DoubleVector.fromArray(SPECIES, current, k - 1))
                    .sub(centre.mul(4.0));
            centre.add(laplacian.mul(factor)).intoArray(next, k);
        }
        for (; k < to; k++) {
            double centre = current[k];
            double laplacian = current[k + stride] + current[k - stride] + current[k + 1] + current[k - 1]
                    - 4.0 * centre;
            next[k] = centre + factor * laplacian;
        }
        // the pass wrote the right ghost of each row but the last and the left ghost of the next
        for (int row = fromRow; row < toRow; row++) {
            next[row * stride + stride - 1] = 0.0;
            next[(row + 1) * stride] = 0.0;
        }
    }
}
