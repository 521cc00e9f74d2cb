package halo.io;

/**
 * Argument checks for a rows×cols block of a flat row-major array: element (r, c) is
 * {@code data[offset + r * rowStride + c]}, so a caller can pass the interior of a field that
 * has ghost cells without copying it.
 */
final class Block {

    private Block() {
    }

    static void check(double[] data, int offset, int rows, int cols, int rowStride) {
        if (rows < 0 || cols < 0 || offset < 0 || rowStride < cols) {
            throw new IllegalArgumentException("bad block: offset " + offset + ", " + rows + "x" + cols
                    + ", row stride " + rowStride);
        }
        if (rows > 0 && cols > 0 && offset + (long) (rows - 1) * rowStride + cols > data.length) {
            throw new IllegalArgumentException("block of " + rows + "x" + cols + " at offset " + offset
                    + " with row stride " + rowStride + " runs past the end of an array of " + data.length);
        }
    }
}
