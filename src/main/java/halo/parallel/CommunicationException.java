package halo.parallel;

import java.io.IOException;

/** A message-passing operation failed; the run cannot go on. */
public final class CommunicationException extends RuntimeException {
    public CommunicationException(String operation, Throwable cause) {
        super(operation + " failed: " + cause.getMessage(), cause);
    }

    /**
     * Whether {@code failure} is, or was caused by, a connection to another rank's JVM that
     * broke (niodev: a closed channel, a reset): most likely that rank is gone, and then this
     * failure is a consequence, not the cause.
     */
    public static boolean isPeerLost(Throwable failure) {
        boolean communication = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            communication |= t instanceof CommunicationException;
            if (communication && t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
