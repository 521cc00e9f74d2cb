package halo.parallel;

/**
 * A long as two doubles, its high and low 32 bits, each exact in a double: how Halo sends
 * longs (clock readings, spans) through the double messages of {@link Communicator}.
 */
final class LongWords {

    private LongWords() {}

    static void put(long value, double[] words, int at) {
        words[at] = value >> 32;
        words[at + 1] = value & 0xFFFF_FFFFL;
    }

    static long get(double[] words, int at) {
        return ((long) words[at] << 32) | (long) words[at + 1];
    }
}
