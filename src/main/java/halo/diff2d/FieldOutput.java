package halo.diff2d;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import halo.io.AnimatedGif;
import halo.io.DensityImage;
import halo.io.Hdf5Field;
import halo.io.OutputQueue;
import halo.io.StripFile;
import halo.kernel.Field;
import halo.params.Diff2dParams;
import halo.params.FieldFormats;
import halo.parallel.Agreement;
import halo.parallel.Communicator;
import halo.parallel.RankOrder;
import halo.run.RunContext;
import halo.timing.PhaseTimer;
import halo.timing.Span;

/**
 * The files a diff2d run writes of its field, in the formats of --format ({@link FieldFiles}):
 * with graphics, a snapshot every outtime (e.g. {@code snapshot-NNNNN.npy} and {@code .png})
 * and {@code snapshots.gif}, the snapshots' pictures as an animation; and the final field at the
 * end (e.g. {@code final.npy}). Writing is collective and, but for HDF5, no rank holds more than
 * its own strip: every rank writes its own rows of each {@code .npy} and {@code .vti}
 * ({@link StripWrites}); for the picture, every rank samples the cells its rows show
 * ({@link DensityImage.Frame}) and only those, the picture's size at most, go to rank 0, which
 * draws it. HDF5 alone gathers the whole field on rank 0, as jHDF writes from one array.
 *
 * <p>With background I/O a snapshot's rows (a copy of the strip), picture and HDF5 file are
 * written on a thread of their own, and the strip files are renamed into place, once every rank
 * has written its part, at the next output (or at {@link #finishSnapshots}): every collective
 * step stays on the ranks' main threads.
 */
final class FieldOutput implements AutoCloseable {

    /** A snapshot being written; its strip files renamed into place once every rank's rows are on disk. */
    private static final class Pending {
        final FieldFiles.Output files;
        final List<StripFile> strips;
        final long[] crcs;
        Exception failure;

        Pending(FieldFiles.Output files) {
            this.files = files;
            this.strips = files.strips();
            this.crcs = new long[strips.size()];
        }
    }

    private final RunContext context;
    private final Communicator communicator;
    private final Diff2dParams params;
    private final FieldFormats formats;
    private final Field field;
    private final StripWrites writes;
    private final OutputQueue queue;
    private final boolean background;
    private final FieldFiles files;
    private final DensityImage.Frame frame;
    /** With graphics, on rank 0: snapshots.gif, a frame added as each snapshot's picture is written. */
    private final AnimatedGif animation;
    /** This rank's rows for a snapshot written in the background, without ghost cells. */
    private double[] rowsCopy;
    private Pending pending;
    private int snapshots;

    FieldOutput(RunContext context, Diff2dParams params, FieldFormats formats, Field field, StripWrites writes,
                boolean background) {
        this.context = context;
        this.communicator = context.communicator();
        this.params = params;
        this.formats = formats;
        this.field = field;
        this.writes = writes;
        this.background = background;
        this.queue = new OutputQueue(background);
        this.files = new FieldFiles(context.directory(), formats, params);
        this.frame = new DensityImage.Frame(params.nrows(), params.ncols());
        this.animation = params.graphics() && communicator.isRoot()
                ? AnimatedGif.open(context.directory().path().resolve(AnimatedGif.FILE_NAME),
                        (int) (params.nsteps() / params.nper()) + 1)
                : null;
    }

    /** Collective: the snapshot of the field at {@code step}, numbered by outputs since step 0. */
    void snapshot(long step, double simtime) {
        PhaseTimer timer = context.timer();
        long t = timer.now();
        finishSnapshots(); // the previous snapshot is in place, and its copy of the rows free
        t = timer.stop(Span.SNAPSHOTS_ON_DISK, t);
        int index = (int) (step / params.nper()); // also counted from step 0 after a restart
        Pending snapshot = new Pending(files.snapshot(index, simtime, step, true));
        write(() -> {
            for (StripFile strip : snapshot.strips) {
                writes.create(strip);
            }
        });
        t = timer.stop(Span.OPEN_SNAPSHOT_FILES, t);
        double[] ownPixels = frame.sample(field.firstRow(), field.rows(), field.current(), writes.interiorOffset(),
                field.stride());
        double[] picture = RankOrder.concatenate(communicator, ownPixels, ownPixels.length);
        t = timer.stop(Span.GATHER_PICTURE, t);
        double[] whole = files.wholeFieldNeeded() ? gatherWholeField(snapshot.files) : null; // null off rank 0
        if (files.wholeFieldNeeded()) {
            t = timer.stop(Span.GATHER_FOR_HDF5, t);
        }

        double[] rows = background ? copyOfRows() : field.current();
        int offset = background ? 0 : writes.interiorOffset();
        int stride = background ? field.cols() : field.stride();
        String title = String.format("diff2d   simtime = %.4f   (step %d)", simtime, step);
        try {
            queue.submit(() -> {
                for (int i = 0; i < snapshot.strips.size(); i++) {
                    snapshot.crcs[i] = writes.writeOwnRows(snapshot.strips.get(i), rows, offset, stride);
                }
                if (picture != null) {
                    DensityImage.writePng(snapshot.files.png(), frame, picture, 0.0, 1.0, title);
                    animation.add(index, snapshot.files.png());
                }
                if (whole != null) {
                    FieldFiles.writeHdf5(snapshot.files, whole, 1, field.stride());
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
        timer.stop(Span.WRITE_SNAPSHOT_ROWS, t);
    }

    /**
     * Collective: waits until this rank's part of the last snapshot is on disk, then, when every
     * rank's is, puts its strip files in place (and, on rank 0, lists them). A failure on any rank
     * fails the run here.
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
            }, discardAll(snapshot.strips));
            for (int i = 0; i < snapshot.strips.size(); i++) {
                writes.commit(snapshot.strips.get(i), snapshot.crcs[i]);
            }
            onRankZero(() -> files.placed(snapshot.files));
        });
    }

    /**
     * Collective: the final field's files, every rank its own rows of the {@code .npy} and
     * {@code .vti}, after every snapshot is in place; then rank 0's {@code .h5} and the GIF.
     */
    void writeFinal(double simtime) {
        PhaseTimer timer = context.timer();
        long t = timer.now();
        finishSnapshots(); // a snapshot that failed in the background fails the run before final.npy
        t = timer.stop(Span.SNAPSHOTS_ON_DISK, t);
        FieldFiles.Output last = files.finalField(simtime, params.nsteps());
        write(() -> {
            for (StripFile strip : last.strips()) {
                writes.write(strip);
            }
        });
        t = timer.stop(Span.WRITE_FINAL_ROWS, t);
        double[] whole = files.wholeFieldNeeded() ? gatherWholeField(last) : null; // null off rank 0
        if (files.wholeFieldNeeded()) {
            t = timer.stop(Span.GATHER_FOR_HDF5, t);
        }
        write(() -> onRankZero(() -> {
            if (whole != null) {
                FieldFiles.writeHdf5(last, whole, 1, field.stride());
            }
            files.placed(last);
            if (animation != null) {
                animation.finish();
            }
        }));
        timer.stop(Span.FINAL_FIELD, t);
    }

    int snapshots() {
        return snapshots;
    }

    /** On rank 0, once {@link #writeFinal} is done: the files written, by kind ({@link FieldFiles#written}). */
    Map<String, List<String>> files() {
        Map<String, List<String>> written = new LinkedHashMap<>(files.written());
        if (animation != null) {
            written.put("gif", List.of(AnimatedGif.FILE_NAME));
        }
        return written;
    }

    /** The formats of --format: {@code npy,vtk}. */
    String formats() {
        return formats.toString();
    }

    /** The final field's file in the first of npy, vtk, hdf5 that the run writes. */
    String finalFile() {
        return files.finalName();
    }

    /**
     * Collective: the whole field on rank 0 (null elsewhere), rows of {@link Field#stride()} with
     * their ghost columns, for the HDF5 file of {@code output}; every rank's strip is sent whole,
     * in rank order. Rank 0 first makes room for it, and a field too large is one line for all.
     */
    private double[] gatherWholeField(FieldFiles.Output output) {
        double[][] whole = {null};
        write(() -> onRankZero(() -> whole[0] = Hdf5Field.wholeField(output.h5(), params.nrows(), params.ncols(),
                field.stride())));
        return RankOrder.concatenate(communicator, field.current(), field.rowStart(field.firstInteriorRow()),
                field.rows() * field.stride(), whole[0]);
    }

    /** Collective: {@code step} on rank 0, agreed by every rank, so that its failure fails them all. */
    private void onRankZero(Agreement.Step step) throws IOException {
        Agreement.onEveryRank(communicator, () -> {
            if (communicator.isRoot()) {
                step.run();
            }
        }, () -> { });
    }

    private Runnable discardAll(List<StripFile> strips) {
        return () -> {
            for (StripFile strip : strips) {
                writes.discard(strip).run();
            }
        };
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
            discardAll(pending.strips).run();
        }
        if (animation != null) {
            animation.close();
        }
    }
}
