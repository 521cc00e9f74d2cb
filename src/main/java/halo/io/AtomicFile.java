package halo.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 */
final class AtomicFile {

    /** Produces the file's bytes; it may wrap or even close the stream it is given. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes the file by its name, for a library that opens the file itself (jHDF). */
    @FunctionalInterface
    interface NamedContent {
        void writeTo(Path file) throws IOException;
    }

    private AtomicFile() {
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
            throw new IOException("cannot write " + target + ": " + IoErrors.reason(failure), failure);
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
