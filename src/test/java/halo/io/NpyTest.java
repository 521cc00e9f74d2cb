package halo.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    @Test
    void headerIsNumpyVersion1AlignedTo64Bytes() throws IOException {
        Path file = dir.resolve("a.npy");
        Npy.write(file, new double[] {1, 2, 3, 4, 5, 6}, 0, 2, 3);

        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((byte) 0x93, buffer.get());
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        buffer.position(6);
        assertEquals(1, buffer.get());
        assertEquals(0, buffer.get());
        int headerLength = Short.toUnsignedInt(buffer.getShort());
        int dataStart = 10 + headerLength;
        assertEquals(0, dataStart % 64);
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertTrue(header.endsWith("\n"));
        assertTrue(header.substring(header.indexOf('}') + 1, header.length() - 1).chars().allMatch(c -> c == ' '));
        assertEquals(dataStart + 6 * 8, bytes.length);
        assertEquals(1.0, buffer.getDouble(dataStart));
        assertEquals(6.0, buffer.getDouble(dataStart + 5 * 8));
    }

    @Test
    void roundTripsBitExactly() throws IOException {
        Random random = new Random(42);
        double[] values = new double[37 * 53];
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.longBitsToDouble(random.nextLong());
        }
        values[0] = -0.0;
        values[1] = Double.MIN_VALUE;
        Path file = dir.resolve("random.npy");
        Npy.write(file, values, 0, 37, 53);

        Npy.Array back = Npy.read(file);
        assertEquals(37, back.rows());
        assertEquals(53, back.cols());
        for (int i = 0; i < values.length; i++) {
            assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(back.data()[i]), "element " + i);
        }
    }

    @Test
    void writesTheInteriorOfAnArrayWithGhostCells() throws IOException {
        // 4 interior rows of 5 columns inside a 6x7 array with one ghost layer all round.
        int rows = 4;
        int cols = 5;
        int stride = cols + 2;
        double[] withGhosts = new double[(rows + 2) * stride];
        Arrays.fill(withGhosts, Double.NaN);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                withGhosts[(r + 1) * stride + c + 1] = 10 * r + c + 0.1;
            }
        }
        Path file = dir.resolve("interior.npy");
        Npy.write(file, withGhosts, stride + 1, rows, cols, stride);

        Npy.Array back = Npy.read(file);
        assertEquals(rows, back.rows());
        assertEquals(cols, back.cols());
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                assertEquals(10 * r + c + 0.1, back.get(r, c));
            }
        }
    }

    @Test
    void largeArraysSpanSeveralChunks() throws IOException {
        int rows = 600;
        int cols = 700; // 3.4 MB, more than one write chunk
        double[] values = new double[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5;
        }
        Path file = dir.resolve("large.npy");
        Npy.write(file, values, 0, rows, cols);
        assertArrayEquals(values, Npy.read(file).data());
    }

    @Test
    void headerAlignmentHoldsForWideShapes() throws IOException {
        Path file = dir.resolve("wide.npy");
        Npy.write(file, new double[123456], 0, 1, 123456);
        byte[] bytes = Files.readAllBytes(file);
        int headerLength = Short.toUnsignedInt(ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort());
        assertEquals(0, (10 + headerLength) % 64);
    }

    @Test
    void rejectsBlocksOutsideTheArray() {
        double[] values = new double[10];
        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("x.npy"), values, 1, 2, 5));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("x.npy"), values, 0, 2, 5, 4));
        assertTrue(Files.notExists(dir.resolve("x.npy")));
    }

    @Test
    void readRejectsOtherFiles() throws IOException {
        Path text = dir.resolve("text.npy");
        Files.writeString(text, "hello");
        IOException notNpy = assertThrows(IOException.class, () -> Npy.read(text));
        assertTrue(notNpy.getMessage().contains("magic"), notNpy.getMessage());

        Path floats = dir.resolve("floats.npy");
        Npy.write(floats, new double[] {1, 2}, 0, 1, 2);
        byte[] bytes = Files.readAllBytes(floats);
        String header = new String(bytes, StandardCharsets.ISO_8859_1).replace("'<f8'", "'<f4'");
        Files.write(floats, header.getBytes(StandardCharsets.ISO_8859_1));
        IOException wrongType = assertThrows(IOException.class, () -> Npy.read(floats));
        assertTrue(wrongType.getMessage().contains("<f4"), wrongType.getMessage());
    }

    @Test
    void leavesNoTemporaryFilesBehind() throws IOException {
        Npy.write(dir.resolve("a.npy"), new double[] {1}, 0, 1, 1);
        Npy.write(dir.resolve("a.npy"), new double[] {2}, 0, 1, 1);
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count());
        }
        assertEquals(2.0, Npy.read(dir.resolve("a.npy")).get(0, 0));
    }
}
