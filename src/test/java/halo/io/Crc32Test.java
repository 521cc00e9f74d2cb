package halo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.zip.CRC32;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Crc32Test {

    private static long crc(byte[] bytes, int from, int to) {
        CRC32 crc = new CRC32();
        crc.update(bytes, from, to - from);
        return crc.getValue();
    }

    /** Any split point, including empty parts: the combination is the CRC of the whole. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 64, 1000, 4095, 4096})
    void combiningTheCrcsOfTwoPartsGivesTheCrcOfTheWhole(int split) {
        byte[] bytes = new byte[4096];
        new Random(split).nextBytes(bytes);
        long whole = crc(bytes, 0, bytes.length);
        assertEquals(whole, Crc32.combine(crc(bytes, 0, split), crc(bytes, split, bytes.length), bytes.length - split));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8})
    void partsCombinedInOrderGiveTheWhole(int parts) {
        byte[] bytes = new byte[100_003];
        new Random(parts).nextBytes(bytes);
        long combined = crc(bytes, 0, 0);
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) bytes.length * p / parts);
            int to = (int) ((long) bytes.length * (p + 1) / parts);
            combined = Crc32.combine(combined, crc(bytes, from, to), to - from);
        }
        assertEquals(crc(bytes, 0, bytes.length), combined);
    }
}
