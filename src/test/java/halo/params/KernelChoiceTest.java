package halo.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import halo.kernel.Kernels;

class KernelChoiceTest {

    private static Kernels choose(Map<String, String> options, boolean vectorAvailable) {
        return KernelChoice.from(ParameterSource.load("diff2d", null, options), vectorAvailable);
    }

    @ParameterizedTest(name = "--kernels {0}, Vector API {1}: {2}")
    @CsvSource({"auto,true,VECTOR", "auto,false,SCALAR", "vector,true,VECTOR", "scalar,true,SCALAR",
            "scalar,false,SCALAR", "Scalar,true,SCALAR"})
    void theOptionChoosesAmongTheFormsTheJvmHas(String option, boolean vectorAvailable, Kernels expected) {
        assertEquals(expected, choose(Map.of("kernels", option), vectorAvailable));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"diff2d", "auc"})
    void theDefaultIsAuto(String app) {
        assertEquals(Kernels.VECTOR, KernelChoice.from(ParameterSource.load(app, null, Map.of()), true));
        assertEquals(Kernels.SCALAR, KernelChoice.from(ParameterSource.load(app, null, Map.of()), false));
    }

    @Test
    void anUnknownFormNamesTheAcceptedOnes() {
        ParameterException e = assertThrows(ParameterException.class, () -> choose(Map.of("kernels", "fast"), true));
        assertEquals("--kernels fast: accepted auto, vector or scalar", e.getMessage());
    }

    @Test
    void vectorWithoutTheVectorApiSaysHowToGetIt() {
        ParameterException e = assertThrows(ParameterException.class, () -> choose(Map.of("kernels", "vector"), false));
        assertEquals("--kernels vector: this JVM has no Vector API (java --add-modules=jdk.incubator.vector, as"
                + " mpjrun.sh starts it when the JDK has that module); accepted auto or scalar", e.getMessage());
    }
}
