package halo.diff2d;

import java.io.IOException;

import halo.io.StripFile;
import halo.kernel.Field;
import halo.parallel.Agreement;
import halo.parallel.BlockPartition;
import halo.parallel.Communicator;

/**
 * Files of the whole field ({@code final.npy}, snapshots, checkpoints) written by every rank at
 * once, each its own rows, so that no rank ever holds more than its strip: rank 0 creates the
 * temporary file with the head, every rank writes its rows into their byte range and forces
 * them to disk, then rank 0 adds the CRC and renames the file into place ({@link StripFile}).
 * Each step is agreed by all ranks before the next: a failure on any rank removes the
 * temporary file and fails every rank, reported once ({@link Agreement}). The run directory
 * must be on a file system every rank sees ({@code halo.run.SharedDirectory} checks it).
 */
final class StripWrites {

    private final Communicator communicator;
    private final Field field;
    private final long[] rowsPerRank;

    StripWrites(Communicator communicator, BlockPartition rows, Field field) {
        this.communicator = communicator;
        this.field = field;
        this.rowsPerRank = new long[communicator.size()];
        for (int r = 0; r < rowsPerRank.length; r++) {
            rowsPerRank[r] = rows.count(r);
        }
    }

    /** Collective: the whole file from the field as it is now. */
    void write(StripFile file) throws IOException {
        create(file);
        long[] crc = {0};
        Agreement.onEveryRank(communicator,
                () -> crc[0] = writeOwnRows(file, field.current(), interiorOffset(), field.stride()), discard(file));
        commit(file, crc[0]);
    }

    /** Collective: the temporary file, holding the head, exists for every rank to write into. */
    void create(StripFile file) throws IOException {
        Agreement.onEveryRank(communicator, () -> {
            if (communicator.isRoot()) {
                file.create();
            }
        }, discard(file));
    }

    /**
     * This rank's rows, the rows×cols block of {@code rows} at {@code offset} ({@code stride}
     * apart), into their place; not collective, so that it can run in the background. Returns
     * their CRC-32 for {@link #commit}.
     */
    long writeOwnRows(StripFile file, double[] rows, int offset, int stride) throws IOException {
        return file.writeRows(field.firstRow(), rows, offset, field.rows(), stride);
    }

    /** Collective, once every rank's rows are on disk (agreed): rank 0's CRC trailer and rename. */
    void commit(StripFile file, long ownRowsCrc) throws IOException {
        double[] crcs = communicator.gatherToRoot(new double[] {ownRowsCrc}); // 32 bits: exact in a double
        Agreement.onEveryRank(communicator, () -> {
            if (communicator.isRoot()) {
                long[] each = new long[crcs.length];
                for (int r = 0; r < each.length; r++) {
                    each[r] = (long) crcs[r];
                }
                file.commit(each, rowsPerRank);
            }
        }, discard(file));
    }

    /** Every rank agrees that a step failed: rank 0 removes the temporary file. */
    Runnable discard(StripFile file) {
        return () -> {
            if (communicator.isRoot()) {
                file.discard();
            }
        };
    }

    /** Index of this rank's first interior cell in {@link Field#current()}. */
    int interiorOffset() {
        return field.rowStart(field.firstInteriorRow()) + 1;
    }
}
