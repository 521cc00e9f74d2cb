package halo.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class VtiTest {

    @TempDir
    Path dir;

    /** A 5x7 field with a ghost column each side, values that show their place: 10·row + col. */
    private static final int ROWS = 5;
    private static final int COLS = 7;
    private static final int STRIDE = COLS + 2;

    private static double[] field() {
        double[] data = new double[ROWS * STRIDE];
        Arrays.fill(data, Double.NaN); // the ghost columns: never written
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) {
                data[r * STRIDE + 1 + c] = 10 * r + c + 0.1;
            }
        }
        return data;
    }

    private static FieldMeta meta() {
        double[] x = {-2.0, -1.5, -1.0, -0.5, 0.0};
        double[] y = {1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5};
        return new FieldMeta("rho<&>", new FieldGrid(x, y, 0.5, 0.25), 0.1 + 0.2, 42, Map.of());
    }

    @Test
    void theHeaderIsXmlThatDescribesTheGrid() throws Exception {
        Vti.Layout layout = Vti.layout(meta());
        String header = new String(layout.header(), StandardCharsets.UTF_8);
        assertTrue(header.endsWith("<AppendedData encoding=\"raw\">\n   _"), header);
        // the header up to the marker, closed, is a whole XML document
        String closed = header.substring(0, header.length() - 1) + "</AppendedData></VTKFile>";
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(closed.getBytes(StandardCharsets.UTF_8)));
        Element root = xml.getDocumentElement();
        assertEquals("ImageData", root.getAttribute("type"));
        assertEquals("UInt64", root.getAttribute("header_type"));
        assertEquals("LittleEndian", root.getAttribute("byte_order"));
        Element image = (Element) root.getElementsByTagName("ImageData").item(0);
        assertEquals("0 6 0 4 0 0", image.getAttribute("WholeExtent"));
        assertEquals("-2.0 1.0 0", image.getAttribute("Origin"));
        assertEquals("0.25 0.5 1", image.getAttribute("Spacing")); // along columns (y), then rows (x)
        assertEquals("0 1 0 1 0 0 0 0 -1", image.getAttribute("Direction"));
        Element array = (Element) image.getElementsByTagName("PointData").item(0).getFirstChild().getNextSibling();
        assertEquals("rho<&>", array.getAttribute("Name"));
        assertEquals("Float64", array.getAttribute("type"));
        assertEquals("appended", array.getAttribute("format"));
        Element time = (Element) image.getElementsByTagName("FieldData").item(0).getFirstChild().getNextSibling();
        assertEquals("TimeValue", time.getAttribute("Name"));
        assertEquals(0.1 + 0.2, Double.parseDouble(time.getTextContent())); // every bit of the time
    }

    @Test
    void theOffsetsFollowFromTheGrid() {
        Vti.Layout layout = Vti.layout(meta());
        int header = layout.header().length;
        assertEquals(header + 8, layout.dataOffset());
        assertEquals(ROWS * COLS * 8, layout.dataBytes());
        assertEquals(header + 8 + 3 * COLS * 8, layout.rowOffset(3));
        assertEquals(header + 8 + ROWS * COLS * 8, layout.trailerOffset());
        assertEquals(layout.trailerOffset() + layout.trailer().length, layout.fileSize());
    }

    @Test
    void aWholeFieldIsHeaderCountValuesTrailer() throws IOException {
        Path file = dir.resolve("f.vti");
        double[] data = field();
        Vti.write(file, data, 1, STRIDE, meta());
        Vti.Layout layout = Vti.layout(meta());
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(layout.fileSize(), bytes.length);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(layout.header(), Arrays.copyOf(bytes, layout.header().length));
        assertEquals(layout.dataBytes(), buffer.getLong(layout.header().length));
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) {
                assertEquals(data[r * STRIDE + 1 + c], buffer.getDouble((int) layout.rowOffset(r) + 8 * c));
            }
        }
        assertEquals("\n  </AppendedData>\n</VTKFile>\n", new String(bytes, (int) layout.trailerOffset(),
                layout.trailer().length, StandardCharsets.US_ASCII));
    }

    /** What ranks writing their own rows into one file make: the same bytes as the whole write. */
    @Test
    void rowBlocksWrittenInTheirPlacesMakeTheSameFile() throws IOException {
        double[] data = field();
        Path whole = dir.resolve("whole.vti");
        Vti.write(whole, data, 1, STRIDE, meta());
        Path pieces = dir.resolve("pieces.vti");
        Vti.Layout layout = Vti.layout(meta());
        try (FileChannel channel = FileChannel.open(pieces, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int[][] strips = {{3, 2}, {0, 2}, {2, 1}}; // first row, rows: in any order
            for (int[] strip : strips) {
                Vti.writeRows(channel, layout, strip[0], data, strip[0] * STRIDE + 1, strip[1], STRIDE);
            }
            Vti.writeFrame(channel, layout);
        }
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(pieces));
    }

    @Test
    void rowsOutsideTheFieldAreRefused() throws IOException {
        Vti.Layout layout = Vti.layout(meta());
        try (FileChannel channel = FileChannel.open(dir.resolve("x.vti"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            assertThrows(IllegalArgumentException.class,
                    () -> Vti.writeRows(channel, layout, 4, field(), 1, 2, STRIDE));
        }
    }

    @Test
    void aFailedWriteLeavesNothing() {
        Path missing = dir.resolve("no-such-directory/f.vti");
        IOException e = assertThrows(IOException.class, () -> Vti.write(missing, field(), 1, STRIDE, meta()));
        assertEquals("cannot write " + missing + ": no such file or directory", e.getMessage());
    }
}
