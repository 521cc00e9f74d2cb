package halo.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InitialDensityTest {

    @Test
    void tentIsZeroAtTheEdgesAndOneHalfwayToTheCentre() {
        // x1 = 0, x2 = 8, 8 rows: x_i = i - 1; a = 1 - |1 - 4|x - 4|/8|
        assertEquals(0.0, InitialDensity.tent(1, 0, 8, 8));     // x = 0: 1 - |1 - 2| = 0
        assertEquals(1.0, InitialDensity.tent(3, 0, 8, 8));     // x = 2: 1 - |1 - 1| = 1
        assertEquals(0.0, InitialDensity.tent(5, 0, 8, 8));     // x = 4 (centre): 1 - |1 - 0| = 0
        assertEquals(0.5, InitialDensity.tent(2, 0, 8, 8));     // x = 1: 1 - |1 - 1.5| = 0.5
    }

    @Test
    void fillUsesGlobalRowsOfTheStrip() {
        Field strip = new Field(2, 8, 2); // global interior rows 3 and 4
        InitialDensity.fill(strip, 0, 8, 8);
        int stride = strip.stride();
        assertEquals(InitialDensity.tent(3, 0, 8, 8) * InitialDensity.tent(2, 0, 8, 8),
                strip.current()[stride + 2]);
        assertEquals(InitialDensity.tent(4, 0, 8, 8) * InitialDensity.tent(8, 0, 8, 8),
                strip.current()[2 * stride + 8]);
    }
}
