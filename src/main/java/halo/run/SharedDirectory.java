package halo.run;

import java.io.IOException;

import halo.io.RunDirectory;
import halo.parallel.Agreement;
import halo.parallel.Communicator;

/**
 * Every rank writes into the run directory rank 0 created (its own log, and its own rows of the
 * run's files), so every rank must see it: one file system shared by all nodes. Ranks on nodes
 * with local disks only would each write a part of a file nobody has whole; the run checks as
 * the directory is made, before any rank writes into it, with a marker file every rank must see,
 * and refuses to go on in one line otherwise. Ranks that share a JVM (multicore mode) or a
 * single rank need no check.
 */
final class SharedDirectory {

    /** How long a rank waits for the marker to appear (a network file system may be late). */
    private static final long WAIT_MILLIS = 10_000;

    private SharedDirectory() {
    }

    /** Collective: returns when every rank sees the run directory; else every rank fails, reported once. */
    static void check(Communicator communicator, RunDirectory directory) throws IOException {
        if (communicator.size() == 1 || communicator.ranksShareJvm()) {
            return;
        }
        Runnable removeMarker = () -> {
            if (communicator.isRoot()) {
                try {
                    directory.removeMarker();
                } catch (IOException cleanup) {
                    // the run is failing already, for the reason reported
                }
            }
        };
        Agreement.onEveryRank(communicator, () -> {
            if (communicator.isRoot()) {
                directory.createMarker();
            }
        }, removeMarker);
        Agreement.onEveryRank(communicator, () -> {
            if (!seen(directory)) {
                throw new IOException("the run directory " + directory.path() + " that rank 0 created is not"
                        + " there: every rank writes its log and its rows of the run's files into it itself, so --out"
                        + " must be on a file system every node shares");
            }
        }, removeMarker);
        Agreement.onEveryRank(communicator, () -> {
            if (communicator.isRoot()) {
                directory.removeMarker();
            }
        }, () -> { });
    }

    private static boolean seen(RunDirectory directory) throws IOException {
        try {
            return directory.seesMarker(WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking for the run directory", e);
        }
    }
}
