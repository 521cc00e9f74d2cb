package halo.io;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The snapshots of a run as one animated GIF ({@code snapshots.gif}), looping, so that a user
 * can watch the field evolve without a notebook. Written with the JDK's own GIF writer, whole
 * or not at all; at most {@link #MAX_FRAMES} frames, chosen evenly over the run, the first and
 * last always.
 *
 * <p>GIF has 256 colours a frame. Left to itself the JDK's writer builds a palette per frame
 * (an octree over every pixel), several times the cost of the rest of a snapshot's output
 * (docs/report.md); the pictures hold little but the colour map and grey text, so one fixed
 * palette does: 224 colours of the map and 32 greys, each pixel taking the nearest.
 */
/**
 * The snapshots of a run as one animated GIF ({@code snapshots.gif}), looping, so that a user
 * can watch the field evolve without a notebook. Frames are encoded as the snapshots are
 * written (on the background output thread, with background I/O), so the run's end waits for
 * the last frame only. They are kept in memory (a frame of the course grid takes about 70 kB,
 * at most {@link #MAX_FRAMES} frames) and {@link #finish} writes the file whole or not at all,
 * so the disk sees nothing of it until then. The frames are chosen evenly over the run's
 * outputs, the first and last always.
 *
 * <p>GIF has 256 colours a frame. Left to itself the JDK's writer builds a palette per frame
 * (an octree over every pixel), several times the cost of the rest of a snapshot's output
 * (docs/report.md); the pictures hold little but the colour map and grey text, so one fixed
 * palette does: 224 colours of the map and 32 greys, each pixel taking the nearest.
 */
public final class AnimatedGif implements AutoCloseable {

    public static final String FILE_NAME = "snapshots.gif";
    public static final int MAX_FRAMES = 300;
    /** The whole animation lasts about this long (centiseconds), each frame 0.05 to 0.5 s. */
    private static final int TARGET_CENTISECONDS = 800;
    private static final String FORMAT = "javax_imageio_gif_image_1.0";
    private static final String STREAM_FORMAT = "javax_imageio_gif_stream_1.0";
    private static final int GREYS = 32;
    private static final IndexColorModel PALETTE = palette();

    private final Path target;
    private final ByteArrayOutputStream encoded = new ByteArrayOutputStream();
    private final ImageWriter writer;
    private final ImageOutputStream stream;
    private final BitSet chosen = new BitSet();
    private final int delay;
    /** Each colour, to 5 bits a channel, to its nearest palette entry; -1 until first seen. */
    private final short[] nearest = new short[1 << 15];
    private int frames;
    private boolean closed;

    private AnimatedGif(Path target, int outputs) throws IOException {
        this.target = target;
        int[] indices = evenlyChosen(outputs, MAX_FRAMES);
        for (int index : indices) {
            chosen.set(index);
        }
        this.delay = Math.max(5, Math.min(50, TARGET_CENTISECONDS / Math.max(1, indices.length)));
        Arrays.fill(nearest, (short) -1);
        this.writer = ImageIO.getImageWritersByFormatName("gif").next();
        this.stream = new MemoryCacheImageOutputStream(encoded);
        writer.setOutput(stream);
        writer.prepareWriteSequence(globalColourTable(writer));
    }

    /** Starts {@code gif} for a run whose snapshots are numbered 0 to {@code outputs} - 1. */
    public static AnimatedGif open(Path gif, int outputs) {
        try {
            return new AnimatedGif(gif, outputs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + gif + ": " + e.getMessage(), e);
        }
    }

    /** Adds snapshot {@code index}, the picture {@code png}, if it is one of the frames chosen. */
    public void add(int index, Path png) throws IOException {
        if (!chosen.get(index)) {
            return;
        }
        try {
            BufferedImage picture = ImageIO.read(png.toFile());
            if (picture == null) {
                throw new IOException(png + " is not a picture ImageIO reads");
            }
            BufferedImage frame = indexed(picture);
            writer.writeToSequence(new IIOImage(frame, null, metadata(frame, frames == 0)), null);
            frames++;
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + IoErrors.reason(e), e);
        }
    }

    /**
     * Ends the animation and writes the file, whole or not at all; without a frame, there is no file.
     *
     * @throws IOException one line for the user: {@code cannot write PATH: reason}
     */
    public void finish() throws IOException {
        try {
            writer.endWriteSequence();
            stream.flush(); // every byte out to the buffer
            if (frames > 0) {
                AtomicFile.write(target, encoded::writeTo);
            }
        } finally {
            close();
        }
    }

    /** Releases the writer and the frames; again: nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.dispose();
        try {
            stream.close();
        } catch (IOException e) {
            // memory only: nothing to report
        }
        encoded.reset();
    }

    /** Indices of at most {@code max} of {@code count} frames, evenly spread, first and last included. */
    static int[] evenlyChosen(int count, int max) {
        int n = Math.min(count, max);
        int[] chosen = new int[n];
        for (int i = 0; i < n; i++) {
            chosen[i] = n == 1 ? 0 : (int) Math.round((double) i * (count - 1) / (n - 1));
        }
        return chosen;
    }

    private static IndexColorModel palette() {
        byte[] r = new byte[ColorMap.SIZE];
        byte[] g = new byte[ColorMap.SIZE];
        byte[] b = new byte[ColorMap.SIZE];
        int colours = ColorMap.SIZE - GREYS;
        for (int i = 0; i < ColorMap.SIZE; i++) {
            int rgb = i < colours
                    ? ColorMap.NIPY_SPECTRAL.entry(i * (ColorMap.SIZE - 1) / (colours - 1))
                    : 0x010101 * ((i - colours) * 255 / (GREYS - 1));
            r[i] = (byte) (rgb >> 16);
            g[i] = (byte) (rgb >> 8);
            b[i] = (byte) rgb;
        }
        return new IndexColorModel(8, ColorMap.SIZE, r, g, b);
    }

    /** The picture in the palette: each colour takes the nearest entry. */
    private BufferedImage indexed(BufferedImage picture) {
        int width = picture.getWidth();
        int height = picture.getHeight();
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(picture, 0, 0, null);
        int[] pixels = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, PALETTE);
        byte[] indices = ((DataBufferByte) frame.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            int p = pixels[i];
            int key = (p >> 9 & 0x7C00) | (p >> 6 & 0x3E0) | (p >> 3 & 0x1F);
            if (nearest[key] < 0) {
                nearest[key] = nearestIndex(p);
            }
            indices[i] = (byte) nearest[key];
        }
        return frame;
    }

    private static short nearestIndex(int rgb) {
        int best = 0;
        long bestDistance = Long.MAX_VALUE;
        for (int i = 0; i < PALETTE.getMapSize(); i++) {
            int dr = PALETTE.getRed(i) - (rgb >> 16 & 0xFF);
            int dg = PALETTE.getGreen(i) - (rgb >> 8 & 0xFF);
            int db = PALETTE.getBlue(i) - (rgb & 0xFF);
            long distance = (long) dr * dr + (long) dg * dg + (long) db * db;
            if (distance < bestDistance) {
                bestDistance = distance;
                best = i;
            }
        }
        return (short) best;
    }

    /** The stream's one colour table, {@link #PALETTE} (without it the writer takes a web palette). */
    private static IIOMetadata globalColourTable(ImageWriter writer) throws IOException {
        IIOMetadata metadata = writer.getDefaultStreamMetadata(null);
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(STREAM_FORMAT);
        IIOMetadataNode table = child(root, "GlobalColorTable");
        table.setAttribute("sizeOfGlobalColorTable", Integer.toString(PALETTE.getMapSize()));
        table.setAttribute("backgroundColorIndex", "0");
        table.setAttribute("sortFlag", "FALSE");
        while (table.hasChildNodes()) {
            table.removeChild(table.getFirstChild());
        }
        for (int i = 0; i < PALETTE.getMapSize(); i++) {
            IIOMetadataNode entry = new IIOMetadataNode("ColorTableEntry");
            entry.setAttribute("index", Integer.toString(i));
            entry.setAttribute("red", Integer.toString(PALETTE.getRed(i)));
            entry.setAttribute("green", Integer.toString(PALETTE.getGreen(i)));
            entry.setAttribute("blue", Integer.toString(PALETTE.getBlue(i)));
            table.appendChild(entry);
        }
        metadata.setFromTree(STREAM_FORMAT, root);
        return metadata;
    }

    /** A frame's delay; on the first frame also the loop-forever extension (NETSCAPE2.0). */
    private IIOMetadata metadata(BufferedImage frame, boolean first)
            throws IOException {
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
        IIOMetadataNode local = child(root, "LocalColorTable");
        root.removeChild(local); // every frame takes the global table, the same palette
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(delay));
        control.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            loop.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0: forever
            child(root, "ApplicationExtensions").appendChild(loop);
        }
        metadata.setFromTree(FORMAT, root);
        return metadata;
    }

    private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
        for (int i = 0; i < parent.getLength(); i++) {
            if (parent.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) parent.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        parent.appendChild(node);
        return node;
    }
}
