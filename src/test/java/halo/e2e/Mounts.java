package halo.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real file systems for fault tests: a tmpfs of a few kilobytes is a disk that fills up, a
 * read-only one is a place nobody can write, even root. Mounting needs root (CI runs as root).
 */
final class Mounts {

    /** A mounted file system; closing unmounts it. */
    interface Mount extends AutoCloseable {
        @Override
        void close();
    }

    private Mounts() {}

    /** A tmpfs of {@code size} (mount's syntax: 128k) at {@code directory}, created if missing. */
    static Mount smallDisk(Path directory, String size) {
        return tmpfs(directory, "size=" + size);
    }

    static Mount readOnly(Path directory) {
        return tmpfs(directory, "ro,size=64k");
    }

    private static Mount tmpfs(Path directory, String options) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new AssertionError("cannot create " + directory, e);
        }
        Halo.systemCommand("mount", "-t", "tmpfs", "-o", options, "halo-test", directory.toString());
        return () -> Halo.systemCommand("umount", directory.toString());
    }
}
