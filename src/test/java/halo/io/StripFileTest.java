package halo.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several writers, each its own strip of rows, give the bytes one writer of the whole field
 * gives: for .npy and for checkpoints (whose CRC is combined from the writers' CRCs).
 */
class StripFileTest {

    private static final int ROWS = 37;
    private static final int COLS = 53;
    private static final int STRIDE = COLS + 2;

    @TempDir
    Path dir;

    private static double[] field() {
        double[] data = new double[ROWS * STRIDE];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) {
                data[r * STRIDE + 1 + c] = Math.sin(r * 0.37 + c * 1.1) / (r + 1.0);
            }
        }
        return data;
    }

    private static Checkpoint.Header header() {
        return new Checkpoint.Header(7, 0.1 + 0.2, ROWS, COLS, Map.of("dx", "0.075"));
    }

    /** What the ranks of a run do, in their order of steps, here one writer after another. */
    private static void writeInStrips(StripFile file, double[] data, int writers) throws IOException {
        file.create();
        long[] crcs = new long[writers];
        long[] counts = new long[writers];
        for (int w = writers - 1; w >= 0; w--) { // the order of the writers does not matter
            int first = ROWS * w / writers;
            int end = ROWS * (w + 1) / writers;
            counts[w] = end - first;
            crcs[w] = file.writeRows(first, data, first * STRIDE + 1, end - first, STRIDE);
        }
        file.commit(crcs, counts);
    }

    @ParameterizedTest(name = "{0} writers")
    @ValueSource(ints = {1, 2, 3, 8, ROWS})
    void npyInStripsIsTheWholeWritersFile(int writers) throws IOException {
        Path whole = dir.resolve("whole.npy");
        Npy.write(whole, field(), 1, ROWS, COLS, STRIDE);
        Path strips = dir.resolve("strips.npy");
        writeInStrips(Npy.file(strips, ROWS, COLS), field(), writers);
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(strips));
        assertEquals(Files.size(whole), Npy.file(strips, ROWS, COLS).length());
    }

    @ParameterizedTest(name = "{0} writers")
    @ValueSource(ints = {1, 2, 3, 8, ROWS})
    void checkpointInStripsIsTheWholeWritersFileAndReadsBack(int writers) throws IOException {
        Path whole = dir.resolve("whole.bin");
        Checkpoint.write(whole, header(), field(), 1, STRIDE);
        Path strips = dir.resolve("strips.bin");
        writeInStrips(Checkpoint.file(strips, header()), field(), writers);
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(strips));
        assertEquals(header(), Checkpoint.open(strips).header());
    }

    @Test
    void untilCommittedTheTargetIsThePreviousFileAndDiscardLeavesNothingElse() throws IOException {
        Path target = dir.resolve("final.npy");
        Npy.write(target, new double[] {1}, 0, 1, 1);
        byte[] previous = Files.readAllBytes(target);
        StripFile file = Npy.file(target, ROWS, COLS);
        file.create();
        file.writeRows(0, field(), 1, 5, STRIDE);
        assertArrayEquals(previous, Files.readAllBytes(target));
        file.discard();
        assertArrayEquals(previous, Files.readAllBytes(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void rowsOutsideTheFieldAreRefused() throws IOException {
        StripFile file = Checkpoint.file(dir.resolve("x.bin"), header());
        file.create();
        assertThrows(IllegalArgumentException.class, () -> file.writeRows(ROWS - 1, field(), 1, 2, STRIDE));
        assertThrows(IllegalArgumentException.class, () -> file.commit(new long[] {0}, new long[] {ROWS - 1}),
                "CRCs that do not cover every row");
        file.discard();
    }

    @Test
    void aWriteIntoAFileNeverCreatedSaysWhichFile() {
        StripFile file = Npy.file(dir.resolve("missing.npy"), ROWS, COLS);
        IOException e = assertThrows(IOException.class, () -> file.writeRows(0, field(), 1, 1, STRIDE));
        assertTrue(e.getMessage().startsWith("cannot write " + dir.resolve("missing.npy") + ": "), e.getMessage());
        assertFalse(Files.exists(dir.resolve("missing.npy")));
    }
}
