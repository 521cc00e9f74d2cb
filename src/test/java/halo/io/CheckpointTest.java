package halo.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    private static final int ROWS = 5;
    private static final int COLS = 3;
    /** The strips' layout: a ghost column on each side, so a row is COLS + 2 apart. */
    private static final int STRIDE = COLS + 2;
    private static final double SIMTIME = 0.1 + 0.2; // 0.30000000000000004: its bits must survive

    @TempDir
    Path dir;

    private static double[] field() {
        double[] data = new double[ROWS * STRIDE];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) {
                data[r * STRIDE + 1 + c] = Math.scalb(r + 1.0, -c) / 3.0 + Double.MIN_VALUE * c;
            }
        }
        return data;
    }

    private static Checkpoint.Header header() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("D", "1.0");
        parameters.put("dx", "0.075");
        return new Checkpoint.Header(42, SIMTIME, ROWS, COLS, parameters);
    }

    private Path written() throws IOException {
        Path file = dir.resolve("checkpoint.bin");
        Checkpoint.write(file, header(), field(), 1, STRIDE);
        return file;
    }

    @Test
    void roundTripKeepsEveryBit() throws IOException {
        Checkpoint read = Checkpoint.read(written());
        assertEquals(header(), read.header());
        assertEquals(Double.doubleToRawLongBits(SIMTIME), Double.doubleToRawLongBits(read.header().simtime()));

        double[] back = new double[ROWS * STRIDE];
        read.readRows(0, ROWS, back, 1, STRIDE);
        assertArrayEquals(field(), back);
    }

    @Test
    void aRankReadsOnlyItsRowsIntoItsStrip() throws IOException {
        Checkpoint read = Checkpoint.read(written());
        double[] strip = new double[4 * STRIDE]; // ghost row, rows 2 and 3, ghost row
        read.readRows(2, 2, strip, STRIDE + 1, STRIDE);
        double[] expected = new double[4 * STRIDE];
        System.arraycopy(field(), 2 * STRIDE, expected, STRIDE, 2 * STRIDE);
        assertArrayEquals(expected, strip);
    }

    @Test
    void theLayoutIsTheDocumentedOne() throws IOException {
        byte[] bytes = Files.readAllBytes(written());
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("HALOCKPT", new String(bytes, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt(8));
        assertEquals(42, b.getLong(12));
        assertEquals(Double.doubleToRawLongBits(SIMTIME), b.getLong(20));
        assertEquals(ROWS, b.getInt(28));
        assertEquals(COLS, b.getInt(32));
        String parameters = "D=1.0\ndx=0.075\n";
        assertEquals(parameters.length(), b.getInt(36));
        assertEquals(parameters, new String(bytes, 40, parameters.length(), java.nio.charset.StandardCharsets.UTF_8));
        int fieldStart = 40 + parameters.length();
        assertEquals(field()[1], b.getDouble(fieldStart), "row 0, column 0 first");
        assertEquals(fieldStart + 8 * ROWS * COLS + 4, bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        assertEquals((int) crc.getValue(), b.getInt(bytes.length - 4));
    }

    @Test
    void aFlippedBitIsCaughtByTheCrc() throws IOException {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 20] ^= 1;
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().startsWith(file + ": corrupt: its CRC-32 is "), e.getMessage());
    }

    @Test
    void aTruncatedFileSaysSo() throws IOException {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 9));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("truncated: " + (bytes.length - 9) + " bytes, expected " + bytes.length),
                e.getMessage());
    }

    @Test
    void anotherFormatVersionOrFileIsRefused() throws IOException {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        bytes[8] = 2;
        Files.write(file, bytes);
        IOException version = assertThrows(IOException.class, () -> Checkpoint.read(file));
        assertTrue(version.getMessage().endsWith("checkpoint format version 2; this Halo reads version 1"),
                version.getMessage());

        Path npy = dir.resolve("field.npy");
        Npy.write(npy, field(), 1, ROWS, COLS, STRIDE);
        IOException foreign = assertThrows(IOException.class, () -> Checkpoint.read(npy));
        assertTrue(foreign.getMessage().contains("not a Halo checkpoint"), foreign.getMessage());
    }

    @Test
    void aNewCheckpointReplacesThePreviousWhole() throws IOException {
        Path file = written();
        Checkpoint.Header later = new Checkpoint.Header(43, SIMTIME + 1, ROWS, COLS, header().parameters());
        Checkpoint.write(file, later, field(), 1, STRIDE);
        assertEquals(43, Checkpoint.read(file).header().step());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left beside it");
        }
    }
}
