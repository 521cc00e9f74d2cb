package halo.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A diff2d checkpoint: all a run needs to go on from a time step exactly as if it had never
 * stopped, in one file that is written whole or not at all and checked whole when read.
 *
 * <p>Format version 1, every number little-endian (as in {@code .npy}):
 * <pre>
 * offset   bytes        content
 *  0       8            magic: the ASCII characters HALOCKPT
 *  8       4            format version: 1 (int32)
 * 12       8            step: time steps done (int64)
 * 20       8            simtime: the IEEE 754 bits of the simulated time (int64), exact, so
 *                       that simtime += dt goes on giving the same doubles
 * 28       4            rows: interior rows of the field, nrows (int32)
 * 32       4            cols: interior columns, ncols (int32)
 * 36       4            P: length in bytes of the parameter text (int32)
 * 40       P            parameters: UTF-8 text, one "name=value" line each, values as Java
 *                       writes them (a double reads back as the same double)
 * 40+P     8·rows·cols  the field: the interior cells in global row order, row-major, float64
 * end-4    4            CRC-32 (zlib's, java.util.zip.CRC32) of every byte before it
 * </pre>
 *
 * <p>Written as a {@link StripFile}, each rank its own rows: to a hidden temporary file beside
 * it, forced to disk, then renamed over the previous checkpoint, so a crash or a full disk
 * during a write leaves the previous checkpoint as it was.
 *
 * <p>Read the same way, each reader its own rows, so that no reader reads the whole field:
 * {@link #open} reads the head and the CRC trailer and checks the magic, the version, the
 * length the header implies and that the step and simtime are possible; each reader then reads
 * or checks its rows ({@link #readRows}, {@link #checkRows}), which gives their CRC-32 and their
 * first value that is not finite; and {@link #verify} judges the whole file from all readers'
 * parts: the CRC they combine to ({@link Crc32#combine}) against the stored one, then finite
 * values only (a checkpoint written wrong, or made by hand, is refused before a run starts from
 * it). Each failure is one line naming the file.
 */
public final class Checkpoint {

    /** Format version this class writes and reads. */
    public static final int VERSION = 1;

    private static final byte[] MAGIC = "HALOCKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int FIXED_HEADER_BYTES = 40;
    private static final int CRC_BYTES = 4;
    /** Rows are read a chunk at a time: the memory a read costs, whatever the strip. */
    private static final int CHUNK_BYTES = 1 << 20;

    /**
     * What a checkpoint says besides the field.
     *
     * @param simtime    the simulated time, bit for bit
     * @param parameters name to value, in the order written
     */
    public record Header(long step, double simtime, int rows, int cols, Map<String, String> parameters) {
        public Header {
            parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }
    }

    /**
     * What one reader found in {@code count} rows of the field from global row {@code firstRow}:
     * the CRC-32 of their bytes, and the first value that is not finite, as its place in the
     * whole field ({@code row * cols + column}), or -1 when every value is finite.
     */
    public record Rows(int firstRow, int count, long crc, long firstNonFinite, double nonFiniteValue) {}

    /** How the file is opened for reading: {@link FileChannel#open}, or a test's channel that watches the reads. */
    @FunctionalInterface
    interface Channels {
        FileChannel open(Path file) throws IOException;
    }

    private final Path file;
    private final Channels channels;
    private final Header header;
    private final long fieldStart;
    /** CRC-32 of the bytes before the field. */
    private final long headCrc;
    private final int storedCrc;

    private Checkpoint(Path file, Channels channels, Header header, long fieldStart, long headCrc, int storedCrc) {
        this.file = file;
        this.channels = channels;
        this.header = header;
        this.fieldStart = fieldStart;
        this.headCrc = headCrc;
        this.storedCrc = storedCrc;
    }

    public Path file() {
        return file;
    }

    public Header header() {
        return header;
    }

    /**
     * Writes (or atomically replaces) a checkpoint whose field is the rows×cols block of
     * {@code data} at {@code offset}, rows {@code rowStride} apart.
     */
    public static void write(Path file, Header header, double[] data, int offset, int rowStride) throws IOException {
        Block.check(data, offset, header.rows(), header.cols(), rowStride);
        file(file, header).writeWhole(data, offset, rowStride);
    }

    /** A checkpoint that several writers fill, each its own rows of the field (see {@link StripFile}). */
    public static StripFile file(Path file, Header header) {
        byte[] parameters = parameterText(header.parameters()).getBytes(StandardCharsets.UTF_8);
        ByteBuffer head = ByteBuffer.allocate(FIXED_HEADER_BYTES + parameters.length).order(ByteOrder.LITTLE_ENDIAN)
                .put(MAGIC).putInt(VERSION).putLong(header.step())
                .putLong(Double.doubleToRawLongBits(header.simtime()))
                .putInt(header.rows()).putInt(header.cols()).putInt(parameters.length).put(parameters);
        return new StripFile(file, head.array(), header.rows(), header.cols(), true);
    }

    /**
     * Opens a checkpoint, reading only its head and its CRC trailer, and checks them: magic,
     * version, the length the header implies, a possible step and simtime, the parameter text.
     * The field's bytes are checked by its readers ({@link #checkRows}, {@link #readRows}) and
     * judged whole by {@link #verify}.
     *
     * @throws IOException with a one-line message naming the file and what is wrong
     */
    public static Checkpoint open(Path file) throws IOException {
        return open(file, path -> FileChannel.open(path, StandardOpenOption.READ));
    }

    static Checkpoint open(Path file, Channels channels) throws IOException {
        try (FileChannel channel = channels.open(file)) {
            long size = channel.size();
            if (size < FIXED_HEADER_BYTES + CRC_BYTES) {
                throw damaged(file, "truncated: " + size + " bytes, shorter than any checkpoint");
            }
            ByteBuffer fixed = readFully(channel, 0, FIXED_HEADER_BYTES);
            byte[] magic = new byte[MAGIC.length];
            fixed.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw damaged(file, "not a Halo checkpoint (it does not start with HALOCKPT)");
            }
            int version = fixed.getInt();
            if (version != VERSION) {
                throw damaged(file, "checkpoint format version " + version + "; this Halo reads version " + VERSION);
            }
            long step = fixed.getLong();
            double simtime = Double.longBitsToDouble(fixed.getLong());
            int rows = fixed.getInt();
            int cols = fixed.getInt();
            int parameterBytes = fixed.getInt();
            if (rows < 1 || cols < 1 || parameterBytes < 0) {
                throw damaged(file, "corrupt header: " + rows + "x" + cols + " field, " + parameterBytes
                        + " bytes of parameters");
            }
            if (step < 0 || !Double.isFinite(simtime) || simtime < 0) {
                throw damaged(file, "impossible content: step " + step + ", simtime " + simtime
                        + " (a run reaches step 0 or later, at a finite simtime of 0 or more)");
            }
            long expected = FIXED_HEADER_BYTES + parameterBytes + 8L * rows * cols + CRC_BYTES;
            if (size != expected) {
                throw damaged(file, (size < expected ? "truncated: " : "too long: ") + size + " bytes, expected "
                        + expected + " for a " + rows + "x" + cols + " field");
            }
            ByteBuffer parameters = readFully(channel, FIXED_HEADER_BYTES, parameterBytes);
            CRC32 headCrc = new CRC32();
            headCrc.update(fixed.rewind());
            headCrc.update(parameters);
            int storedCrc = readFully(channel, size - CRC_BYTES, CRC_BYTES).getInt();
            String text = decode(file, parameters.rewind());
            return new Checkpoint(file, channels, new Header(step, simtime, rows, cols, parameters(file, text)),
                    FIXED_HEADER_BYTES + parameterBytes, headCrc.getValue(), storedCrc);
        } catch (CheckpointDamaged damaged) {
            throw damaged;
        } catch (IOException failure) {
            throw cannotRead(file, failure);
        }
    }

    /**
     * Reads {@code count} rows of the field, from global row {@code firstRow} (0-based), into the
     * rows×cols block of {@code data} at {@code offset} whose rows are {@code rowStride} apart,
     * reading no other part of the file.
     *
     * @return their CRC-32 and first value that is not finite, as {@link #checkRows} gives them
     */
    public Rows readRows(int firstRow, int count, double[] data, int offset, int rowStride) throws IOException {
        Block.check(data, offset, count, header.cols(), rowStride);
        return scan(firstRow, count, (values, row) -> values.get(data, offset + row * rowStride, header.cols()));
    }

    /**
     * Reads {@code count} rows of the field from global row {@code firstRow} as {@link #readRows}
     * does, keeping none of them: this reader's part of checking the whole file ({@link #verify}).
     */
    public Rows checkRows(int firstRow, int count) throws IOException {
        return scan(firstRow, count, null);
    }

    /**
     * The verdict on the whole file from its readers' parts ({@link #checkRows}), given in row
     * order and together covering every row: first the CRC-32 they combine to, after the head's,
     * against the stored one (a damaged file is what the user must hear of), then that every
     * value is finite (a field the CRC protects may still have been written wrong, and a NaN
     * would spread through the whole run unseen until its end).
     *
     * @throws IOException with a one-line message naming the file and, for a value that is not
     *                     finite, the first one's row and column
     */
    public void verify(List<Rows> parts) throws IOException {
        long rowBytes = (long) Double.BYTES * header.cols();
        long crc = headCrc;
        int next = 0;
        for (Rows part : parts) {
            if (part.firstRow() != next) {
                throw new IllegalArgumentException("a part from row " + part.firstRow() + " where row " + next
                        + " comes next");
            }
            crc = Crc32.combine(crc, part.crc(), rowBytes * part.count());
            next += part.count();
        }
        if (next != header.rows()) {
            throw new IllegalArgumentException("parts of " + next + " rows for a field of " + header.rows());
        }
        if (storedCrc != (int) crc) {
            throw damaged(file, String.format("corrupt: its CRC-32 is %08x, the bytes give %08x", storedCrc, (int) crc));
        }
        for (Rows part : parts) {
            if (part.firstNonFinite() >= 0) {
                throw damaged(file, "impossible content: the field holds " + part.nonFiniteValue() + " at row "
                        + part.firstNonFinite() / header.cols() + ", column " + part.firstNonFinite() % header.cols()
                        + " (finite numbers only)");
            }
        }
    }

    /** Where a reader's rows go, one row at a time: {@code row} counts from the first row read. */
    @FunctionalInterface
    private interface RowSink {
        void take(DoubleBuffer values, int row);
    }

    /**
     * Reads rows {@code firstRow} to {@code firstRow + count - 1} in chunks of whole rows (1 MiB,
     * or one row if larger), giving each row to {@code sink} (if any) while taking their CRC-32
     * and looking for a value that is not finite.
     */
    private Rows scan(int firstRow, int count, RowSink sink) throws IOException {
        int cols = header.cols();
        if (firstRow < 0 || count < 0 || (long) firstRow + count > header.rows()) {
            throw new IllegalArgumentException("rows " + firstRow + " to " + ((long) firstRow + count - 1)
                    + " of a checkpoint with " + header.rows());
        }
        long rowBytes = (long) Double.BYTES * cols;
        int rowsPerChunk = (int) Math.max(1, Math.min(count, CHUNK_BYTES / rowBytes));
        CRC32 crc = new CRC32();
        long firstNonFinite = -1;
        double nonFinite = 0;
        try (FileChannel channel = channels.open(file)) {
            ByteBuffer chunk = ByteBuffer.allocate(Math.toIntExact(rowBytes * rowsPerChunk)).order(ByteOrder.LITTLE_ENDIAN);
            for (int done = 0; done < count; done += rowsPerChunk) {
                int rows = Math.min(rowsPerChunk, count - done);
                chunk.clear().limit(Math.toIntExact(rows * rowBytes));
                readFully(channel, fieldStart + (firstRow + done) * rowBytes, chunk);
                DoubleBuffer values = chunk.asDoubleBuffer();
                for (int i = 0; firstNonFinite < 0 && i < values.limit(); i++) {
                    if (!Double.isFinite(values.get(i))) {
                        firstNonFinite = (long) (firstRow + done) * cols + i;
                        nonFinite = values.get(i);
                    }
                }
                for (int row = 0; sink != null && row < rows; row++) {
                    sink.take(values.position(row * cols), done + row);
                }
                crc.update(chunk.rewind());
            }
        } catch (IOException failure) {
            throw cannotRead(file, failure);
        }
        return new Rows(firstRow, count, crc.getValue(), firstNonFinite, nonFinite);
    }

    private static String parameterText(Map<String, String> parameters) {
        StringBuilder text = new StringBuilder();
        parameters.forEach((name, value) -> {
            if (name.contains("=") || name.contains("\n") || value.contains("\n")) {
                throw new IllegalArgumentException("parameter " + name + " = " + value + " cannot be one line");
            }
            text.append(name).append('=').append(value).append('\n');
        });
        return text.toString();
    }

    private static Map<String, String> parameters(Path file, String text) throws CheckpointDamaged {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            int equals = line.indexOf('=');
            if (equals < 1) {
                throw damaged(file, "corrupt parameter line '" + line + "'");
            }
            parameters.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return parameters;
    }

    private static String decode(Path file, ByteBuffer bytes) throws CheckpointDamaged {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw damaged(file, "its parameters are not UTF-8 text");
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, position, buffer);
        return buffer;
    }

    /** Fills {@code buffer}, cleared, up to its limit with the bytes from {@code position} on, then flips it. */
    private static void readFully(FileChannel channel, long position, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("the file ended early (it changed while being read)");
            }
        }
        buffer.flip();
    }

    private static IOException cannotRead(Path file, IOException failure) {
        return new IOException("cannot read " + Quote.path(file) + ": " + IoErrors.reason(failure), failure);
    }

    private static CheckpointDamaged damaged(Path file, String what) {
        return new CheckpointDamaged(Quote.path(file) + ": " + what);
    }

    /** The file is there but is not an intact checkpoint this Halo can read. */
    private static final class CheckpointDamaged extends IOException {
        private static final long serialVersionUID = 1L;

        CheckpointDamaged(String message) {
            super(message);
        }
    }
}
