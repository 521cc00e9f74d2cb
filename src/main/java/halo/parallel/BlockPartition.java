package halo.parallel;

/**
 * Splits {@code total} consecutive items (grid rows, sample indices) into {@code parts}
 * contiguous blocks as even as possible: the first {@code total % parts} blocks get one more.
 */
public record BlockPartition(long total, int parts) {

    public BlockPartition {
        if (parts < 1 || total < parts) {
            throw new IllegalArgumentException(total + " items cannot be split into " + parts + " non-empty blocks");
        }
    }

    /** First item of block {@code part}. */
    public long start(int part) {
        long base = total / parts;
        long extra = total % parts;
        return part * base + Math.min(part, extra);
    }

    /** Items in block {@code part}. */
    public long count(int part) {
        return start(part + 1) - start(part);
    }

    /** The block that holds {@code item}. */
    public int owner(long item) {
        if (item < 0 || item >= total) {
            throw new IllegalArgumentException("item " + item + " of " + total);
        }
        long base = total / parts;
        long extra = total % parts;
        long inLargerBlocks = extra * (base + 1); // the first `extra` blocks have one item more
        return (int) (item < inLargerBlocks ? item / (base + 1) : extra + (item - inLargerBlocks) / base);
    }

    /** One past the last item of block {@code part}. */
    public long end(int part) {
        return start(part + 1);
    }
}
