package halo.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** The file opened and checked whole by one reader. */
    private static Checkpoint checkedWhole(Path file) throws IOException {
        Checkpoint checkpoint = Checkpoint.open(file);
        checkpoint.verify(List.of(checkpoint.checkRows(0, checkpoint.header().rows())));
        return checkpoint;
    }

    /** Each of {@code readers} checks its own block of consecutive rows, in order. */
    private static List<Checkpoint.Rows> parts(Checkpoint checkpoint, int readers) throws IOException {
        int rows = checkpoint.header().rows();
        List<Checkpoint.Rows> parts = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            int first = rows * r / readers;
            parts.add(checkpoint.checkRows(first, rows * (r + 1) / readers - first));
        }
        return parts;
    }

    @Test
    void roundTripKeepsEveryBit() throws IOException {
        Checkpoint read = checkedWhole(written());
        assertEquals(header(), read.header());
        assertEquals(Double.doubleToRawLongBits(SIMTIME), Double.doubleToRawLongBits(read.header().simtime()));

        double[] back = new double[ROWS * STRIDE];
        read.readRows(0, ROWS, back, 1, STRIDE);
        assertArrayEquals(field(), back);
    }

    @Test
    void aRankReadsOnlyItsRowsIntoItsStripAndFindsWhatItsCheckFound() throws IOException {
        Checkpoint read = Checkpoint.open(written());
        double[] strip = new double[4 * STRIDE]; // ghost row, rows 2 and 3, ghost row
        Checkpoint.Rows rows = read.readRows(2, 2, strip, STRIDE + 1, STRIDE);
        double[] expected = new double[4 * STRIDE];
        System.arraycopy(field(), 2 * STRIDE, expected, STRIDE, 2 * STRIDE);
        assertArrayEquals(expected, strip);
        assertEquals(read.checkRows(2, 2), rows);
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

    /** Each reader's CRC is that of its rows' bytes in the file; together, after the head's, the file's. */
    @ParameterizedTest(name = "{0} readers")
    @ValueSource(ints = {1, 2, 3, ROWS})
    void thePartsCrcsAreTheirBytesAndCombineToTheWholeFiles(int readers) throws IOException {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        int fieldStart = bytes.length - 4 - 8 * ROWS * COLS;
        Checkpoint checkpoint = Checkpoint.open(file);
        List<Checkpoint.Rows> parts = parts(checkpoint, readers);
        CRC32 head = new CRC32();
        head.update(bytes, 0, fieldStart);
        long combined = head.getValue();
        for (Checkpoint.Rows part : parts) {
            CRC32 own = new CRC32();
            own.update(bytes, fieldStart + 8 * COLS * part.firstRow(), 8 * COLS * part.count());
            assertEquals(own.getValue(), part.crc(), "rows " + part.firstRow() + " on");
            assertEquals(-1, part.firstNonFinite());
            combined = Crc32.combine(combined, part.crc(), 8L * COLS * part.count());
        }
        assertEquals(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(bytes.length - 4), (int) combined);
        checkpoint.verify(parts);
    }

    /** A flipped bit in the last row, read by the last reader alone, whatever the split. */
    @ParameterizedTest(name = "{0} readers")
    @ValueSource(ints = {1, 2, 3, ROWS})
    void aFlippedBitInOneReadersRowsIsCaughtByTheCrc(int readers) throws IOException {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 4 - 3] ^= 1;
        Files.write(file, bytes);
        Checkpoint checkpoint = Checkpoint.open(file); // the head is whole
        List<Checkpoint.Rows> parts = parts(checkpoint, readers);
        IOException e = assertThrows(IOException.class, () -> checkpoint.verify(parts));
        assertTrue(e.getMessage().startsWith(file + ": corrupt: its CRC-32 is "), e.getMessage());
    }

    /** The first value that is not finite, by its row and column in the whole field, whichever reader found it. */
    @ParameterizedTest(name = "{0} readers")
    @ValueSource(ints = {1, 2, 3, ROWS})
    void theFirstValueThatIsNotFiniteIsReportedWithItsRowAndColumn(int readers) throws IOException {
        double[] data = field();
        data[3 * STRIDE + 1 + 2] = Double.NaN; // row 3, column 2
        data[4 * STRIDE + 1] = Double.POSITIVE_INFINITY; // row 4, column 0: later
        Path file = dir.resolve("checkpoint.bin");
        Checkpoint.write(file, header(), data, 1, STRIDE);
        Checkpoint checkpoint = Checkpoint.open(file);
        List<Checkpoint.Rows> parts = parts(checkpoint, readers);
        IOException e = assertThrows(IOException.class, () -> checkpoint.verify(parts));
        assertEquals(file + ": impossible content: the field holds NaN at row 3, column 2 (finite numbers only)",
                e.getMessage());
        Checkpoint.Rows last = parts.get(parts.size() - 1);
        if (readers == ROWS) {
            assertEquals(4L * COLS, last.firstNonFinite(), "the last reader's own first one");
            assertEquals(Double.POSITIVE_INFINITY, last.nonFiniteValue());
        }
    }

    /** A damaged file is what the user must hear of first, before what its values are. */
    @Test
    void aCrcMismatchIsReportedBeforeAValueThatIsNotFinite() throws IOException {
        double[] data = field();
        data[STRIDE + 1] = Double.NaN;
        Path file = dir.resolve("checkpoint.bin");
        Checkpoint.write(file, header(), data, 1, STRIDE);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 5] ^= 1;
        Files.write(file, bytes);
        Checkpoint checkpoint = Checkpoint.open(file);
        IOException e = assertThrows(IOException.class, () -> checkpoint.verify(parts(checkpoint, 2)));
        assertTrue(e.getMessage().contains(": corrupt: its CRC-32 is "), e.getMessage());
    }

    @Test
    void partsThatDoNotCoverEveryRowInOrderAreRefused() throws IOException {
        Checkpoint checkpoint = Checkpoint.open(written());
        Checkpoint.Rows first = checkpoint.checkRows(0, 2);
        Checkpoint.Rows rest = checkpoint.checkRows(2, ROWS - 2);
        assertThrows(IllegalArgumentException.class, () -> checkpoint.verify(List.of(rest, first)));
        assertThrows(IllegalArgumentException.class, () -> checkpoint.verify(List.of(first)));
        assertThrows(IllegalArgumentException.class, () -> checkpoint.checkRows(ROWS - 1, 2));
    }

    /**
     * A reader of rows [a, b) touches the head, the CRC trailer and its own rows, each byte of
     * them once, and no other byte: watched at the file channel every read goes through. The
     * field is large enough (300 rows of 1000 columns, 2.4 MB) that a reader reads in several
     * chunks.
     */
    @ParameterizedTest(name = "rows {0} to {1}")
    @CsvSource({"0, 1", "0, 100", "100, 250", "131, 262", "250, 300", "0, 300"})
    void aReaderOfSomeRowsReadsOnlyThoseBytesAndTheHead(int first, int end) throws IOException {
        int rows = 300;
        int cols = 1000;
        double[] data = new double[rows * cols];
        Arrays.setAll(data, i -> i * 0.5);
        Path file = dir.resolve("large.bin");
        Checkpoint.write(file, new Checkpoint.Header(7, 0.7, rows, cols, header().parameters()), data, 0, cols);
        long size = Files.size(file);
        long fieldStart = size - 4 - 8L * rows * cols;

        List<long[]> reads = new ArrayList<>();
        Checkpoint checkpoint = Checkpoint.open(file, path -> new WatchedChannel(FileChannel.open(path), reads));
        TreeMap<Long, Long> headReads = covered(reads);
        assertEquals(Map.of(0L, fieldStart, size - 4, size), headReads, "open reads the head and the CRC, nothing else");

        reads.clear();
        double[] strip = new double[(end - first) * cols];
        checkpoint.readRows(first, end - first, strip, 0, cols);
        assertArrayEquals(Arrays.copyOfRange(data, first * cols, end * cols), strip);
        assertEquals(Map.of(fieldStart + 8L * cols * first, fieldStart + 8L * cols * end), covered(reads),
                "readRows reads its rows' bytes, each once, and no other");

        reads.clear();
        checkpoint.checkRows(first, end - first);
        assertEquals(Map.of(fieldStart + 8L * cols * first, fieldStart + 8L * cols * end), covered(reads),
                "checkRows reads its rows' bytes, each once, and no other");
    }

    /**
     * The byte ranges that {@code reads} ({position, count} each) cover, merged where they meet:
     * start to end. Fails if any byte was read twice.
     */
    private static TreeMap<Long, Long> covered(List<long[]> reads) {
        List<long[]> sorted = new ArrayList<>(reads);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        TreeMap<Long, Long> ranges = new TreeMap<>();
        long start = -1;
        long end = -1;
        for (long[] read : sorted) {
            assertTrue(read[0] >= end, "bytes from " + read[0] + " read again");
            if (read[0] == end) {
                end += read[1];
            } else {
                if (start >= 0) {
                    ranges.put(start, end);
                }
                start = read[0];
                end = read[0] + read[1];
            }
        }
        if (start >= 0) {
            ranges.put(start, end);
        }
        return ranges;
    }

    /** A file channel for reading that notes every read as {position, bytes read}; it writes nothing. */
    private static final class WatchedChannel extends FileChannel {
        private final FileChannel channel;
        private final List<long[]> reads;

        WatchedChannel(FileChannel channel, List<long[]> reads) {
            this.channel = channel;
            this.reads = reads;
        }

        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            int n = channel.read(destination, position);
            if (n > 0) {
                reads.add(new long[] {position, n});
            }
            return n;
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            long position = channel.position();
            int n = channel.read(destination);
            if (n > 0) {
                reads.add(new long[] {position, n});
            }
            return n;
        }

        @Override
        public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
            long position = channel.position();
            long n = channel.read(destinations, offset, length);
            if (n > 0) {
                reads.add(new long[] {position, n});
            }
            return n;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public FileChannel position(long position) throws IOException {
            channel.position(position);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException("transferTo: reads it would not see");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException("map: reads it would not see");
        }

        @Override
        public int write(ByteBuffer source) {
            throw new UnsupportedOperationException("reading only");
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) {
            throw new UnsupportedOperationException("reading only");
        }

        @Override
        public int write(ByteBuffer source, long position) {
            throw new UnsupportedOperationException("reading only");
        }

        @Override
        public FileChannel truncate(long size) {
            throw new UnsupportedOperationException("reading only");
        }

        @Override
        public long transferFrom(ReadableByteChannel source, long position, long count) {
            throw new UnsupportedOperationException("reading only");
        }

        @Override
        public void force(boolean metaData) throws IOException {
            channel.force(metaData);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException("no locks");
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException("no locks");
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }
    }

    @Test
    void aTruncatedFileSaysSo() throws IOException {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 9));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.open(file));
        assertTrue(e.getMessage().contains("truncated: " + (bytes.length - 9) + " bytes, expected " + bytes.length),
                e.getMessage());
    }

    @Test
    void anotherFormatVersionOrFileIsRefused() throws IOException {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        bytes[8] = 2;
        Files.write(file, bytes);
        IOException version = assertThrows(IOException.class, () -> Checkpoint.open(file));
        assertTrue(version.getMessage().endsWith("checkpoint format version 2; this Halo reads version 1"),
                version.getMessage());

        Path npy = dir.resolve("field.npy");
        Npy.write(npy, field(), 1, ROWS, COLS, STRIDE);
        IOException foreign = assertThrows(IOException.class, () -> Checkpoint.open(npy));
        assertTrue(foreign.getMessage().contains("not a Halo checkpoint"), foreign.getMessage());
    }

    @Test
    void aNewCheckpointReplacesThePreviousWhole() throws IOException {
        Path file = written();
        Checkpoint.Header later = new Checkpoint.Header(43, SIMTIME + 1, ROWS, COLS, header().parameters());
        Checkpoint.write(file, later, field(), 1, STRIDE);
        assertEquals(43, checkedWhole(file).header().step());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left beside it");
        }
    }
}
