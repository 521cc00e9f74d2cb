package halo.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import halo.kernel.Integrand;

/** The auc kernel: the left Riemann sum over ntot samples, as one rank of -np 1 does it. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IntegrandBenchmark {

    @Param({"30000000"})
    public long ntot;

    @Benchmark
    public double sum() {
        return Integrand.sum(0, ntot, 3.0 / ntot);
    }
}
