package halo.diff2d;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import halo.io.AnimatedGif;
import halo.io.OutputQueue;
import halo.kernel.Field;
import halo.params.Diff2dParams;
import halo.params.FieldFormats;
import halo.parallel.StripGather;
import halo.run.RunContext;
import halo.timing.PhaseTimer;
import halo.timing.Span;

/**
 * The files a diff2d run writes of its field, in the formats of --format ({@link FieldFiles}):
 * with graphics, a snapshot every outtime (e.g. {@code snapshot-NNNNN.npy} and {@code .png}, on
 * a thread of their own with background I/O) and {@code snapshots.gif}, the snapshots as an
 * animation; and the final field at the end (e.g. {@code final.npy}). Writing is collective:
 * every rank's rows are gathered on rank 0, which writes.
 */
final class FieldOutput implements AutoCloseable {

    private final RunContext context;
    private final Diff2dParams params;
    private final Field field;
    private final StripGather gather;
    private final boolean background;
    private final OutputQueue queue;
    private final FieldFormats formats;
    private final FieldFiles files; // rank 0's, null elsewhere
    /** With graphics, on rank 0: snapshots.gif, a frame added as each snapshot is written. */
    private final AnimatedGif animation;
    private int snapshots;

    FieldOutput(RunContext context, Diff2dParams params, FieldFormats formats, Field field, StripGather gather,
                boolean background) {
        this.context = context;
        this.params = params;
        this.field = field;
        this.gather = gather;
        this.background = background;
        this.queue = new OutputQueue(background);
        this.formats = formats;
        this.files = context.communicator().isRoot() ? new FieldFiles(context.directory(), formats, params) : null;
        this.animation = params.graphics() && context.communicator().isRoot()
                ? AnimatedGif.open(context.directory().path().resolve(AnimatedGif.FILE_NAME),
                        (int) (params.nsteps() / params.nper()) + 1)
                : null;
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
            int index = (int) (step / params.nper()); // also counted from step 0 after a restart
            write(() -> queue.submit(() -> {
                files.snapshot(index, global, field.stride(), simtime, step);
                animation.add(index, context.directory().snapshotPng(index));
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
     * Collective: gathers the field and writes {@code final.npy}, ... on rank 0. Returns the whole
     * field on rank 0 (rows of {@link Field#stride()}), null elsewhere.
     */
    double[] writeFinal(double simtime) {
        PhaseTimer timer = context.timer();
        long t = timer.now();
        finishSnapshots(); // a snapshot that failed in the background fails the run before final.npy
        t = timer.stop(Span.SNAPSHOTS_ON_DISK, t);
        double[] global = gatherField();
        t = timer.stop(Span.GATHER_FINAL, t);
        if (context.communicator().isRoot()) {
            write(() -> files.finalField(global, field.stride(), simtime, params.nsteps()));
            if (animation != null) {
                write(animation::finish);
            }
        }
        timer.stop(Span.FINAL_FIELD, t);
        return global;
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

    /** On rank 0: the final field's file in the first of npy, vtk, hdf5 that the run writes. */
    String finalFile() {
        return files.finalName();
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
        if (animation != null) {
            animation.close();
        }
    }
}
