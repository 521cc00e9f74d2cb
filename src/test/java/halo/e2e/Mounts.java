package halo.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        command("mount", "-t", "tmpfs", "-o", options, "halo-test", directory.toString());
        return () -> command("umount", directory.toString());
    }

    /** Runs a short system command (mount, umount, mkfifo) and insists that it succeeds. */
    static void command(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            assertEquals(0, process.exitValue(), String.join(" ", List.of(command))
                    + " failed (the fault tests need root): " + output);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + List.of(command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
