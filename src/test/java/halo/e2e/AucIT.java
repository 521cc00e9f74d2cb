package halo.e2e;

import static halo.e2e.RunDirectoryFiles.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** auc through the real launcher at several rank counts, against the serial run. */
class AucIT {

    @TempDir
    static Path work;
    private static double serialArea;

    @BeforeAll
    static void serialReference() {
        serialArea = summary(Halo.serialReference(work, "serial", "auc")).get("result").get("area").asDouble();
        assertEquals(8.175, serialArea, 1e-7);
    }

    @ParameterizedTest(name = "-np {0}")
    @ValueSource(ints = {1, 2, 3, 4, 8})
    void areaAgreesWithSerialAndTheExactValue(int ranks) {
        String out = "np" + ranks;
        Halo.Result result = Halo.mpjrun(work, ranks, "auc", "--out", out);
        assertEquals(0, result.exitStatus(), result.stderr());
        assertEquals("", result.stderr());
        assertEquals("vector", summary(work.resolve(out)).get("parameters").get("kernels").asText());
        double area = summary(work.resolve(out)).get("result").get("area").asDouble();
        assertEquals(8.175, area, 1e-7);
        assertEquals(serialArea, area, Math.abs(serialArea) * 1e-12);
        assertEquals(30_000_000L, summary(work.resolve(out)).get("parameters").get("ntot").asLong());
        assertEquals(ranks, summary(work.resolve(out)).get("per_rank").size());
        String areaLine = result.stdout().lines().filter(l -> l.startsWith("The area is ")).findFirst().orElseThrow();
        assertEquals(area, Double.parseDouble(areaLine.substring("The area is ".length())));
        assertEquals(1, result.stdout().lines().filter(l -> l.startsWith("The area is ")).count());
        for (int r = 0; r < ranks; r++) {
            assertTrue(RunDirectoryFiles.textLog(work.resolve(out), r).contains("phase: phase reduction"));
        }
    }

    @Test
    void theScalarKernelGivesTheVectorKernelsAreaBitForBit() {
        Halo.Result vector = Halo.mpjrun(work, 2, "auc", "--kernels", "vector", "--out", "vector");
        Halo.Result scalar = Halo.mpjrun(work, 2, "auc", "--kernels", "scalar", "--out", "scalar");
        assertEquals(0, vector.exitStatus(), vector.stderr());
        assertEquals(0, scalar.exitStatus(), scalar.stderr());
        assertEquals("scalar", summary(work.resolve("scalar")).get("parameters").get("kernels").asText());
        assertEquals(Double.doubleToLongBits(summary(work.resolve("vector")).get("result").get("area").asDouble()),
                Double.doubleToLongBits(summary(work.resolve("scalar")).get("result").get("area").asDouble()));
    }

    /** The JIT warm-up sums samples of its own: without it, the same area, bit for bit. */
    @Test
    void withoutTheJitWarmUpTheAreaIsTheSame() {
        Halo.Result warm = Halo.mpjrun(work, 2, "auc", "--out", "warm");
        Halo.Result cold = Halo.mpjrunWithJvmOption(work, "-Dhalo.jit-warm-up=false", 2, "auc", "--out", "cold");
        assertEquals(0, warm.exitStatus(), warm.stderr());
        assertEquals(0, cold.exitStatus(), cold.stderr());
        assertEquals(Double.doubleToLongBits(summary(work.resolve("warm")).get("result").get("area").asDouble()),
                Double.doubleToLongBits(summary(work.resolve("cold")).get("result").get("area").asDouble()));
    }
}
