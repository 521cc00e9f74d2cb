package halo.cli;

import java.util.List;
import java.util.Map;

import halo.auc.Auc;
import halo.kernel.JitWarmUp;
import halo.kernel.Kernels;
import halo.params.AucParams;
import halo.params.KernelChoice;
import halo.params.ParameterException;
import halo.params.ParameterSource;
import halo.run.Decomposition;
import halo.run.RunContext;

final class AucProgram implements Program {

    @Override
    public String name() {
        return "auc";
    }

    @Override
    public String description() {
        return """
                Area under f(x) = 0.7 x^3 - 2 x^2 + 4 on [0,3] (exact: 8.175) by a left Riemann sum
                over ntot samples x_i = i dx, dx = 3/ntot. Each rank sums its own block of sample
                indices; the partial sums are added on rank 0 in rank order.""";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("ntot", "N", "number of samples, at least one per rank (default 30000000)"),
                KERNELS, TRACE);
    }

    @Override
    public Plan plan(ParameterSource source, int ranks) {
        AucParams params = AucParams.from(source);
        if (ranks > params.ntot()) {
            throw new ParameterException(source.describe("ntot") + ": fewer samples than ranks; accepted "
                    + ranks + " to " + Long.MAX_VALUE + " at -np " + ranks);
        }
        return jvm -> {
            Kernels kernels = KernelChoice.from(source);
            return new Job() {
                @Override
                public Decomposition decomposition() {
                    return new Decomposition("sample", params.ntot());
                }

                @Override
                public Map<String, Object> run(RunContext context) {
                    return Auc.run(context, params, kernels);
                }
            };
        };
    }

    @Override
    public void startWarmUp(ParameterSource source) {
        JitWarmUp.startIntegrand(KernelChoice.from(source));
    }
}
