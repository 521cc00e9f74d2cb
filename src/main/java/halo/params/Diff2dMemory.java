package halo.params;

/**
 * The heap a diff2d run needs, the one place that counts what the run allocates, so that a
 * run too large for its JVM is refused before it computes rather than failing part-way:
 * <ul>
 * <li>every rank: its strip in two time levels, (rows + 2·halo depth) × (ncols + 2) doubles
 *     each (halo.kernel.Field), rows those of the thickest strip, ceil(nrows/np);</li>
 * <li>rank 0 besides: the gathered field, nrows × (ncols + 2) doubles (halo.parallel.StripGather),
 *     which snapshots, checkpoints and final.npy are written from; with graphics, a copy of it
 *     on its way to the disk when snapshots are written in the background, and the picture
 *     of a snapshot, about 4 bytes a cell.</li>
 * </ul>
 * When what a rank holds changes, this is what changes with it.
 */
public final class Diff2dMemory {

    private static final long DOUBLE_BYTES = Double.BYTES;
    private static final long PIXEL_BYTES = Integer.BYTES;

    private Diff2dMemory() {
    }

    /** Bytes of arrays each rank holds (the thickest strip's). */
    public static long perRank(Diff2dParams params, int ranks, int haloDepth) {
        long thickest = (params.nrows() + ranks - 1) / ranks;
        return 2 * (thickest + 2L * haloDepth) * (params.ncols() + 2L) * DOUBLE_BYTES;
    }

    /** Bytes of arrays rank 0 holds besides its strip. */
    public static long rootExtra(Diff2dParams params, boolean backgroundIo) {
        long gathered = (long) params.nrows() * (params.ncols() + 2L) * DOUBLE_BYTES;
        if (!params.graphics()) {
            return gathered;
        }
        long picture = (long) params.nrows() * params.ncols() * PIXEL_BYTES;
        return gathered + (backgroundIo ? gathered : 0) + picture;
    }

    /**
     * Refuses a run whose ranks in {@code jvm} need more heap than it has.
     *
     * @throws ResourceLimitException saying what the run needs, what the JVM has, how to give more
     */
    public static void check(ParameterSource source, Diff2dParams params, Diff2dTuning tuning, int ranks,
                             RankJvm jvm) {
        long perRank = perRank(params, ranks, tuning.haloDepth());
        long rootExtra = rootExtra(params, tuning.backgroundIo());
        long needed = jvm.heapNeeded(perRank, rootExtra);
        if (needed <= jvm.maxHeap()) {
            return;
        }
        String here = jvm.ranksHere() == 1 ? "" : ", " + RankJvm.size(needed) + " for the " + jvm.ranksHere()
                + " ranks in this JVM";
        // The JVM's default heap is a quarter of the memory it sees: a Slurm job's --mem under cgroups.
        long slurmMemory = 4 * needed;
        throw new ResourceLimitException(source.describe("dx") + ": the " + params.nrows() + "x" + params.ncols()
                + " grid at -np " + ranks + " needs about " + RankJvm.size(RankJvm.RANK_BYTES + perRank)
                + " of heap per rank (rank 0: " + RankJvm.size(rootExtra) + " more)" + here + ", and this JVM has "
                + RankJvm.size(jvm.maxHeap()) + "; give it more with " + RankJvm.xmx(needed)
                + " before -jar on the mpjrun.sh line (under Slurm: #SBATCH --mem="
                + ((slurmMemory + (1L << 30) - 1) >> 30) + "G, a JVM takes a quarter of it), or use a larger dx");
    }
}
