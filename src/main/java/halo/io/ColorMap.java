package halo.io;

/**
 * A colour map as matplotlib draws one: 256 colours interpolated from segment data, and a value
 * mapped to the colour of its bin, so a Halo picture matches what {@code imshow} shows for the
 * same array.
 */
public final class ColorMap {

    /** Number of colours in the lookup table (matplotlib's default). */
    public static final int SIZE = 256;

    /**
     * matplotlib's {@code nipy_spectral}: its {@code _nipy_spectral_data} control points, one
     * every 0.05 from 0 to 1, black through violet, blue, green, yellow and red to light grey.
     */
    public static final ColorMap NIPY_SPECTRAL = new ColorMap(
            new double[] {0.0, 0.4667, 0.5333, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                0.0, 0.0, 0.7333, 0.9333, 1.0, 1.0, 1.0, 0.8667, 0.80, 0.80},
            new double[] {0.0, 0.0, 0.0, 0.0, 0.0, 0.4667, 0.6000, 0.6667, 0.6667, 0.6000, 0.7333,
                0.8667, 1.0, 1.0, 0.9333, 0.8000, 0.6000, 0.0, 0.0, 0.0, 0.80},
            new double[] {0.0, 0.5333, 0.6000, 0.6667, 0.8667, 0.8667, 0.8667, 0.6667, 0.5333, 0.0, 0.0,
                0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.80});

    /** Not-a-number cells are left blank: matplotlib draws them transparent over a white figure. */
    private static final int NOT_A_NUMBER = 0xFFFFFFFF;

    private final int[] table = new int[SIZE];

    /** Channels given at evenly spaced control points from 0 to 1, the same number for each. */
    private ColorMap(double[] red, double[] green, double[] blue) {
        for (int i = 0; i < SIZE; i++) {
            table[i] = 0xFF000000 | toByte(interpolate(red, i)) << 16 | toByte(interpolate(green, i)) << 8
                    | toByte(interpolate(blue, i));
        }
    }

    /**
     * The colour of {@code value} on a scale from vmin to vmax, as opaque ARGB. Values outside
     * the range take the end colours; the range is split into 256 equal bins like matplotlib's.
     */
    public int argb(double value, double vmin, double vmax) {
        double fraction = (value - vmin) / (vmax - vmin);
        if (Double.isNaN(fraction)) {
            return NOT_A_NUMBER;
        }
        // matplotlib truncates fraction * 256 and lets exactly vmax fall into the last bin.
        int index = (int) Math.min(SIZE - 1, Math.max(0, fraction * SIZE));
        return table[index];
    }

    /** Lookup-table entry {@code index} (0 = the colour of vmin, 255 = of vmax), opaque ARGB. */
    public int entry(int index) {
        return table[index];
    }

    /**
     * Channel value at table entry {@code i}, computed as matplotlib's
     * {@code _create_lookup_table} does (same operations in the same order, so the same doubles).
     */
    private static double interpolate(double[] controlValues, int i) {
        int last = controlValues.length - 1;
        if (i == 0) {
            return controlValues[0];
        }
        if (i == SIZE - 1) {
            return controlValues[last];
        }
        double x = i * (1.0 / (SIZE - 1));
        int above = 1;
        while (controlPoint(above, last) < x) {
            above++;
        }
        double below = controlPoint(above - 1, last);
        double distance = (x - below) / (controlPoint(above, last) - below);
        double value = distance * (controlValues[above] - controlValues[above - 1]) + controlValues[above - 1];
        return Math.min(1.0, Math.max(0.0, value));
    }

    /** k / last is the double nearest k/last, the same double as matplotlib's literal (0.05, 0.1, ...). */
    private static double controlPoint(int k, int last) {
        return (double) k / last;
    }

    /** matplotlib converts to 8 bits by truncating channel * 255. */
    private static int toByte(double channel) {
        return (int) (channel * 255);
    }
}
