package halo.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Diff2dParamsTest {

    private static Diff2dParams with(Map<String, String> options) {
        return Diff2dParams.from(ParameterSource.load("diff2d", null, options));
    }

    @Test
    void courseDefaultsGiveA266GridAnd7075Steps() {
        Diff2dParams p = with(Map.of());
        assertEquals(1.0, p.D());
        assertEquals(266, p.nrows());
        assertEquals(266, p.ncols());
        assertEquals(20.0 / 266, p.dx());
        assertEquals(0.25 * (p.dx() * p.dx()) / 1.0, p.dt());
        assertEquals(7075, p.nsteps());
        assertEquals(353, p.nper());
        assertFalse(p.graphics());
    }

    @Test
    void nperIsAtLeastOne() {
        assertEquals(1, with(Map.of("outtime", "1e-9")).nper());
    }

    @Test
    void graphicsAcceptsThePythonSpelling() {
        assertTrue(with(Map.of("graphics", "True")).graphics());
        assertFalse(with(Map.of("graphics", "false")).graphics());
    }

    @ParameterizedTest(name = "--{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "dx|abc|--dx abc: not a number",
            "dx|NaN|--dx NaN: accepted a finite number",
            "dx|0|--dx 0: accepted dx > 0",
            "dx|30|--dx 30: accepted 0 < dx < x2 - x1 = 20.0",
            "dx|1e-8|--dx 1e-8: accepted dx >= (x2 - x1) / 700000000",
            "D|-1|--D -1: accepted D > 0",
            "x2|-20|--x2 -20: accepted x2 > x1 = -10.0",
            "runtime|1e-9|--runtime 1e-9: accepted runtime >= one time step",
            "outtime|0|--outtime 0: accepted outtime > 0",
            "graphics|maybe|--graphics maybe: accepted True or False"})
    void badValuesNameTheOptionAndWhatIsAccepted(String name, String value, String expectedStart) {
        ParameterException e = assertThrows(ParameterException.class, () -> with(Map.of(name, value)));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void confFileOverridesDefaultsAndOptionsOverrideTheConfFile(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("my.properties"), "dx = 0.5\nruntime = 2.0\n");
        Diff2dParams p = Diff2dParams.from(ParameterSource.load("diff2d", conf, Map.of("runtime", "1.0")));
        assertEquals(40, p.nrows());
        assertEquals(1.0, p.runtime());
    }

    @Test
    void aBadConfValueNamesTheFile(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("my.properties"), "D = -2\n");
        ParameterException e = assertThrows(ParameterException.class,
                () -> Diff2dParams.from(ParameterSource.load("diff2d", conf, Map.of())));
        assertTrue(e.getMessage().startsWith("D = -2 in " + conf + ": accepted D > 0"), e.getMessage());
    }

    @Test
    void unknownConfKeysAndMissingFilesAreErrors(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("typo.properties"), "dt = 0.1\n");
        ParameterException unknown = assertThrows(ParameterException.class,
                () -> ParameterSource.load("diff2d", conf, Map.of()));
        assertTrue(unknown.getMessage().contains("unknown parameter 'dt'"), unknown.getMessage());
        ParameterException missing = assertThrows(ParameterException.class,
                () -> ParameterSource.load("diff2d", dir.resolve("none.properties"), Map.of()));
        assertTrue(missing.getMessage().contains("none.properties: no such file; accepted: "), missing.getMessage());
    }
}
