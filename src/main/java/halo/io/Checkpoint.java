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
 * during a write leaves the previous checkpoint as it was. Reading ({@link #read}) checks the
 * magic, the version, the length the header implies and the CRC before anything is used, and
 * that what the CRC protects is possible (a step of 0 or more, a finite simtime of 0 or more,
 * finite field values: a checkpoint written wrong, or made by hand, is refused before a run
 * starts from it); each failure is one line naming the file. Every rank's rows
 * ({@link #readRows}) are among the values checked.
 */
public final class Checkpoint {

    /** Format version this class writes and reads. */
    public static final int VERSION = 1;

    private static final byte[] MAGIC = "HALOCKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int FIXED_HEADER_BYTES = 40;
    private static final int CRC_BYTES = 4;
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

    private final Path file;
    private final Header header;
    private final long fieldStart;

    private Checkpoint(Path file, Header header, long fieldStart) {
        this.file = file;
        this.header = header;
        this.fieldStart = fieldStart;
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
     * Opens a checkpoint and checks all of it (magic, version, length, CRC) without keeping the
     * field in memory; {@link #readRows} then reads the rows a rank needs.
     *
     * @throws IOException with a one-line message naming the file and what is wrong
     */
    public static Checkpoint read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
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
            checkCrcAndValues(file, channel, size, FIXED_HEADER_BYTES + parameterBytes, cols);
            String text = decode(file, readFully(channel, FIXED_HEADER_BYTES, parameterBytes));
            return new Checkpoint(file, new Header(step, simtime, rows, cols, parameters(file, text)),
                    FIXED_HEADER_BYTES + parameterBytes);
        } catch (CheckpointDamaged damaged) {
            throw damaged;
        } catch (IOException failure) {
            throw new IOException("cannot read " + Quote.path(file) + ": " + IoErrors.reason(failure), failure);
        }
    }

    /**
     * Reads {@code count} rows of the field, from global row {@code firstRow} (0-based), into the
     * rows×cols block of {@code data} at {@code offset} whose rows are {@code rowStride} apart.
     */
    public void readRows(int firstRow, int count, double[] data, int offset, int rowStride) throws IOException {
        Block.check(data, offset, count, header.cols(), rowStride);
        if (firstRow < 0 || firstRow + count > header.rows()) {
            throw new IllegalArgumentException("rows " + firstRow + " to " + (firstRow + count - 1)
                    + " of a checkpoint with " + header.rows());
        }
        long rowBytes = 8L * header.cols();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int r = 0; r < count; r++) {
                ByteBuffer row = readFully(channel, fieldStart + (firstRow + r) * rowBytes, Math.toIntExact(rowBytes));
                row.asDoubleBuffer().get(data, offset + r * rowStride, header.cols());
            }
        } catch (IOException failure) {
            throw new IOException("cannot read " + Quote.path(file) + ": " + IoErrors.reason(failure), failure);
        }
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

    /**
     * Checks the CRC of all bytes before it and, in the same pass, that every value of the field
     * (from {@code fieldStart} on) is finite: a field the CRC protects may still have been
     * written wrong, and a NaN would spread through the whole run unseen until its end.
     */
    private static void checkCrcAndValues(Path file, FileChannel channel, long size, long fieldStart, int cols)
            throws IOException {
        CRC32 crc = new CRC32();
        crc.update(readFully(channel, 0, (int) fieldStart));
        long covered = size - CRC_BYTES;
        long firstNonFinite = -1;
        double nonFinite = 0;
        for (long position = fieldStart; position < covered; position += CHUNK_BYTES) {
            ByteBuffer chunk = readFully(channel, position, (int) Math.min(CHUNK_BYTES, covered - position));
            DoubleBuffer values = chunk.asDoubleBuffer();
            for (int i = 0; firstNonFinite < 0 && i < values.limit(); i++) {
                if (!Double.isFinite(values.get(i))) {
                    firstNonFinite = (position - fieldStart) / Double.BYTES + i;
                    nonFinite = values.get(i);
                }
            }
            crc.update(chunk);
        }
        int stored = readFully(channel, covered, CRC_BYTES).getInt();
        if (stored != (int) crc.getValue()) { // first: a damaged file is what the user must hear of
            throw damaged(file, String.format("corrupt: its CRC-32 is %08x, the bytes give %08x",
                    stored, (int) crc.getValue()));
        }
        if (firstNonFinite >= 0) {
            throw damaged(file, "impossible content: the field holds " + nonFinite + " at row "
                    + firstNonFinite / cols + ", column " + firstNonFinite % cols + " (finite numbers only)");
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("the file ended early (it changed while being read)");
            }
        }
        return buffer.flip();
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
