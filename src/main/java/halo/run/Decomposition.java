package halo.run;

import halo.parallel.BlockPartition;

/**
 * What a program shares out among its ranks in contiguous blocks ({@link BlockPartition}):
 * {@code items} of a {@code unit}, grid rows for diff2d, sample indices for auc. The run
 * records each rank's block from its first record on, so that even a run that fails during
 * set-up says which part each rank had.
 */
public record Decomposition(String unit, long items) {

    /** The blocks of {@code ranks} ranks. */
    public BlockPartition blocks(int ranks) {
        return new BlockPartition(items, ranks);
    }
}
