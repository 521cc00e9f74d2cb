package halo.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link Stencil#step} shared by a team of threads inside one rank: each updates a contiguous
 * block of the rows, the calling thread the first. Rows are independent within a step, so the
 * field is bitwise that of one thread. The workers live as long as the team; between steps they
 * spin briefly, then yield, then sleep in short naps, so that an idle team costs little even
 * when there are more threads than cores.
 */
public final class StencilTeam implements AutoCloseable {

    private static final int SPINS = 2_000;
    private static final long YIELD_NANOS = 200_000;
    private static final long NAP_NANOS = 20_000;

    private final int threads;
    private final Kernels kernels;
    private final Thread[] workers;
    /** Bumped by the caller for every step; workers start the step when they see it change. */
    private final AtomicInteger generation = new AtomicInteger();
    /** Workers still busy with the current step. */
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean closed;
    private volatile Throwable failure;

    // the step being done; written before generation is bumped, read after it is seen
    private double[] current;
    private double[] next;
    private int stride;
    private int cols;
    private int fromRow;
    private int toRow;
    private double factor;

    public StencilTeam(int threads, Kernels kernels) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " < 1");
        }
        this.threads = threads;
        this.kernels = kernels;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int member = i + 1;
            workers[i] = new Thread(() -> work(member), "halo-stencil-" + member);
            workers[i].setDaemon(true); // never keeps a failed run's JVM alive
            workers[i].start();
        }
    }

    /** {@link Stencil#step} of rows fromRow..toRow, split across the team; returns when all are done. */
    public void step(double[] current, double[] next, int stride, int cols, int fromRow, int toRow, double factor) {
        if (threads == 1 || toRow - fromRow + 1 < threads) {
            Stencil.step(kernels, current, next, stride, cols, fromRow, toRow, factor);
            return;
        }
        this.current = current;
        this.next = next;
        this.stride = stride;
        this.cols = cols;
        this.fromRow = fromRow;
        this.toRow = toRow;
        this.factor = factor;
        busy.set(workers.length);
        generation.incrementAndGet();
        stepBlock(0);
        long waitStart = 0;
        for (int spins = 0; busy.get() > 0; spins++) {
            waitStart = pause(spins, waitStart);
        }
        Throwable failed = failure;
        if (failed != null) {
            throw new IllegalStateException("stencil thread failed: " + failed, failed);
        }
    }

    /** The member's block of the rows: rows split as evenly as possible, in member order. */
    private void stepBlock(int member) {
        int rows = toRow - fromRow + 1;
        int first = fromRow + (int) ((long) rows * member / threads);
        int last = fromRow + (int) ((long) rows * (member + 1) / threads) - 1;
        Stencil.step(kernels, current, next, stride, cols, first, last, factor);
    }

    private void work(int member) {
        int seen = 0;
        while (true) {
            long waitStart = 0;
            for (int spins = 0; generation.get() == seen; spins++) {
                if (closed) {
                    return;
                }
                waitStart = pause(spins, waitStart);
            }
            seen = generation.get();
            try {
                stepBlock(member);
            } catch (Throwable e) {
                failure = e;
            }
            busy.decrementAndGet();
        }
    }

    /** One round of waiting: spin, then yield, then nap. Returns when the yielding began. */
    private static long pause(int spins, long yieldStart) {
        if (spins < SPINS) {
            Thread.onSpinWait();
            return yieldStart;
        }
        long now = System.nanoTime();
        if (spins == SPINS) {
            return now;
        }
        if (now - yieldStart < YIELD_NANOS) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(NAP_NANOS);
        }
        return yieldStart;
    }

    /** Ends the workers; the team cannot step after this. */
    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
