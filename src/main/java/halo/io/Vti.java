package halo.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Two-dimensional float64 fields as VTK XML ImageData ({@code .vti}), which ParaView, VisIt and
 * VTK's {@code vtkXMLImageDataReader} open as they are: the values as point data, raw binary in
 * the file's appended section, the grid's origin and spacing in the problem's units, and the
 * simulated time as the field data {@code TimeValue} (which ParaView shows as the time).
 *
 * <p>Every byte's place follows from the grid alone, so that ranks can each write their own rows
 * into one file ({@link #writeRows}) while one writes the rest ({@link #writeFrame}):
 * <pre>
 *   header    XML, ending in {@code <AppendedData encoding="raw">} and the marker {@code _}
 *   count     UInt64, little-endian: the number of data bytes, rows·cols·8
 *   data      rows·cols float64, little-endian, row after row, as in final.npy   (at dataOffset)
 *   trailer   {@code </AppendedData></VTKFile>}
 * </pre>
 *
 * <p>Axes: VTK runs its first index (i) fastest, so i is the array's column (y) and j its row
 * (x); the {@code Direction} matrix turns the index axes so that VTK's X is the problem's x and
 * Y its y (a rotation by 180° about the diagonal, which also turns the single z layer over).
 */
public final class Vti {

    /** Where each part of one file lies; the same for every file of the same grid and time. */
    public static final class Layout {
        private final byte[] header;
        private final int rows;
        private final int cols;
        private final byte[] trailer;

        private Layout(byte[] header, int rows, int cols, byte[] trailer) {
            this.header = header;
            this.rows = rows;
            this.cols = cols;
            this.trailer = trailer;
        }

        /** The XML up to and including the marker {@code _} that precedes the byte count. */
        public byte[] header() {
            return header.clone();
        }

        public int rows() {
            return rows;
        }

        public int cols() {
            return cols;
        }

        /** The number of data bytes, rows·cols·8, which the count word holds. */
        public long dataBytes() {
            return (long) rows * cols * Double.BYTES;
        }

        /** Where the first value lies: after the header and the count word. */
        public long dataOffset() {
            return header.length + Long.BYTES;
        }

        /** Where row {@code row} (from 0) of the field begins. */
        public long rowOffset(int row) {
            return dataOffset() + (long) row * cols * Double.BYTES;
        }

        /** Where the trailer begins: after the last value. */
        public long trailerOffset() {
            return dataOffset() + dataBytes();
        }

        public byte[] trailer() {
            return trailer.clone();
        }

        /** The length of the whole file. */
        public long fileSize() {
            return trailerOffset() + trailer.length;
        }

        /** Header, marker and count word: the bytes before the data. */
        byte[] prefix() {
            return ByteBuffer.allocate(header.length + Long.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                    .put(header).putLong(dataBytes()).array();
        }
    }

    private static final byte[] TRAILER = "\n  </AppendedData>\n</VTKFile>\n".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK_BYTES = 1 << 20;

    private Vti() {
    }

    /** The layout of the file of the field that {@code meta} describes. */
    public static Layout layout(FieldMeta meta) {
        FieldGrid grid = meta.grid();
        String extent = "0 " + (grid.cols() - 1) + " 0 " + (grid.rows() - 1) + " 0 0";
        String name = xmlAttribute(meta.name());
        String xml = "<?xml version=\"1.0\"?>\n"
                + "<VTKFile type=\"ImageData\" version=\"1.0\" byte_order=\"LittleEndian\" header_type=\"UInt64\">\n"
                + "  <ImageData WholeExtent=\"" + extent + "\" Origin=\"" + grid.x()[0] + " " + grid.y()[0] + " 0\""
                + " Spacing=\"" + grid.dy() + " " + grid.dx() + " 1\" Direction=\"0 1 0 1 0 0 0 0 -1\">\n"
                + "    <FieldData>\n"
                + "      <DataArray type=\"Float64\" Name=\"TimeValue\" NumberOfTuples=\"1\" format=\"ascii\">"
                + meta.time() + "</DataArray>\n"
                + "      <DataArray type=\"Int64\" Name=\"step\" NumberOfTuples=\"1\" format=\"ascii\">"
                + meta.step() + "</DataArray>\n"
                + "    </FieldData>\n"
                + "    <Piece Extent=\"" + extent + "\">\n"
                + "      <PointData Scalars=\"" + name + "\">\n"
                + "        <DataArray type=\"Float64\" Name=\"" + name + "\" format=\"appended\" offset=\"0\"/>\n"
                + "      </PointData>\n"
                + "    </Piece>\n"
                + "  </ImageData>\n"
                + "  <AppendedData encoding=\"raw\">\n"
                + "   _";
        return new Layout(xml.getBytes(StandardCharsets.UTF_8), grid.rows(), grid.cols(), TRAILER);
    }

    /**
     * Writes the whole field, a rows×cols block of {@code data} whose rows are {@code rowStride}
     * apart starting at {@code offset} (the interior of a field with ghost columns), as one file,
     * whole or not at all.
     */
    public static void write(Path file, double[] data, int offset, int rowStride, FieldMeta meta) throws IOException {
        Layout layout = layout(meta);
        Block.check(data, offset, layout.rows(), layout.cols(), rowStride);
        AtomicFile.write(file, out -> {
            out.write(layout.prefix());
            Npy.writeValues(out, data, offset, layout.rows(), layout.cols(), rowStride);
            out.write(layout.trailer);
        });
    }

    /** Writes the header, count word and trailer of {@code layout} in their places of {@code channel}. */
    public static void writeFrame(FileChannel channel, Layout layout) throws IOException {
        writeFully(channel, ByteBuffer.wrap(layout.prefix()), 0);
        writeFully(channel, ByteBuffer.wrap(layout.trailer), layout.trailerOffset());
    }

    /**
     * Writes rows {@code firstRow} to {@code firstRow + rows - 1} of the field in their place of
     * {@code channel}: a block of {@code data} whose rows are {@code rowStride} apart from
     * {@code offset}.
     */
    public static void writeRows(FileChannel channel, Layout layout, int firstRow, double[] data, int offset,
                                 int rows, int rowStride) throws IOException {
        int cols = layout.cols();
        if (firstRow < 0 || rows < 0 || firstRow + rows > layout.rows()) {
            throw new IllegalArgumentException("rows " + firstRow + " to " + (firstRow + rows - 1) + " of a field of "
                    + layout.rows() + " rows");
        }
        Block.check(data, offset, rows, cols, rowStride);
        int rowsPerChunk = Math.max(1, CHUNK_BYTES / (Double.BYTES * cols));
        ByteBuffer chunk = ByteBuffer.allocate(Double.BYTES * cols * Math.max(1, Math.min(rows, rowsPerChunk)))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int row = 0; row < rows; row += rowsPerChunk) {
            int last = Math.min(rows, row + rowsPerChunk);
            var values = chunk.clear().asDoubleBuffer();
            for (int r = row; r < last; r++) {
                values.put(data, offset + r * rowStride, cols);
            }
            chunk.limit(values.position() * Double.BYTES);
            writeFully(channel, chunk, layout.rowOffset(firstRow + row));
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    /** A name in an XML attribute: the five characters XML reserves, escaped. */
    static String xmlAttribute(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
