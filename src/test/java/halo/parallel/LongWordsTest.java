package halo.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LongWordsTest {

    @Test
    void everyLongComesBackExactly() {
        long[] values = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 53, (1L << 53) + 1, -(1L << 53) - 1,
                123_456_789_012_345_678L, -5_000_000_000L, 0xFFFF_FFFFL, 0x1_0000_0000L};
        double[] words = new double[2];
        for (long value : values) {
            LongWords.put(value, words, 0);
            assertEquals(value, LongWords.get(words, 0), Long.toString(value));
        }
    }
}
