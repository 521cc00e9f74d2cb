package halo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What the launchers ask halo.jar before they start any rank. */
class PreflightTest {

    @Test
    void moreRanksThanRowsAreRefusedInTheRanksOwnWords() {
        assertEquals("halo diff2d: error: -np 300: more ranks than grid rows; accepted 1 to 266 ranks for"
                + " nrows = int((x2-x1)/dx) = 266", Preflight.preflight(300, new String[] {"diff2d"}));
        assertNull(Preflight.preflight(266, new String[] {"diff2d"}));
        assertEquals("halo auc: error: --ntot 3: fewer samples than ranks; accepted 4 to 9223372036854775807 at -np 4",
                Preflight.preflight(4, new String[] {"auc", "--ntot", "3"}));
    }

    @Test
    void badInputIsRefusedAndHelpGoesOn() {
        assertEquals("halo diff2d: error: --runtime 1.0: given again (after --runtime 0.5); accepted: each option once",
                Preflight.preflight(2, new String[] {"diff2d", "--runtime", "0.5", "--runtime", "1.0"}));
        assertEquals("halo diff2d: error: --out x: given again (after --out y); accepted: each option once",
                Preflight.preflight(2, new String[] {"diff2d", "--out", "y", "--out=x"}));
        assertNull(Preflight.preflight(10_000, new String[] {"--help"}));
        assertNull(Preflight.preflight(10_000, new String[] {"diff2d", "--version"}));
    }

    @Test
    void whatDependsOnTheRanksJvmIsLeftToThem() {
        // threads against CPUs and the Vector API are the ranks' to judge: their JVM may differ
        assertNull(Preflight.preflight(2, new String[] {"diff2d", "--threads", "1000", "--kernels", "vector"}));
    }

    @Test
    void aControlCharacterInARunDirectoryIsRefused() {
        assertEquals("halo diff2d: error: --out 'a\\nb': a control character in the name; accepted a directory name"
                + " of printable characters", Preflight.preflight(1, new String[] {"diff2d", "--out", "a\nb"}));
    }
}
