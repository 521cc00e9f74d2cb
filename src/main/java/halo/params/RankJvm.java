package halo.params;

import java.util.Locale;

/**
 * The JVM some ranks of a run share, as far as a run's size is concerned: how many of the
 * ranks run in it, whether rank 0 is one of them, and what it has for them. One JVM holds
 * every rank under mpjrun.sh (the multicore device), one rank each under
 * {@code mpjrun.sh -dev niodev} and multi-node Slurm jobs.
 *
 * @param ranksHere ranks in this JVM
 * @param rootHere  whether rank 0 (which gathers the field) is one of them
 * @param maxHeap   the most heap the JVM will use, in bytes (-Xmx, or the JVM's default share of memory)
 * @param cpus      processors the JVM may use
 */
public record RankJvm(int ranksHere, boolean rootHere, long maxHeap, int cpus) {

    /**
     * Heap the libraries' own data takes whatever the run (MPJ Express, Log4j): a margin, small
     * beside the arrays of any run that needs checking, so that no run that fits is refused
     * (the course grid runs on 8 ranks in a 24 MB heap; in 16 MB, not always).
     */
    static final long BASE_BYTES = 8L << 20;
    /** The same margin per rank: its logs, its messages in flight. */
    static final long RANK_BYTES = 1L << 20;

    /** This JVM, holding {@code ranksHere} ranks of a run. */
    public static RankJvm current(int ranksHere, boolean rootHere) {
        Runtime runtime = Runtime.getRuntime();
        return new RankJvm(ranksHere, rootHere, runtime.maxMemory(), runtime.availableProcessors());
    }

    /** Heap this JVM needs when each rank holds {@code perRank} bytes of arrays and rank 0 {@code rootExtra} more. */
    long heapNeeded(long perRank, long rootExtra) {
        return BASE_BYTES + ranksHere * (RANK_BYTES + perRank) + (rootHere ? rootExtra : 0);
    }

    /** "1.5 GB", "300 MB": sizes as a user reads them in a message. */
    static String size(long bytes) {
        double mb = bytes / (double) (1L << 20);
        return mb >= 1024 ? String.format(Locale.ROOT, "%.1f GB", mb / 1024)
                : String.format(Locale.ROOT, "%.0f MB", Math.ceil(mb));
    }

    /** The -Xmx value that gives at least {@code bytes}: whole gigabytes, or megabytes below one. */
    static String xmx(long bytes) {
        long mb = (bytes + (1L << 20) - 1) >> 20;
        return mb >= 1024 ? "-Xmx" + ((mb + 1023) / 1024) + "g" : "-Xmx" + mb + "m";
    }
}
