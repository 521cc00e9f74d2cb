package halo.diff2d;

import java.io.IOException;
import java.io.UncheckedIOException;

import halo.io.DensityImage;
import halo.io.Npy;
import halo.io.OutputQueue;
import halo.io.RunDirectory;
import halo.io.StripFile;
import halo.kernel.Field;
import halo.params.Diff2dParams;
import halo.parallel.Agreement;
import halo.parallel.Communicator;
import halo.parallel.RankOrder;
import halo.run.RunContext;
import halo.timing.Phase;
import halo.timing.PhaseTimer;

/**
 * The files a diff2d run writes of its field: with graphics, a snapshot every outtime
 * ({@code snapshot-NNNNN.npy} and {@code .png}), and {@code final.npy} at the end. Writing is
 * collective and no rank holds more than its own strip: every rank writes its own rows of
 * each {@code .npy} ({@link StripWrites}); for the picture, every rank samples the cells its
 * rows show ({@link DensityImage.Frame}) and only those, the picture's size at most, go to
 * rank 0, which draws it.
 *
 * <p>With background I/O a snapshot's rows (a copy of the strip) and picture are written on a
 * thread of their own, and the {@code .npy} is renamed into place, once every rank has
 * written its part, at the next output (or at {@link #finishSnapshots}): every collective
 * step stays on the ranks' main threads.
 */
final class FieldOutput implements AutoCloseable {

    /** A snapshot whose rows are being written; renamed into place once every rank's are on disk. */
    private static final class Pending {
        final StripFile npy;
        long crc;
        Exception failure;

        Pending(StripFile npy) {
            this.npy = npy;
        }
    }

    private final RunContext context;
    private final Communicator communicator;
    private final Diff2dParams params;
    private final Field field;
    private final StripWrites writes;
    private final boolean background;
    private final OutputQueue queue;
    private final DensityImage.Frame frame;
    /** This rank's rows for a snapshot written in the background, without ghost cells. */
    private double[] rowsCopy;
    private Pending pending;
    private int snapshots;

    FieldOutput(RunContext context, Diff2dParams params, Field field, StripWrites writes, boolean background) {
        this.context = context;
        this.communicator = context.communicator();
        this.params = params;
        this.field = field;
        this.writes = writes;
        this.background = background;
        this.queue = new OutputQueue(background);
        this.frame = new DensityImage.Frame(params.nrows(), params.ncols());
    }

    /** Collective: the snapshot of the field at {@code step}, numbered by outputs since step 0. */
    void snapshot(long step, double simtime) {
        PhaseTimer timer = context.timer();
        long t = timer.now();
        finishSnapshots(); // the previous snapshot is in place, and its copy of the rows free
        RunDirectory directory = context.directory();
        int index = (int) (step / params.nper()); // also counted from step 0 after a restart
        StripFile npy = Npy.file(directory.snapshotNpy(index), params.nrows(), params.ncols());
        write(() -> writes.create(npy));
        t = timer.stop(Phase.IO, t);
        double[] ownPixels = frame.sample(field.firstRow(), field.rows(), field.current(), writes.interiorOffset(),
                field.stride());
        double[] picture = RankOrder.concatenate(communicator, ownPixels, ownPixels.length);
        t = timer.stop(Phase.REDUCTION, t);

        double[] rows = background ? copyOfRows() : field.current();
        int offset = background ? 0 : writes.interiorOffset();
        int stride = background ? field.cols() : field.stride();
        String title = String.format("diff2d   simtime = %.4f   (step %d)", simtime, step);
        Pending snapshot = new Pending(npy);
        try {
            queue.submit(() -> {
                snapshot.crc = writes.writeOwnRows(npy, rows, offset, stride);
                if (picture != null) {
                    DensityImage.writePng(directory.snapshotPng(index), frame, picture, 0.0, 1.0, title);
                }
            });
        } catch (IOException | RuntimeException e) {
            snapshot.failure = e; // reported when all ranks agree on the snapshot
        }
        pending = snapshot;
        if (!background) {
            finishSnapshots();
        }
        snapshots++;
        timer.stop(Phase.IO, t);
    }

    /**
     * Collective: waits until this rank's part of the last snapshot is on disk, then, when every
     * rank's is, puts its {@code .npy} in place. A failure on any rank fails the run here.
     */
    void finishSnapshots() {
        Pending snapshot = pending;
        if (snapshot == null) {
            return;
        }
        pending = null;
        write(() -> {
            Agreement.onEveryRank(communicator, () -> {
                if (snapshot.failure instanceof IOException io) {
                    throw io;
                } else if (snapshot.failure != null) {
                    throw (RuntimeException) snapshot.failure;
                }
                queue.finish();
            }, writes.discard(snapshot.npy));
            writes.commit(snapshot.npy, snapshot.crc);
        });
    }

    /** Collective: {@code final.npy}, every rank its own rows, after every snapshot is in place. */
    void writeFinal() {
        PhaseTimer timer = context.timer();
        long t = timer.now();
        finishSnapshots(); // a snapshot that failed in the background fails the run before final.npy
        write(() -> writes.write(Npy.file(context.directory().finalField(), params.nrows(), params.ncols())));
        timer.stop(Phase.IO, t);
    }

    int snapshots() {
        return snapshots;
    }

    private double[] copyOfRows() {
        int cols = field.cols();
        if (rowsCopy == null) {
            rowsCopy = new double[Math.multiplyExact(field.rows(), cols)];
        }
        for (int row = 0; row < field.rows(); row++) {
            System.arraycopy(field.current(), writes.interiorOffset() + row * field.stride(), rowsCopy, row * cols,
                    cols);
        }
        return rowsCopy;
    }

    private static void write(OutputQueue.Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the writer thread; a snapshot left unfinished by a failure leaves no temporary file. */
    @Override
    public void close() {
        queue.close();
        if (pending != null) {
            writes.discard(pending.npy).run();
        }
    }
}
