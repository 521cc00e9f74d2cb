package halo.launch.library;

import java.util.concurrent.atomic.AtomicInteger;

/** A "library" class for the launcher tests: counts the ranks that touched this copy of it. */
public final class RankCounter {

    public static final AtomicInteger RANKS = new AtomicInteger();

    private RankCounter() {
    }
}
