package halo.diff2d;

import java.io.IOException;
import java.io.UncheckedIOException;

import halo.io.DensityImage;
import halo.io.Npy;
import halo.io.OutputQueue;
import halo.io.RunDirectory;
import halo.kernel.Field;
import halo.params.Diff2dParams;
import halo.parallel.StripGather;
import halo.run.RunContext;
import halo.timing.PhaseTimer;
import halo.timing.Span;

/**
 * The files a diff2d run writes of its field: with graphics, a snapshot every outtime
 * ({@code snapshot-NNNNN.npy} and {@code .png}, on a thread of their own with background I/O),
 * and {@code final.npy} at the end. Writing is collective: every rank's rows are gathered on
 * rank 0, which writes.
 */
final class FieldOutput implements AutoCloseable {

    private final RunContext context;
    private final Diff2dParams params;
    private final Field field;
    private final StripGather gather;
    private final boolean background;
    private final OutputQueue queue;
    private int snapshots;

    FieldOutput(RunContext context, Diff2dParams params, Field field, StripGather gather, boolean background) {
        this.context = context;
        this.params = params;
        this.field = field;
        this.gather = gather;
        this.background = background;
        this.queue = new OutputQueue(background);
    }

    /** Collective: the snapshot of the field at {@code step}, numbered by outputs since step 0. */
    void snapshot(long step, double simtime) {
        PhaseTimer timer = context.timer();
        long t = timer.now();
        double[] gathered = gatherField();
        t = timer.stop(Span.GATHER_SNAPSHOT, t);
        if (context.communicator().isRoot()) {
            // the gather reuses its array: a queued write gets a copy of its own
            double[] global = background ? gathered.clone() : gathered;
            RunDirectory directory = context.directory();
            int index = (int) (step / params.nper()); // also counted from step 0 after a restart
            String title = String.format("diff2d   simtime = %.4f   (step %d)", simtime, step);
            int stride = field.stride();
            write(() -> queue.submit(() -> {
                Npy.write(directory.snapshotNpy(index), global, 1, params.nrows(), params.ncols(), stride);
                DensityImage.writePng(directory.snapshotPng(index), global, 1,
                        params.nrows(), params.ncols(), stride, 0.0, 1.0, title);
            }));
        }
        snapshots++;
        timer.stop(Span.SNAPSHOT, t);
    }

    /** Waits until every snapshot is on disk; one that failed in the background fails the run here. */
    void finishSnapshots() {
        write(queue::finish);
    }

    /**
     * Collective: gathers the field and writes {@code final.npy} on rank 0. Returns the whole
     * field on rank 0 (rows of {@link Field#stride()}), null elsewhere.
     */
    double[] writeFinal() {
        PhaseTimer timer = context.timer();
        long t = timer.now();
        finishSnapshots(); // a snapshot that failed in the background fails the run before final.npy
        t = timer.stop(Span.SNAPSHOTS_ON_DISK, t);
        double[] global = gatherField();
        t = timer.stop(Span.GATHER_FINAL, t);
        if (context.communicator().isRoot()) {
            write(() -> Npy.write(context.directory().finalField(), global, 1,
                    params.nrows(), params.ncols(), field.stride()));
        }
        timer.stop(Span.FINAL_FIELD, t);
        return global;
    }

    int snapshots() {
        return snapshots;
    }

    private double[] gatherField() {
        return gather.gather(field.current(), field.rowStart(field.firstInteriorRow()));
    }

    private static void write(OutputQueue.Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        queue.close();
    }
}
