package halo.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import halo.kernel.Kernels;

class Diff2dTuningTest {

    private static Diff2dTuning with(Map<String, String> options, int ranks, Map<String, String> environment) {
        return Diff2dTuning.from(ParameterSource.load("diff2d", null, options), 266, ranks, environment);
    }

    @Test
    void defaultsAreAutoDepthOverlapOneThreadBackgroundIoTheFastestKernelsAndTemporalBlocking() {
        Diff2dTuning tuning = with(Map.of(), 2, Map.of());
        assertEquals(63, tuning.haloDepth());
        assertTrue(tuning.overlap());
        assertEquals(1, tuning.threads());
        assertTrue(tuning.backgroundIo());
        assertEquals(Kernels.VECTOR, tuning.kernels(), "surefire's JVM has the Vector API");
        assertTrue(tuning.temporalBlocking());
    }

    @Test
    void autoDepthShrinksToTheThinnestStrip() {
        assertEquals(33, with(Map.of(), 8, Map.of()).haloDepth()); // 266 / 8 = 33 rows
        assertEquals(3, with(Map.of(), 80, Map.of()).haloDepth());
        assertEquals(1, with(Map.of(), 266, Map.of()).haloDepth());
    }

    /**
     * Fewer ghost rows on wider rows: the recomputed overlap costs more, the exchange the same;
     * and no more than temporal blocking carries in the cache.
     */
    @Test
    void autoDepthBalancesExchangesAgainstRecomputedRowsWithinTheCache() {
        assertEquals(63, Diff2dTuning.autoHaloDepth(266, 1000));
        assertEquals(16, Diff2dTuning.autoHaloDepth(2000, 1000)); // sqrt(2^20/2000) = 23: out of the cache
        assertEquals(1, Diff2dTuning.autoHaloDepth(10_000_000, 1000));
    }

    /** niodev's 128 KiB, less MPJ's 8-byte section header, holds 61 rows of 268 doubles. */
    @Test
    void autoDepthShrinksToWhatOneEagerMessageHolds() {
        Diff2dTuning auto = with(Map.of(), 2, Map.of());
        assertEquals(61, auto.forMessagesUpTo(131_072 - 8, 266).haloDepth());
        assertEquals(63, auto.forMessagesUpTo(Long.MAX_VALUE, 266).haloDepth());
        assertEquals(1, auto.forMessagesUpTo(100, 266).haloDepth(), "at least one row, however small the limit");
        Diff2dTuning chosen = with(Map.of("halo-depth", "63"), 2, Map.of());
        assertEquals(63, chosen.forMessagesUpTo(131_072 - 8, 266).haloDepth(), "the user's depth stays");
    }

    @Test
    void threadsComeFromSlurmUnlessGiven() {
        assertEquals(4, with(Map.of(), 1, Map.of("SLURM_CPUS_PER_TASK", "4")).threads());
        assertEquals(2, with(Map.of("threads", "2"), 1, Map.of("SLURM_CPUS_PER_TASK", "4")).threads());
    }

    @Test
    void optionsAreTakenAsGiven() {
        Diff2dTuning tuning = with(Map.of("halo-depth", "5", "overlap", "False", "background-io", "no",
                "kernels", "scalar"), 4, Map.of());
        assertEquals(5, tuning.haloDepth());
        assertFalse(tuning.overlap());
        assertFalse(tuning.backgroundIo());
        assertEquals(Kernels.SCALAR, tuning.kernels());
    }

    @ParameterizedTest(name = "--{0} {1} at -np {2}")
    @CsvSource(delimiter = '|', value = {
            "halo-depth|0|2|--halo-depth 0: accepted 1 to 133 at -np 2 (the thinnest strip has int(nrows/np) = 133 rows); or auto",
            "halo-depth|deep|2|--halo-depth deep: not a whole number; accepted 1 to 133 at -np 2 (the thinnest strip has int(nrows/np) = 133 rows); or auto",
            "halo-depth|67|4|--halo-depth 67: accepted 1 to 66 at -np 4 (the thinnest strip has int(nrows/np) = 66 rows); or auto",
            "threads|0|1|--threads 0: accepted 1 to 1024",
            "threads|2000|1|--threads 2000: accepted 1 to 1024",
            "overlap|sometimes|1|--overlap sometimes: accepted True or False",
            "background-io|2|1|--background-io 2: accepted True or False",
            "kernels|simd|1|--kernels simd: accepted auto, vector or scalar",
            "temporal-blocking|maybe|1|--temporal-blocking maybe: accepted True or False"})
    void badValuesNameTheOptionAndWhatIsAccepted(String name, String value, int ranks, String message) {
        ParameterException e = assertThrows(ParameterException.class, () -> with(Map.of(name, value), ranks, Map.of()));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aBadSlurmCpuCountIsNamed() {
        ParameterException e = assertThrows(ParameterException.class,
                () -> with(Map.of(), 1, Map.of("SLURM_CPUS_PER_TASK", "lots")));
        assertTrue(e.getMessage().startsWith("--threads auto: SLURM_CPUS_PER_TASK=lots is not a thread count"),
                e.getMessage());
    }
}
