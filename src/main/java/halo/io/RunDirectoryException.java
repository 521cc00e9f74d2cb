package halo.io;

import java.io.IOException;

/**
 * A run directory could not be made or used. The message is one line meant for the user as it
 * stands, naming the path as given and the reason, e.g. {@code --out runs/x: directory already
 * exists; Halo never reuses or overwrites a run directory}.
 */
public final class RunDirectoryException extends IOException {
    private static final long serialVersionUID = 1L;

    public RunDirectoryException(String message) {
        super(message);
    }

    public RunDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
