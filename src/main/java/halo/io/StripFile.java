package halo.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * A file of a head, then the rows×cols values of a field as little-endian float64, row after
 * row, then a fixed tail (a {@code .vti}'s closing XML) or, for a checkpoint, a CRC-32 of every
 * byte before it: {@code final.npy}, {@code final.vti}, the snapshot {@code .npy} and
 * {@code .vti} files and {@code checkpoint.bin}. Several writers fill it at once, each its own
 * rows at their place, so no writer ever holds more than its own rows; the bytes are those one
 * writer of the whole field would write.
 *
 * <p>It is written aside and renamed, so readers see the whole file or the previous one (see
 * {@link AtomicFile}), in three steps, each of which must have succeeded for every writer before
 * the next begins (the caller agrees on that):
 * <ol>
 * <li>{@link #create}: one writer (the head's) makes the temporary file, holding the head and
 *     the tail at their places;</li>
 * <li>{@link #writeRows}: every writer, its rows, forced to disk; it returns their CRC-32;</li>
 * <li>{@link #commit}: the head's writer adds the CRC trailer, made from the writers' CRCs
 *     ({@link Crc32#combine}) without reading their rows, and renames the file into place.</li>
 * </ol>
 * After a failure anywhere, {@link #discard} removes the temporary file. All offsets are
 * {@code long}: a file of a large grid is far beyond 2 GiB.
 */
public final class StripFile {

    /** Rows are encoded a chunk at a time: the memory a write costs, whatever the strip. */
    private static final int CHUNK_BYTES = 1 << 20;
    private static final int CRC_BYTES = 4;

    private final Path target;
    private final byte[] head;
    private final int rows;
    private final int cols;
    private final byte[] tail;
    private final boolean crcTrailer;

    /** A file whose rows are followed by {@code tail}, known in advance. */
    StripFile(Path target, byte[] head, int rows, int cols, byte[] tail) {
        this(target, head, rows, cols, tail, false);
    }

    /** A file whose rows are followed by nothing, or by the CRC-32 of all bytes before it. */
    StripFile(Path target, byte[] head, int rows, int cols, boolean crcTrailer) {
        this(target, head, rows, cols, new byte[0], crcTrailer);
    }

    private StripFile(Path target, byte[] head, int rows, int cols, byte[] tail, boolean crcTrailer) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("an empty " + rows + "x" + cols + " field");
        }
        this.target = target;
        this.head = head.clone();
        this.rows = rows;
        this.cols = cols;
        this.tail = tail.clone();
        this.crcTrailer = crcTrailer;
    }

    public Path target() {
        return target;
    }

    /** Bytes of the whole file. */
    public long length() {
        return tailOffset() + tail.length + (crcTrailer ? CRC_BYTES : 0);
    }

    /** Step 1, by the head's writer: a fresh temporary file holding the head and the tail. */
    public void create() throws IOException {
        AtomicFile.createShared(target, head, tailOffset(), tail);
    }

    /**
     * Step 2, by every writer: global rows {@code firstRow} to {@code firstRow + count - 1}, from
     * the rows×cols block of {@code data} at {@code offset} whose rows are {@code rowStride}
     * apart, into their place in the temporary file, forced to disk.
     *
     * @return the CRC-32 of the bytes written (0 for a file without a CRC trailer)
     */
    public long writeRows(long firstRow, double[] data, int offset, int count, int rowStride) throws IOException {
        Block.check(data, offset, count, cols, rowStride);
        if (firstRow < 0 || firstRow + count > rows) {
            throw new IllegalArgumentException("rows " + firstRow + " to " + (firstRow + count - 1) + " of " + rows);
        }
        CRC32 crc = new CRC32();
        int rowsPerChunk = (int) Math.max(1, Math.min(count, CHUNK_BYTES / rowBytes()));
        int[] next = {0};
        AtomicFile.writeAt(target, head.length + rowBytes() * firstRow, Math.toIntExact(rowBytes() * rowsPerChunk),
                buffer -> {
                    if (next[0] == count) {
                        return false;
                    }
                    int last = (int) Math.min(count, (long) next[0] + rowsPerChunk);
                    DoubleBuffer values = buffer.asDoubleBuffer();
                    for (int row = next[0]; row < last; row++) {
                        values.put(data, offset + row * rowStride, cols);
                    }
                    buffer.position(values.position() * Double.BYTES);
                    if (crcTrailer) {
                        crc.update(buffer.array(), 0, buffer.position());
                    }
                    next[0] = last;
                    return true;
                });
        return crcTrailer ? crc.getValue() : 0;
    }

    /**
     * Step 3, by the head's writer once every writer's rows are on disk: the CRC trailer, from
     * the CRC-32 of each writer's rows in row order ({@code crcs[i]} of {@code counts[i]} rows),
     * then the rename over the target.
     */
    public void commit(long[] crcs, long[] counts) throws IOException {
        if (crcTrailer) {
            CRC32 headCrc = new CRC32();
            headCrc.update(head);
            long crc = headCrc.getValue();
            long covered = 0;
            for (int part = 0; part < crcs.length; part++) {
                crc = Crc32.combine(crc, crcs[part], rowBytes() * counts[part]);
                covered += counts[part];
            }
            if (covered != rows) {
                throw new IllegalArgumentException("CRCs of " + covered + " rows for a file of " + rows);
            }
            int value = (int) crc;
            AtomicFile.writeAt(target, length() - CRC_BYTES, CRC_BYTES, new AtomicFile.Chunks() {
                private boolean done;

                @Override
                public boolean fill(ByteBuffer buffer) {
                    if (done) {
                        return false;
                    }
                    buffer.order(ByteOrder.LITTLE_ENDIAN).putInt(value);
                    done = true;
                    return true;
                }
            });
        }
        AtomicFile.commit(target);
    }

    /** After a failure anywhere: the temporary file is removed, the target left as it was. */
    public void discard() {
        AtomicFile.discard(target);
    }

    /** The three steps by one writer that holds the whole rows×cols block. */
    void writeWhole(double[] data, int offset, int rowStride) throws IOException {
        Block.check(data, offset, rows, cols, rowStride);
        try {
            create();
            long crc = writeRows(0, data, offset, rows, rowStride);
            commit(new long[] {crc}, new long[] {rows});
        } catch (IOException | RuntimeException | Error failure) {
            discard();
            throw failure;
        }
    }

    private long tailOffset() {
        return head.length + rowBytes() * rows;
    }

    private long rowBytes() {
        return (long) Double.BYTES * cols;
    }
}
