package halo.params;

import halo.io.DensityImage;

/**
 * The heap a diff2d run needs, the one place that counts what the run allocates, so that a
 * run too large for its JVM is refused before it computes rather than failing part-way:
 * <ul>
 * <li>every rank: its strip in two time levels, (rows + 2·halo depth) × (ncols + 2) doubles
 *     each (halo.kernel.Field), rows those of the thickest strip, ceil(nrows/np); with graphics
 *     and snapshots written in the background, a copy of the strip's rows on their way to the
 *     disk. Every rank writes its own rows of .npy, .vti and checkpoints, so nothing else
 *     grows with the grid.</li>
 * <li>rank 0 besides: with graphics, the picture of a snapshot (halo.io.DensityImage.Frame, a
 *     few hundred pixels a side, a double each); with hdf5, the whole field, gathered,
 *     nrows × (ncols + 2) doubles. The copy jHDF writes from (halo.io.Hdf5Field) is not
 *     counted: the writer checks it fits when it makes it, and fails in one line if not.</li>
 * </ul>
 * When what a rank holds changes, this is what changes with it.
 */
public final class Diff2dMemory {

    private static final long DOUBLE_BYTES = Double.BYTES;

    private Diff2dMemory() {
    }

    /** Bytes of arrays each rank holds (the thickest strip's). */
    public static long perRank(Diff2dParams params, int ranks, int haloDepth, boolean backgroundIo) {
        long thickest = (params.nrows() + ranks - 1) / ranks;
        long strip = 2 * (thickest + 2L * haloDepth) * (params.ncols() + 2L) * DOUBLE_BYTES;
        long snapshotCopy = params.graphics() && backgroundIo ? thickest * params.ncols() * DOUBLE_BYTES : 0;
        return strip + snapshotCopy;
    }

    /** Bytes of arrays rank 0 holds besides its strip. */
    public static long rootExtra(Diff2dParams params, FieldFormats formats) {
        long extra = 0;
        if (params.graphics()) {
            DensityImage.Frame frame = new DensityImage.Frame(params.nrows(), params.ncols());
            extra += (long) frame.width() * frame.height() * DOUBLE_BYTES;
        }
        if (formats.has(FieldFormats.Format.HDF5)) {
            extra += (long) params.nrows() * (params.ncols() + 2L) * DOUBLE_BYTES;
        }
        return extra;
    }

    /**
     * Refuses a run whose ranks in {@code jvm} need more heap than it has.
     *
     * @throws ResourceLimitException saying what the run needs, what the JVM has, how to give more
     */
    public static void check(ParameterSource source, Diff2dParams params, Diff2dTuning tuning,
                             FieldFormats formats, int ranks, RankJvm jvm) {
        long perRank = perRank(params, ranks, tuning.haloDepth(), tuning.backgroundIo());
        long rootExtra = rootExtra(params, formats);
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
                + " of heap per rank" + (rootExtra > 0 ? " (rank 0: " + RankJvm.size(rootExtra) + " more)" : "")
                + here + ", and this JVM has "
                + RankJvm.size(jvm.maxHeap()) + "; give it more with " + RankJvm.xmx(needed)
                + " before -jar on the mpjrun.sh line (under Slurm: #SBATCH --mem="
                + ((slurmMemory + (1L << 30) - 1) >> 30) + "G, a JVM takes a quarter of it), or use a larger dx");
    }
}
