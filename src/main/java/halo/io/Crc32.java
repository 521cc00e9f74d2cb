package halo.io;

/**
 * CRC-32 (zlib's, as {@link java.util.zip.CRC32}) of a concatenation from the CRCs of its
 * parts, as zlib's {@code crc32_combine} does: so that writers of separate byte ranges of one
 * file can each check their own bytes and one of them find the whole file's CRC without
 * reading the others' bytes.
 */
public final class Crc32 {

    /** The reflected CRC-32 polynomial. */
    private static final long POLYNOMIAL = 0xEDB88320L;

    private Crc32() {
    }

    /**
     * The CRC-32 of A followed by B, given the CRC-32 of A, the CRC-32 of B and B's length in
     * bytes: the CRC of A is carried through B's length of zero bytes (operator squaring, so
     * O(log length)) and the CRC of B added.
     */
    public static long combine(long crcA, long crcB, long lengthB) {
        if (lengthB <= 0) {
            return crcA;
        }
        long[] even = new long[32]; // the operator for 2^k zero bits, k even
        long[] odd = new long[32];
        odd[0] = POLYNOMIAL; // one zero bit
        long row = 1;
        for (int n = 1; n < 32; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd); // two zero bits
        square(odd, even); // four zero bits
        long crc = crcA;
        long length = lengthB;
        do { // the first square gives one zero byte
            square(even, odd);
            if ((length & 1) != 0) {
                crc = times(even, crc);
            }
            length >>= 1;
            if (length == 0) {
                break;
            }
            square(odd, even);
            if ((length & 1) != 0) {
                crc = times(odd, crc);
            }
            length >>= 1;
        } while (length != 0);
        return crc ^ crcB;
    }

    private static long times(long[] matrix, long vector) {
        long sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static void square(long[] result, long[] matrix) {
        for (int n = 0; n < 32; n++) {
            result[n] = times(matrix, matrix[n]);
        }
    }
}
