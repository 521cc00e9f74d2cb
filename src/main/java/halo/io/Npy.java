package halo.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two-dimensional float64 arrays as NumPy {@code .npy} files, so a field can be opened with
 * {@code numpy.load} as it is.
 *
 * <p>Format version 1.0: the magic {@code \x93NUMPY}, version bytes 1 0, a little-endian uint16
 * header length, then the header dict {@code {'descr': '<f8', 'fortran_order': False, 'shape':
 * (R, C), }} padded with spaces and ended by a newline so that the data starts at a multiple of
 * 64 bytes, then the values as raw little-endian doubles in row-major (C) order.
 */
public final class Npy {

    /** A rows×cols array read back from a file; {@code data} is row-major with stride cols. */
    public record Array(int rows, int cols, double[] data) {
        public double get(int row, int col) {
            return data[row * cols + col];
        }
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN_ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE_2D =
            Pattern.compile("'shape'\\s*:\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,?\\s*\\)");

    private Npy() {
    }

    /** Writes {@code data[offset ..]} as a contiguous rows×cols array. */
    public static void write(Path file, double[] data, int offset, int rows, int cols) throws IOException {
        write(file, data, offset, rows, cols, cols);
    }

    /**
     * Writes a rows×cols block of a larger row-major array whose rows are {@code rowStride}
     * apart, e.g. the interior of a field with ghost columns: element (r, c) is
     * {@code data[offset + r * rowStride + c]}.
     */
    public static void write(Path file, double[] data, int offset, int rows, int cols, int rowStride)
            throws IOException {
        Block.check(data, offset, rows, cols, rowStride);
        file(file, rows, cols).writeWhole(data, offset, rowStride);
    }

    /** A rows×cols file that several writers fill, each its own rows (see {@link StripFile}). */
    public static StripFile file(Path file, int rows, int cols) {
        return new StripFile(file, header(rows, cols), rows, cols, false);
    }

    /** Reads a file written by {@link #write} or by NumPy (2-D, {@code '<f8'}, C order). */
    public static Array read(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        for (byte expected : MAGIC) {
            if (bytes.remaining() == 0 || bytes.get() != expected) {
                throw new IOException(file + ": not a NumPy .npy file (bad magic)");
            }
        }
        if (bytes.remaining() < 2) {
            throw new IOException(file + ": truncated .npy header");
        }
        int major = bytes.get();
        bytes.get(); // minor version: no difference in layout
        int headerLength = switch (major) {
            case 1 -> Short.toUnsignedInt(bytes.getShort());
            case 2, 3 -> bytes.getInt();
            default -> throw new IOException(file + ": unsupported .npy format version " + major);
        };
        if (headerLength < 0 || headerLength > bytes.remaining()) {
            throw new IOException(file + ": truncated .npy header");
        }
        String header = new String(bytes.array(), bytes.position(), headerLength, StandardCharsets.ISO_8859_1);
        bytes.position(bytes.position() + headerLength);

        String descr = group(DESCR, header, file, "descr");
        if (!descr.equals("<f8")) {
            throw new IOException(file + ": dtype '" + descr + "' is not little-endian float64 '<f8'");
        }
        if (!group(FORTRAN_ORDER, header, file, "fortran_order").equals("False")) {
            throw new IOException(file + ": Fortran-order arrays are not supported");
        }
        Matcher shape = SHAPE_2D.matcher(header);
        if (!shape.find()) {
            throw new IOException(file + ": not a two-dimensional array: " + header.strip());
        }
        int rows = Integer.parseInt(shape.group(1));
        int cols = Integer.parseInt(shape.group(2));
        long expectedBytes = 8L * rows * cols;
        if (bytes.remaining() != expectedBytes) {
            throw new IOException(file + ": " + bytes.remaining() + " data bytes, expected " + expectedBytes
                    + " for shape (" + rows + ", " + cols + ")");
        }
        double[] data = new double[Math.multiplyExact(rows, cols)];
        bytes.asDoubleBuffer().get(data);
        return new Array(rows, cols, data);
    }

    private static byte[] header(int rows, int cols) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int prefixLength = MAGIC.length + 2 + 2; // magic, version, header length
        int unpadded = prefixLength + dict.length() + 1; // + the closing newline
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        int headerLength = dict.length() + padding + 1;

        ByteBuffer header = ByteBuffer.allocate(prefixLength + headerLength).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLength);
        header.put(dict.getBytes(StandardCharsets.US_ASCII));
        header.put(" ".repeat(padding).getBytes(StandardCharsets.US_ASCII)).put((byte) '\n');
        return header.array();
    }

    private static String group(Pattern pattern, String header, Path file, String key) throws IOException {
        Matcher matcher = pattern.matcher(header);
        if (!matcher.find()) {
            throw new IOException(file + ": .npy header has no '" + key + "': " + header.strip());
        }
        return matcher.group(1);
    }
}
