package halo.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file whole or not at all: the bytes go to a hidden temporary file in the same
 * directory, are forced to disk, and only then renamed over the target in one atomic step. A
 * reader therefore sees either no file, the previous file, or the complete new one.
 *
 * <p>A file that several writers fill at once, each its own byte range ({@link StripFile}), is
 * written the same way in parts: one temporary file of a name every writer can work out
 * ({@link #shared}), positional writes each forced to disk ({@link #writeAt}), then one rename
 * ({@link #commit}) once every writer's part is on disk.
 */
final class AtomicFile {

    /** Produces the file's bytes; it may wrap or even close the stream it is given. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Fills {@code buffer} (cleared) with the next bytes to write; false when there are none left. */
    @FunctionalInterface
    interface Chunks {
        boolean fill(ByteBuffer buffer) throws IOException;
    }

    /** Writes the file by its name, for a library that opens the file itself (jHDF). */
    @FunctionalInterface
    interface NamedContent {
        void writeTo(Path file) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * The hidden temporary file beside {@code target} that its writers share. A fixed name, so
     * every writer knows it without being told: a run directory has one writer of each file.
     */
    static Path shared(Path target) {
        return target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".parts.tmp");
    }

    /**
     * A fresh (emptied) shared temporary file of {@code target} starting with {@code head}, and
     * with {@code tail} at {@code tailPosition} (the writers fill the bytes between).
     */
    static void createShared(Path target, byte[] head, long tailPosition, byte[] tail) throws IOException {
        try (FileChannel channel = FileChannel.open(shared(target), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(channel, ByteBuffer.wrap(head), 0);
            writeFully(channel, ByteBuffer.wrap(tail), tailPosition);
        } catch (IOException failure) {
            throw cannotWrite(target, failure);
        }
    }

    /**
     * Writes the chunks into {@code target}'s shared temporary file from {@code position} on,
     * and forces them to disk before returning.
     */
    static void writeAt(Path target, long position, int chunkBytes, Chunks chunks) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(chunkBytes).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(shared(target), StandardOpenOption.WRITE)) {
            long at = position;
            while (chunks.fill(buffer.clear())) {
                buffer.flip();
                at += writeFully(channel, buffer, at);
            }
            channel.force(true);
        } catch (IOException failure) {
            throw cannotWrite(target, failure);
        }
    }

    /** Renames the shared temporary file, every part of it on disk, over {@code target}. */
    static void commit(Path target) throws IOException {
        try {
            Files.move(shared(target), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException failure) {
            throw cannotWrite(target, failure);
        }
    }

    /** Removes the shared temporary file after a failure; the failure is what gets reported. */
    static void discard(Path target) {
        try {
            Files.deleteIfExists(shared(target));
        } catch (IOException cleanup) {
            // the run is failing already, for the reason the caller reports
        }
    }

    private static int writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        int length = bytes.remaining();
        while (bytes.hasRemaining()) {
            channel.write(bytes, position + length - bytes.remaining());
        }
        return length;
    }

    private static IOException cannotWrite(Path target, IOException failure) {
        return new IOException("cannot write " + target + ": " + IoErrors.reason(failure), failure);
    }

    /**
     * @throws IOException whose message is one line for the user: {@code cannot write PATH:
     *     no space left on device}
     */
    static void write(Path target, Content content) throws IOException {
        writeAside(target, temporary -> {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                OutputStream out = new UnclosableStream(
                        new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
        });
    }

    /** As {@link #write(Path, Content)}, for content that writes the temporary file by its name. */
    static void writeByName(Path target, NamedContent content) throws IOException {
        writeAside(target, temporary -> {
            content.writeTo(temporary);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        });
    }

    private static void writeAside(Path target, NamedContent content) throws IOException {
        try {
            replace(target, content);
        } catch (IOException failure) {
            throw cannotWrite(target, failure);
        }
    }

    /** {@code content} writes and forces the temporary file, which then takes the target's place. */
    private static void replace(Path target, NamedContent content) throws IOException {
        Path temporary = createTemporaryBeside(target);
        try {
            content.writeTo(temporary);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException | Error failure) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    /**
     * A new hidden file in the target's directory, so the rename never crosses file systems, and
     * with the usual permissions (unlike {@code Files.createTempFile}, which makes it private).
     */
    private static Path createTemporaryBeside(Path target) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        String prefix = "." + target.getFileName() + ".";
        while (true) {
            String unique = Long.toHexString(ThreadLocalRandom.current().nextLong());
            try {
                return Files.createFile(directory.resolve(prefix + unique + ".tmp"));
            } catch (FileAlreadyExistsException taken) {
                // another writer's temporary file: draw another name
            }
        }
    }

    /**
     * Writers such as Jackson close the stream they are given; the channel under it must stay
     * open until its bytes are forced to disk.
     */
    private static final class UnclosableStream extends FilterOutputStream {
        UnclosableStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
