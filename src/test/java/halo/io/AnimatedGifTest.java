package halo.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnimatedGifTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void offScreen() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void longRunsKeepAtMostThreeHundredFramesEvenlyWithTheFirstAndLast() {
        int[] chosen = AnimatedGif.evenlyChosen(1001, AnimatedGif.MAX_FRAMES);
        assertEquals(300, chosen.length);
        assertEquals(0, chosen[0]);
        assertEquals(1000, chosen[299]);
        for (int i = 1; i < chosen.length; i++) {
            int gap = chosen[i] - chosen[i - 1];
            assertTrue(gap == 3 || gap == 4, "even gaps: " + gap);
        }
        assertArrayEquals(new int[] {0, 1, 2}, AnimatedGif.evenlyChosen(3, AnimatedGif.MAX_FRAMES));
        assertArrayEquals(new int[] {0}, AnimatedGif.evenlyChosen(1, AnimatedGif.MAX_FRAMES));
    }

    @Test
    void snapshotsBecomeFramesInTheirOwnColours() throws IOException {
        Path gif = dir.resolve(AnimatedGif.FILE_NAME);
        double[][] fields = {{0.0, 0.25, 0.5, 1.0}, {1.0, 0.5, 0.25, 0.0}, {0.5, 0.5, 0.5, 0.5}};
        try (AnimatedGif animation = AnimatedGif.open(gif, fields.length)) {
            for (int i = 0; i < fields.length; i++) {
                Path png = dir.resolve("snapshot-" + i + ".png");
                DensityImage.writePng(png, fields[i], 0, 2, 2, 2, 0.0, 1.0, "frame " + i);
                animation.add(i, png);
            }
            assertFalse(Files.exists(gif), "the animation appears whole, at the end");
            animation.finish();
        }
        assertEquals(3, frames(gif));
        BufferedImage png = ImageIO.read(dir.resolve("snapshot-1.png").toFile());
        BufferedImage frame = frame(gif, 1);
        assertEquals(png.getWidth(), frame.getWidth());
        int x = png.getWidth() / 3;
        int y = png.getHeight() / 2;
        assertClose(png.getRGB(x, y), frame.getRGB(x, y));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")));
        }
    }

    @Test
    void anAnimationNotFinishedLeavesNoFile() throws IOException {
        Path png = dir.resolve("snapshot.png");
        DensityImage.writePng(png, new double[] {0.0, 1.0, 1.0, 0.0}, 0, 2, 2, 2, 0.0, 1.0, "frame");
        try (AnimatedGif animation = AnimatedGif.open(dir.resolve(AnimatedGif.FILE_NAME), 2)) {
            animation.add(0, png);
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the snapshot");
        }
    }

    /** Each channel within 12 of the PNG's: the fixed palette's nearest colour. */
    private static void assertClose(int expected, int actual) {
        for (int shift = 0; shift <= 16; shift += 8) {
            int e = expected >> shift & 0xFF;
            int a = actual >> shift & 0xFF;
            assertTrue(Math.abs(e - a) <= 12, Integer.toHexString(expected) + " vs " + Integer.toHexString(actual));
        }
    }

    static int frames(Path gif) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new File(gif.toString()))) {
            reader.setInput(in);
            return reader.getNumImages(true);
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage frame(Path gif, int index) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new File(gif.toString()))) {
            reader.setInput(in);
            return reader.read(index);
        } finally {
            reader.dispose();
        }
    }
}
