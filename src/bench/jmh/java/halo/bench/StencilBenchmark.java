package halo.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import halo.kernel.Field;
import halo.kernel.InitialDensity;
import halo.kernel.Stencil;

/**
 * One diff2d step of the whole grid (Halo's serial kernel), on the course grid (266 rows,
 * in cache) and on the memory-bound 2000 x 2000 grid. Time per step; bench.sh turns it into
 * cell updates per second. Run it also with -XX:-UseSuperWord to see what the JIT's
 * vectorisation is worth.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StencilBenchmark {

    @Param({"266", "2000"})
    public int rows;

    private Field field;
    private double factor;

    @Setup
    public void setUp() {
        field = new Field(rows, rows, 0);
        InitialDensity.fill(field, -10.0, 10.0, rows);
        double dx = 20.0 / rows;
        double dt = 0.25 * (dx * dx);
        factor = (1.0 / (dx * dx)) * dt;
    }

    @Benchmark
    public double[] step() {
        Stencil.step(field, factor);
        field.swap();
        return field.current();
    }
}
