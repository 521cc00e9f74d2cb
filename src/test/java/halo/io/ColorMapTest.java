package halo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ColorMapTest {

    private static final ColorMap MAP = ColorMap.NIPY_SPECTRAL;

    private static int rgb(int red, int green, int blue) {
        return 0xFF000000 | red << 16 | green << 8 | blue;
    }

    @Test
    void endpointsAreBlackAndLightGrey() {
        assertEquals(rgb(0, 0, 0), MAP.argb(0.0, 0.0, 1.0));
        assertEquals(rgb(204, 204, 204), MAP.argb(1.0, 0.0, 1.0)); // 0.8 * 255
    }

    /** Expected bytes are matplotlib's: cm.nipy_spectral(i, bytes=True)[:3]. */
    @Test
    void tableMatchesMatplotlib() {
        assertEquals(rgb(123, 0, 140), MAP.entry(16));
        assertEquals(rgb(66, 0, 161), MAP.entry(32));
        assertEquals(rgb(0, 119, 221), MAP.entry(64));
        assertEquals(rgb(0, 170, 151), MAP.entry(96));
        assertEquals(rgb(0, 185, 0), MAP.entry(127));
        assertEquals(rgb(0, 188, 0), MAP.entry(128));
        assertEquals(rgb(102, 255, 0), MAP.entry(160));
        assertEquals(rgb(254, 204, 0), MAP.entry(191));
        assertEquals(rgb(235, 0, 0), MAP.entry(224));
        assertEquals(rgb(207, 0, 0), MAP.entry(240));
    }

    @Test
    void valuesFallIntoMatplotlibsBins() {
        // 256 equal bins: 0.5 is the first value of bin 128, just below it is bin 127.
        assertEquals(MAP.entry(128), MAP.argb(0.5, 0.0, 1.0));
        assertEquals(MAP.entry(127), MAP.argb(Math.nextDown(0.5), 0.0, 1.0));
        assertEquals(MAP.entry(64), MAP.argb(20.0 + 0.25 * 8, 20.0, 28.0));
    }

    @Test
    void clampsOutsideTheRange() {
        assertEquals(MAP.entry(0), MAP.argb(-3.0, 0.0, 1.0));
        assertEquals(MAP.entry(255), MAP.argb(7.0, 0.0, 1.0));
        assertEquals(MAP.entry(255), MAP.argb(Double.POSITIVE_INFINITY, 0.0, 1.0));
    }

    @Test
    void notANumberIsWhite() {
        assertEquals(rgb(255, 255, 255), MAP.argb(Double.NaN, 0.0, 1.0));
    }
}
