package halo.params;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The limits a diff2d run must fit: threads for the CPUs, heap for its arrays, snapshots. */
class RunLimitsTest {

    private static final long GB = 1L << 30;

    private static ParameterSource source(String... pairs) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            options.put(pairs[i], pairs[i + 1]);
        }
        return ParameterSource.load("diff2d", null, options);
    }

    @Test
    void threadsUpToEightPerCpuOverTheRanksOfAJvm() {
        ParameterSource source = source("threads", "16");
        Diff2dTuning tuning = Diff2dTuning.from(source, 266, 1, Map.of());
        assertDoesNotThrow(() -> tuning.checkThreads(source, new RankJvm(1, true, GB, 2), Map.of()));
        ParameterException e = assertThrows(ParameterException.class,
                () -> tuning.checkThreads(source, new RankJvm(2, true, GB, 2), Map.of()));
        assertEquals("--threads 16: accepted 1 to 8 here (at most 16 threads in this JVM: 8 per CPU, 2 CPUs, 2 ranks"
                + " in it; more stall every step), or auto", e.getMessage());
        assertDoesNotThrow(() -> tuning.checkThreads(source, new RankJvm(4, true, GB, 8), Map.of()));
    }

    @Test
    void oneThreadAlwaysFitsAndSlurmsCountIsChecked() {
        ParameterSource one = source("threads", "1");
        assertDoesNotThrow(() -> Diff2dTuning.from(one, 266, 266, Map.of())
                .checkThreads(one, new RankJvm(266, true, GB, 1), Map.of()));
        ParameterSource auto = source();
        Map<String, String> slurm = Map.of("SLURM_CPUS_PER_TASK", "1000");
        Diff2dTuning tuning = Diff2dTuning.from(auto, 266, 1, slurm);
        ParameterException e = assertThrows(ParameterException.class,
                () -> tuning.checkThreads(auto, new RankJvm(1, true, GB, 2), slurm));
        assertTrue(e.getMessage().startsWith("--threads auto: SLURM_CPUS_PER_TASK=1000 asks for 1000 threads per rank;"
                + " accepted 1 to 16 here"), e.getMessage());
    }

    @Test
    void theHeapEstimateCountsStripsAndWhatRankZeroGathers() {
        Diff2dParams params = Diff2dParams.from(source("dx", "0.005"));  // 4000 x 4000
        FieldFormats npy = FieldFormats.from(source());
        assertEquals(2L * (2000 + 2) * 4002 * 8, Diff2dMemory.perRank(params, 2, 1, true));
        assertEquals(0, Diff2dMemory.rootExtra(params, npy)); // every rank writes its own rows
        Diff2dParams graphics = Diff2dParams.from(source("dx", "0.005", "graphics", "True"));
        // in the background, a copy of the strip's rows on its way to the disk
        assertEquals(2L * (2000 + 2) * 4002 * 8 + 2000L * 4000 * 8, Diff2dMemory.perRank(graphics, 2, 1, true));
        assertEquals(2L * (2000 + 2) * 4002 * 8, Diff2dMemory.perRank(graphics, 2, 1, false));
        assertEquals(600L * 600 * 8, Diff2dMemory.rootExtra(graphics, npy)); // the picture, 600 pixels a side
        // HDF5: the whole field gathered on rank 0
        FieldFormats hdf5 = FieldFormats.from(source("format", "hdf5"));
        assertEquals(4000L * 4002 * 8, Diff2dMemory.rootExtra(params, hdf5));
    }

    @Test
    void aRunLargerThanTheHeapIsRefusedSayingHowToGiveMore() {
        ParameterSource source = source("dx", "0.005");
        Diff2dParams params = Diff2dParams.from(source);
        Diff2dTuning tuning = Diff2dTuning.from(source, params.nrows(), 2, Map.of());
        FieldFormats npy = FieldFormats.from(source);
        assertDoesNotThrow(() -> Diff2dMemory.check(source, params, tuning, npy, 2, new RankJvm(2, true, GB, 2)));
        ResourceLimitException e = assertThrows(ResourceLimitException.class,
                () -> Diff2dMemory.check(source, params, tuning, npy, 2, new RankJvm(2, true, 256L << 20, 2)));
        assertTrue(e.getMessage().startsWith("--dx 0.005: the 4000x4000 grid at -np 2 needs about "), e.getMessage());
        assertTrue(e.getMessage().contains("for the 2 ranks in this JVM, and this JVM has 256 MB; give it more with"
                + " -Xmx"), e.getMessage());
        assertTrue(e.getMessage().contains(" before -jar on the mpjrun.sh line (under Slurm: #SBATCH --mem="),
                e.getMessage());
        // one rank per JVM (niodev), a strip 2 x 122 MB: with npy rank 0's JVM needs no more than another's;
        // with hdf5 it holds the gathered field (122 MB) besides
        assertDoesNotThrow(() -> Diff2dMemory.check(source, params, tuning, npy, 2, new RankJvm(1, false, 200L << 20, 2)));
        assertDoesNotThrow(() -> Diff2dMemory.check(source, params, tuning, npy, 2, new RankJvm(1, true, 200L << 20, 2)));
        ParameterSource hdf5 = source("dx", "0.005", "format", "hdf5");
        FieldFormats h5 = FieldFormats.from(hdf5);
        assertDoesNotThrow(() -> Diff2dMemory.check(hdf5, params, tuning, h5, 2, new RankJvm(1, false, 200L << 20, 2)));
        assertThrows(ResourceLimitException.class,
                () -> Diff2dMemory.check(hdf5, params, tuning, h5, 2, new RankJvm(1, true, 200L << 20, 2)));
    }

    @Test
    void snapshotsAreCountedAndBoundedUnlessAllowed() {
        ParameterSource every = source("graphics", "True", "outtime", "1e-9", "runtime", "1", "dx", "0.2");
        Diff2dParams params = Diff2dParams.from(every);
        assertEquals(99, params.nsteps()); // dt = 0.25 * 0.2^2 a little above 0.01
        assertEquals(100, params.snapshots(0)); // steps 0 to 99
        assertEquals(11, params.snapshots(88)); // 89 to 99
        assertDoesNotThrow(() -> params.checkSnapshots(every, 0));
        ParameterSource bounded = source("graphics", "True", "outtime", "1e-9", "runtime", "1", "dx", "0.2",
                "max-snapshots", "99");
        ParameterException e = assertThrows(ParameterException.class,
                () -> Diff2dParams.from(bounded).checkSnapshots(bounded, 0));
        assertTrue(e.getMessage().startsWith("--outtime 1e-9: with graphics, a snapshot every int(outtime/dt) = 1 step"
                + " makes 100 snapshots (200 files, "), e.getMessage());
        assertTrue(e.getMessage().endsWith("more than --max-snapshots 99 allows; accepted a larger outtime, or"
                + " --max-snapshots 100 to write them all"), e.getMessage());
        ParameterSource without = source("outtime", "1e-9", "runtime", "1", "dx", "0.2", "max-snapshots", "1");
        assertDoesNotThrow(() -> Diff2dParams.from(without).checkSnapshots(without, 0));
    }
}
