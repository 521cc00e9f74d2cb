package halo.auc;

import java.util.LinkedHashMap;
import java.util.Map;

import halo.kernel.Integrand;
import halo.kernel.JitWarmUp;
import halo.kernel.Kernels;
import halo.params.AucParams;
import halo.parallel.BlockPartition;
import halo.parallel.Communicator;
import halo.run.RunContext;
import halo.timing.Phase;
import halo.timing.PhaseTimer;

/**
 * The area under f on [0, 3] by a left Riemann sum: each rank sums f over its own block of
 * the ntot sample indices, and the partial sums are added on rank 0 in rank order.
 */
public final class Auc {

    private Auc() {}

    /** Runs the integration; returns the summary sections (meaningful on rank 0). */
    public static Map<String, Object> run(RunContext context, AucParams params, Kernels kernels) {
        Communicator communicator = context.communicator();
        PhaseTimer timer = context.timer();
        long t = timer.now();
        BlockPartition samples = context.blocks();
        int rank = communicator.rank();
        long from = samples.start(rank);
        long to = samples.end(rank);
        double dx = params.dx();
        context.log().event("start", "first_sample", from, "samples", to - from, "kernels", kernels.toString());
        t = timer.stop(Phase.SETUP, t);

        JitWarmUp.stop();
        double partial = Integrand.sum(kernels, from, to, dx);
        t = timer.stop(Phase.COMPUTE, t);
        double total = communicator.sumAtRoot(partial);
        timer.stop(Phase.REDUCTION, t);

        Map<String, Object> sections = new LinkedHashMap<>();
        if (communicator.isRoot()) {
            double area = total * dx;
            context.say("The area is " + area);
            sections = AucSummary.sections(params, kernels, area);
        }
        context.finish(sections, 1, to - from);
        return sections;
    }
}
