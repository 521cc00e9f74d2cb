package halo.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import halo.kernel.Field;
import halo.kernel.InitialDensity;
import halo.kernel.Kernels;
import halo.kernel.Stencil;

/**
 * One diff2d step of the whole grid (Halo's serial kernel), on the course grid (266 rows,
 * in cache) and on the memory-bound 2000 x 2000 grid. Time per step; bench.sh turns it into
 * cell updates per second, for each form of the kernels. Run it also with -XX:-UseSuperWord to
 * see what the JIT's vectorisation of the scalar form is worth.
 */
@State(Scope.Thread)
@Fork(jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StencilBenchmark {

    @Param({"266", "2000"})
    public int rows;

    /** The form, as --kernels spells it; vector needs a JVM with jdk.incubator.vector. */
    @Param({"vector", "scalar"})
    public String kernels;

    private Kernels form;

    private Field field;
    private double factor;

    @Setup
    public void setUp() {
        form = Kernels.valueOf(kernels.toUpperCase(Locale.ROOT));
        field = new Field(rows, rows, 0);
        InitialDensity.fill(field, -10.0, 10.0, rows);
        double dx = 20.0 / rows;
        double dt = 0.25 * (dx * dx);
        factor = (1.0 / (dx * dx)) * dt;
    }

    @Benchmark
    public double[] step() {
        Stencil.step(form, field, factor);
        field.swap();
        return field.current();
    }
}
