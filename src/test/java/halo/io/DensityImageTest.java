package halo.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DensityImageTest {

    @TempDir
    Path dir;

    /** A ramp whose column c lies in colour-map bin c, so every table colour is drawn. */
    @Test
    void pngShowsEveryColourOfTheMap() throws IOException {
        int rows = 40;
        int cols = ColorMap.SIZE;
        double[] ramp = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                ramp[r * cols + c] = (c + 0.5) / cols;
            }
        }
        Path file = dir.resolve("ramp.png");
        DensityImage.writePng(file, ramp, 0, rows, cols, cols, 0.0, 1.0, "ramp");

        BufferedImage picture = ImageIO.read(file.toFile());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = 0; x < picture.getWidth(); x++) {
                colours.add(picture.getRGB(x, y));
            }
        }
        for (int i = 0; i < ColorMap.SIZE; i++) {
            assertTrue(colours.contains(ColorMap.NIPY_SPECTRAL.entry(i)), "colour-map entry " + i);
        }
        assertTrue(colours.contains(0xFFFFFFFF), "white background");
    }

    @Test
    void smallFieldsAreEnlargedToAboutSixHundredPixels() throws IOException {
        BufferedImage picture = writeAndRead(new double[266 * 266], 266, 266, "diff2d  simtime = 0.5000");
        // 2 pixels per cell (532) plus the colour bar and margins
        assertTrue(picture.getWidth() > 532 + 60 && picture.getWidth() < 800, "width " + picture.getWidth());
        assertTrue(picture.getHeight() > 532 && picture.getHeight() < 700, "height " + picture.getHeight());
    }

    @Test
    void largeFieldsAreShrunk() throws IOException {
        BufferedImage picture = writeAndRead(new double[2000 * 2000], 2000, 2000, "big");
        assertTrue(picture.getWidth() < 800, "width " + picture.getWidth());
        assertTrue(picture.getHeight() < 750, "height " + picture.getHeight());
    }

    @Test
    void rowZeroIsAtTheTopAndGhostCellsAreSkipped() throws IOException {
        // 2x2 interior of a 4x4 array; ghost cells hold 1.0 (grey), which must not appear.
        int stride = 4;
        double[] withGhosts = new double[16];
        java.util.Arrays.fill(withGhosts, 1.0);
        withGhosts[5] = 0.0; // row 0
        withGhosts[6] = 0.0;
        withGhosts[9] = 0.5; // row 1
        withGhosts[10] = 0.5;
        Path file = dir.resolve("ghosts.png");
        DensityImage.writePng(file, withGhosts, stride + 1, 2, 2, stride, 0.0, 1.0, "t");
        BufferedImage picture = ImageIO.read(file.toFile());

        int black = ColorMap.NIPY_SPECTRAL.argb(0.0, 0.0, 1.0);
        int green = ColorMap.NIPY_SPECTRAL.argb(0.5, 0.0, 1.0);
        int firstBlack = -1;
        int firstGreen = -1;
        int grey = 0;
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = 0; x < picture.getWidth() / 2; x++) { // the field, left of the colour bar
                int pixel = picture.getRGB(x, y);
                if (pixel == black && firstBlack < 0) {
                    firstBlack = y;
                }
                if (pixel == green && firstGreen < 0) {
                    firstGreen = y;
                }
                grey += pixel == ColorMap.NIPY_SPECTRAL.entry(ColorMap.SIZE - 1) ? 1 : 0;
            }
        }
        assertTrue(firstBlack >= 0 && firstGreen > firstBlack, "black row 0 above green row 1");
        assertEquals(0, grey, "ghost cells drawn");
    }

    @Test
    void ticksAreSixEvenlySpacedValues() {
        assertArrayEquals(new String[] {"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}, DensityImage.tickLabels(0.0, 1.0));
        assertArrayEquals(new String[] {"0", "20", "40", "60", "80", "100"}, DensityImage.tickLabels(0, 100));
        assertArrayEquals(new String[] {"-1.0", "-0.6", "-0.2", "0.2", "0.6", "1.0"}, DensityImage.tickLabels(-1, 1));
        assertArrayEquals(new String[] {"0.00", "0.25", "0.50", "0.75", "1.00", "1.25"}, DensityImage.tickLabels(0, 1.25));
    }

    @Test
    void refusesAnEmptyRange() {
        assertThrows(IllegalArgumentException.class,
                () -> DensityImage.writePng(dir.resolve("x.png"), new double[4], 0, 2, 2, 2, 1.0, 1.0, "t"));
    }

    private BufferedImage writeAndRead(double[] data, int rows, int cols, String title) throws IOException {
        Path file = dir.resolve("field.png");
        DensityImage.writePng(file, data, 0, rows, cols, cols, 0.0, 1.0, title);
        BufferedImage picture = ImageIO.read(file.toFile());
        assertTrue(picture != null, "readable PNG");
        return picture;
    }

    /** Each rank samples its own rows; the pieces in row order draw the picture of the whole field. */
    @Test
    void pictureFromStripsSamplesIsThePictureOfTheWholeField() throws IOException {
        for (int[] shape : new int[][] {{266, 266}, {1000, 700}, {7, 3}, {601, 1300}}) {
            int rows = shape[0];
            int cols = shape[1];
            int stride = cols + 2;
            double[] data = new double[rows * stride];
            for (int i = 0; i < data.length; i++) {
                data[i] = (i * 7919 % 1000) / 1000.0;
            }
            DensityImage.Frame frame = new DensityImage.Frame(rows, cols);
            assertTrue(Math.max(frame.width(), frame.height()) <= 900, "a picture near 600 pixels a side");
            int strips = Math.min(rows, 8);
            double[] shown = new double[0];
            for (int s = 0; s < strips; s++) {
                int first = rows * s / strips;
                int end = rows * (s + 1) / strips;
                double[] piece = frame.sample(first, end - first, data, first * stride + 1, stride);
                double[] joined = Arrays.copyOf(shown, shown.length + piece.length);
                System.arraycopy(piece, 0, joined, shown.length, piece.length);
                shown = joined;
            }
            Path whole = dir.resolve("whole.png");
            Path fromStrips = dir.resolve("strips.png");
            DensityImage.writePng(whole, data, 1, rows, cols, stride, 0.0, 1.0, "t");
            DensityImage.writePng(fromStrips, frame, shown, 0.0, 1.0, "t");
            assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(fromStrips),
                    rows + "x" + cols);
        }
    }
}
