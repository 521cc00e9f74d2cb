package halo.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Integrand}'s sum with the Vector API: the eight lane sums of the scalar loop held in
 * one 512-bit vector, or in two 256-bit ones where that is the widest the CPU has. Sample
 * indices are kept as doubles, i + lane, exact below 2^53 like the scalar (double) (i + lane).
 */
final class IntegrandVector {

    private static final VectorSpecies<Double> SPECIES =
            DoubleVector.SPECIES_PREFERRED.length() >= Integrand.LANES ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
    /** Lanes 0 .. WIDTH-1 are in {@code low}, the others in {@code high}. */
    private static final int WIDTH = SPECIES.length();
    private static final boolean TWO_VECTORS = WIDTH < Integrand.LANES;

    private IntegrandVector() {}

    /** {@link Integrand#addChunksScalar}, lane by lane. */
    static void addChunks(long from, long to, double dx, Integrand.CompensatedSum total) {
        DoubleVector lanes = DoubleVector.zero(SPECIES).addIndex(1);
        long i = from;
        while (i < to) {
            long chunkEnd = Math.min(to, i + Integrand.CHUNK);
            DoubleVector low = DoubleVector.zero(SPECIES);
            DoubleVector high = low;
            DoubleVector index = lanes.add((double) i);
            for (; i + Integrand.LANES <= chunkEnd; i += Integrand.LANES) {
                low = low.add(f(index.mul(dx)));
                if (TWO_VECTORS) {
                    high = high.add(f(index.add(WIDTH).mul(dx)));
                }
                index = index.add(Integrand.LANES);
            }
            double s0 = low.lane(0);
            for (; i < chunkEnd; i++) {
                s0 += Integrand.f(i * dx);
            }
            total.add(Integrand.fold(s0, lane(low, high, 1), lane(low, high, 2), lane(low, high, 3),
                    lane(low, high, 4), lane(low, high, 5), lane(low, high, 6), lane(low, high, 7)));
        }
    }

    private static double lane(DoubleVector low, DoubleVector high, int lane) {
        return lane < WIDTH ? low.lane(lane) : high.lane(lane - WIDTH);
    }

    /** (0.7x - 2)·x·x + 4, lane by lane, in Integrand.f's order. */
    private static DoubleVector f(DoubleVector x) {
        return x.mul(0.7).sub(2.0).mul(x).mul(x).add(4.0);
    }
}
