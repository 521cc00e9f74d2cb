package halo.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/** What went wrong with a file, in words a user reads in a one-line error. */
final class IoErrors {

    private IoErrors() {
    }

    /**
     * The reason without the path, e.g. "no space left on device": NIO exceptions often carry
     * only a path as their message, and the operating system's text starts with a capital.
     */
    static String reason(IOException failure) {
        if (failure instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (failure instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (failure instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (failure instanceof FileAlreadyExistsException) {
            return "a file is in the way";
        }
        String text = failure instanceof FileSystemException other ? other.getReason() : failure.getMessage();
        if (text == null || text.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }
}
