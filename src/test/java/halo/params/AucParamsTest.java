package halo.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AucParamsTest {

    @Test
    void courseDefault() {
        AucParams p = AucParams.from(ParameterSource.load("auc", null, Map.of()));
        assertEquals(30_000_000, p.ntot());
        assertEquals(1e-7, p.dx());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "1.5", "many"})
    void ntotMustBeAPositiveWholeNumber(String ntot) {
        ParameterException e = assertThrows(ParameterException.class,
                () -> AucParams.from(ParameterSource.load("auc", null, Map.of("ntot", ntot))));
        assertTrue(e.getMessage().startsWith("--ntot " + ntot + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("1 to "), e.getMessage());
    }
}
