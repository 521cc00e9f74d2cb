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

import halo.kernel.Integrand;
import halo.kernel.Kernels;

/** The auc kernel: the left Riemann sum over ntot samples, as one rank of -np 1 does it, in each form. */
@State(Scope.Thread)
@Fork(jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IntegrandBenchmark {

    @Param({"30000000"})
    public long ntot;

    /** The form, as --kernels spells it; vector needs a JVM with jdk.incubator.vector. */
    @Param({"vector", "scalar"})
    public String kernels;

    private Kernels form;

    @Setup
    public void setUp() {
        form = Kernels.valueOf(kernels.toUpperCase(Locale.ROOT));
    }

    @Benchmark
    public double sum() {
        return Integrand.sum(form, 0, ntot, 3.0 / ntot);
    }
}
