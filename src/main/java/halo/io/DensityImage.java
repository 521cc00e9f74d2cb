package halo.io;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * A 2-D field as a PNG a scientist reads at a glance: the field in the nipy_spectral colour map
 * (row 0 at the top, as matplotlib's {@code imshow} draws an array), a colour bar with six
 * labelled ticks on its right, and a title above, on white.
 *
 * <p>Image size: a field whose longer side is at most 600 cells is enlarged by a whole number
 * of pixels per cell, round(600 / longer side), so each cell stays a crisp square; a larger
 * field is shrunk to 600 pixels along its longer side by taking the nearest cell, so a big run
 * does not produce a huge picture. Either way each pixel shows one cell ({@link Frame}), so the
 * picture can be drawn from the cells it shows alone: the ranks of a run each sample their own
 * rows ({@link Frame#sample}) and only those values, at most the picture's size, travel to the
 * rank that draws it.
 */
public final class DensityImage {

    /** Longer side of the field's picture, in pixels, that the scaling aims for. */
    private static final int TARGET_SIZE = 600;
    private static final int TICK_COUNT = 6;
    private static final int MARGIN = 24;
    private static final int TITLE_GAP = 12;
    private static final int BAR_GAP = 24;
    private static final int BAR_WIDTH = 24;
    /** A colour bar shorter than this has no room for its tick labels. */
    private static final int MIN_BAR_HEIGHT = 160;
    private static final int TICK_LENGTH = 5;
    private static final int LABEL_GAP = 4;

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 18);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final FontRenderContext ANTIALIASED = new FontRenderContext(null, true, true);

    static {
        // ImageIO otherwise buffers through a temporary file of its own: on a full disk that fails
        // outside our atomic write, and its shutdown hook then prints a stack trace of its own.
        ImageIO.setUseCache(false);
    }

    private DensityImage() {
    }

    /**
     * Which cell each pixel of a rows×cols field's picture shows: the cell nearest the pixel's
     * centre, row 0 on top.
     */
    public static final class Frame {

        private final int rows;
        private final int cols;
        private final int width;
        private final int height;
        private final int[] cellColumn;

        public Frame(int rows, int cols) {
            if (rows <= 0 || cols <= 0) {
                throw new IllegalArgumentException("cannot draw an empty " + rows + "x" + cols + " field");
            }
            this.rows = rows;
            this.cols = cols;
            int longer = Math.max(rows, cols);
            double pixelsPerCell = longer <= TARGET_SIZE
                    ? Math.max(1, Math.round((double) TARGET_SIZE / longer))
                    : (double) TARGET_SIZE / longer;
            this.width = Math.max(1, (int) Math.round(cols * pixelsPerCell));
            this.height = Math.max(1, (int) Math.round(rows * pixelsPerCell));
            this.cellColumn = new int[width];
            for (int x = 0; x < width; x++) {
                cellColumn[x] = Math.min(cols - 1, (int) ((x + 0.5) * cols / width));
            }
        }

        /** Pixels across the field's picture. */
        public int width() {
            return width;
        }

        /** Pixel rows of the field's picture. */
        public int height() {
            return height;
        }

        /** The field row that pixel row {@code y} shows. */
        public long cellRow(int y) {
            return Math.min(rows - 1, (long) ((y + 0.5) * rows / height));
        }

        /** The first pixel row that shows field row {@code row} or a later one (height: none). */
        public int firstPixelRowFrom(long row) {
            int low = 0;
            int high = height;
            while (low < high) { // cellRow grows with y
                int middle = (low + high) >>> 1;
                if (cellRow(middle) < row) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }

        /**
         * The values shown by the pixel rows that show field rows {@code firstRow} to
         * {@code firstRow + count - 1}, a row of {@link #width()} values per pixel row; the rows
         * are the rows×cols block of {@code data} at {@code offset}, {@code rowStride} apart.
         */
        public double[] sample(long firstRow, int count, double[] data, int offset, int rowStride) {
            Block.check(data, offset, count, cols, rowStride);
            int first = firstPixelRowFrom(firstRow);
            int end = firstPixelRowFrom(firstRow + count);
            double[] values = new double[Math.multiplyExact(end - first, width)];
            for (int y = first; y < end; y++) {
                int rowStart = offset + (int) (cellRow(y) - firstRow) * rowStride;
                for (int x = 0; x < width; x++) {
                    values[(y - first) * width + x] = data[rowStart + cellColumn[x]];
                }
            }
            return values;
        }
    }

    /**
     * Writes the rows×cols block of {@code data} at {@code offset} (rows {@code rowStride} apart)
     * as a PNG, colouring vmin to vmax; values outside take the end colours, NaN is left white.
     */
    public static void writePng(Path file, double[] data, int offset, int rows, int cols, int rowStride,
            double vmin, double vmax, String title) throws IOException {
        Block.check(data, offset, rows, cols, rowStride);
        Frame frame = new Frame(rows, cols);
        writePng(file, frame, frame.sample(0, rows, data, offset, rowStride), vmin, vmax, title);
    }

    /**
     * Writes the picture of a field from the values its pixels show ({@link Frame#sample} of
     * every row, in row order): the same picture as from the whole field.
     */
    public static void writePng(Path file, Frame frame, double[] shown, double vmin, double vmax, String title)
            throws IOException {
        BufferedImage picture = render(frame, shown, vmin, vmax, title);
        AtomicFile.write(file, out -> {
            if (!ImageIO.write(picture, "png", out)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
    }

    static BufferedImage render(Frame frame, double[] shown, double vmin, double vmax, String title) {
        Objects.requireNonNull(title, "title");
        if (shown.length != frame.width() * frame.height()) {
            throw new IllegalArgumentException(shown.length + " values for a picture of " + frame.width() + "x"
                    + frame.height() + " pixels");
        }
        if (!(Double.isFinite(vmin) && Double.isFinite(vmax) && vmin < vmax)) {
            throw new IllegalArgumentException("colour range [" + vmin + ", " + vmax + "] is not a finite, non-empty range");
        }

        int fieldWidth = frame.width();
        int fieldHeight = frame.height();
        int barHeight = Math.max(fieldHeight, MIN_BAR_HEIGHT);

        String[] labels = tickLabels(vmin, vmax);
        int labelWidth = 0;
        for (String label : labels) {
            labelWidth = Math.max(labelWidth, textWidth(TICK_FONT, label));
        }
        int titleWidth = textWidth(TITLE_FONT, title);
        int titleHeight = (int) Math.ceil(TITLE_FONT.getLineMetrics(title, ANTIALIASED).getHeight());

        int fieldLeft = MARGIN;
        int top = MARGIN + titleHeight + TITLE_GAP;
        int barLeft = fieldLeft + fieldWidth + BAR_GAP;
        int labelLeft = barLeft + BAR_WIDTH + TICK_LENGTH + LABEL_GAP;
        int width = Math.max(labelLeft + labelWidth + MARGIN, titleWidth + 2 * MARGIN);
        int height = top + barHeight + MARGIN;

        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            picture.setRGB(fieldLeft, top, fieldWidth, fieldHeight, pixels(shown, vmin, vmax), 0, fieldWidth);
            drawColourBar(g, barLeft, top, barHeight);
            g.setColor(Color.BLACK);
            g.drawRect(fieldLeft - 1, top - 1, fieldWidth + 1, fieldHeight + 1);
            g.drawRect(barLeft - 1, top - 1, BAR_WIDTH + 1, barHeight + 1);
            drawTicks(g, labels, barLeft + BAR_WIDTH, labelLeft, top, barHeight);

            // Centred over the field like a matplotlib axes title, but never cut off at the edges.
            int titleLeft = Math.max(MARGIN, Math.min(fieldLeft + (fieldWidth - titleWidth) / 2,
                    width - MARGIN - titleWidth));
            g.setFont(TITLE_FONT);
            g.drawString(title, titleLeft, MARGIN + g.getFontMetrics().getAscent());
        } finally {
            g.dispose();
        }
        return picture;
    }

    private static int[] pixels(double[] shown, double vmin, double vmax) {
        int[] pixels = new int[shown.length];
        for (int i = 0; i < shown.length; i++) {
            pixels[i] = ColorMap.NIPY_SPECTRAL.argb(shown[i], vmin, vmax);
        }
        return pixels;
    }

    /** vmax at the top, vmin at the bottom, one table entry per pixel row. */
    private static void drawColourBar(Graphics2D g, int left, int top, int height) {
        for (int y = 0; y < height; y++) {
            double fromBottom = 1.0 - (double) y / (height - 1);
            g.setColor(new Color(ColorMap.NIPY_SPECTRAL.entry((int) Math.round(fromBottom * (ColorMap.SIZE - 1)))));
            g.drawLine(left, top + y, left + BAR_WIDTH - 1, top + y);
        }
    }

    private static void drawTicks(Graphics2D g, String[] labels, int barRight, int labelLeft, int top, int height) {
        g.setFont(TICK_FONT);
        // Digits have no descenders: centre their visible height on the tick.
        int halfDigitHeight = (int) Math.round(
                TICK_FONT.createGlyphVector(ANTIALIASED, "0").getVisualBounds().getHeight() / 2);
        for (int k = 0; k < labels.length; k++) {
            int y = top + (int) Math.round((height - 1) * (1.0 - (double) k / (labels.length - 1)));
            g.drawLine(barRight, y, barRight + TICK_LENGTH - 1, y);
            g.drawString(labels[k], labelLeft, y + halfDigitHeight);
        }
    }

    /**
     * Six evenly spaced values from vmin to vmax, with as few decimals as tell them apart
     * exactly (0.0, 0.2, ..., 1.0), falling back to three significant digits.
     */
    static String[] tickLabels(double vmin, double vmax) {
        double step = (vmax - vmin) / (TICK_COUNT - 1);
        double[] values = new double[TICK_COUNT];
        for (int k = 0; k < TICK_COUNT; k++) {
            double value = k == TICK_COUNT - 1 ? vmax : vmin + k * step;
            values[k] = Math.abs(value) < step * 1e-9 ? 0.0 : value; // no "-0.0"
        }
        String[] labels = new String[TICK_COUNT];
        for (int decimals = 0; decimals <= 6; decimals++) {
            if (format(values, "%." + decimals + "f", labels, step)) {
                return labels;
            }
        }
        format(values, "%.3g", labels, step);
        return labels;
    }

    /** Formats every value; true if each label reads back as its value, to within step/10^6. */
    private static boolean format(double[] values, String pattern, String[] labels, double step) {
        boolean exact = true;
        for (int k = 0; k < values.length; k++) {
            labels[k] = String.format(Locale.ROOT, pattern, values[k]);
            exact &= Math.abs(Double.parseDouble(labels[k]) - values[k]) <= step * 1e-6;
        }
        return exact;
    }

    private static int textWidth(Font font, String text) {
        return (int) Math.ceil(font.getStringBounds(text, ANTIALIASED).getWidth());
    }
}
