package halo.diff2d;

import halo.kernel.Field;
import halo.kernel.Kernels;
import halo.kernel.Stencil;
import halo.kernel.StencilTeam;
import halo.kernel.Wavefront;
import halo.params.Diff2dTuning;
import halo.parallel.HaloExchange;
import halo.timing.PhaseTimer;
import halo.timing.Span;

/**
 * Takes a strip from one time step to the next: the ghost-row bookkeeping of halo depth k, and
 * the three schedules that run on it.
 *
 * <p><b>Ghost rows.</b> An exchange fills k ghost rows on each side that has a neighbour. The
 * step right after it updates, beyond the interior, the k-1 ghost rows that are still exact (the
 * neighbour computes the same rows from the same five values), the next step k-2, and so on;
 * after k steps they are spent and the next exchange is due. The domain's edges have no ghost
 * rows to update: they stay zero. So the field is bitwise that of the serial run at any depth.
 *
 * <p><b>Schedules.</b>
 * <ul>
 * <li><i>exchange, then step</i>: the exchange blocks, then one step over the rows in reach;</li>
 * <li><i>overlapped</i> ({@code --overlap}): the exchange is started, the interior rows that read
 *     no ghost row are updated while the messages travel, and the edge rows once they are in;</li>
 * <li><i>in cache</i> ({@code --temporal-blocking}, one thread): the steps between two exchanges
 *     run together, block by block of rows, while each block is in the cache ({@link Wavefront}).</li>
 * </ul>
 * Each step of every schedule updates every cell with {@link Stencil#step} from the same five
 * values, so the schedules differ in speed only.
 */
final class TimeStepper implements AutoCloseable {

    private final Field field;
    private final HaloExchange halo;
    private final StencilTeam team;
    private final Kernels kernels;
    private final PhaseTimer timer;
    private final double factor;
    private final int depth;
    private final boolean overlap;
    private final boolean inCache;
    /** Rows per block of the in-cache schedule: a block, its skew, both time levels in the cache. */
    private final int blockRows;
    /** Steps done on the ghost rows of the last exchange; {@code depth}: exchange before the next. */
    private int stepsSinceExchange;

    TimeStepper(Field field, HaloExchange halo, Diff2dTuning tuning, double factor, PhaseTimer timer) {
        this.field = field;
        this.halo = halo;
        this.team = new StencilTeam(tuning.threads(), tuning.kernels());
        this.kernels = tuning.kernels();
        this.timer = timer;
        this.factor = factor;
        this.depth = tuning.haloDepth();
        this.overlap = tuning.overlap();
        this.inCache = tuning.temporalBlocking() && tuning.threads() == 1;
        this.blockRows = Wavefront.blockRows(field.stride(), depth - 1);
        this.stepsSinceExchange = depth;
    }

    /**
     * Advances the field at least one step and at most {@code most} (swapped after each step);
     * returns how many. Only the in-cache schedule takes more than one.
     */
    int advance(int most) {
        int steps = 1;
        if (stepsSinceExchange == depth) {
            stepsSinceExchange = 0;
            if (overlap) {
                exchangeWhileStepping();
            } else {
                exchangeThenStep();
            }
        } else if (inCache) {
            steps = Math.min(most, depth - stepsSinceExchange);
            stepInCache(steps);
        } else {
            step();
        }
        for (int i = 0; i < steps; i++) {
            field.swap();
        }
        stepsSinceExchange += steps;
        return steps;
    }

    /** Ghost rows beyond the interior that the next step updates on each side with a neighbour. */
    private int reach() {
        return depth - 1 - stepsSinceExchange;
    }

    private int firstRowInReach() {
        return field.firstInteriorRow() - (halo.hasAbove() ? reach() : 0);
    }

    private int lastRowInReach() {
        return field.lastInteriorRow() + (halo.hasBelow() ? reach() : 0);
    }

    private void exchangeThenStep() {
        long t = timer.now();
        halo.exchange(field.current());
        timer.stop(Span.EXCHANGE, t);
        step();
    }

    private void step() {
        long t = timer.now();
        team.step(field.current(), field.next(), field.stride(), field.cols(), firstRowInReach(), lastRowInReach(),
                factor);
        timer.stop(Span.STEP, t);
    }

    private void exchangeWhileStepping() {
        double[] current = field.current();
        double[] next = field.next();
        int stride = field.stride();
        int cols = field.cols();
        int first = field.firstInteriorRow();
        int last = field.lastInteriorRow();
        int from = firstRowInReach();
        int to = lastRowInReach();
        long posted = timer.now();
        halo.start(current);
        long t = timer.stop(Span.POST, posted);
        team.step(current, next, stride, cols, first + 1, last - 1, factor);
        t = timer.stop(Span.INTERIOR_ROWS, t);
        halo.finish(); // where the rank waits for its neighbours' rows
        t = timer.stop(Span.WAIT, t);
        timer.mark(Span.IN_FLIGHT, posted, t);
        int upperEdge = Math.min(first, to);
        Stencil.step(kernels, current, next, stride, cols, from, upperEdge, factor);
        Stencil.step(kernels, current, next, stride, cols, Math.max(last, upperEdge + 1), to, factor);
        timer.stop(Span.EDGE_ROWS, t);
    }

    /** {@code steps} steps, one ghost row fewer each step on the sides with a neighbour. */
    private void stepInCache(int steps) {
        long t = timer.now();
        Wavefront.steps(kernels, field.current(), field.next(), field.stride(), field.cols(),
                firstRowInReach(), lastRowInReach(), halo.hasAbove() ? 1 : 0, halo.hasBelow() ? 1 : 0,
                steps, factor, blockRows);
        timer.stop(Span.STEPS_IN_CACHE, t);
    }

    @Override
    public void close() {
        team.close();
    }
}
