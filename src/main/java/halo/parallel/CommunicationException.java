package halo.parallel;

/** A message-passing operation failed; the run cannot go on. */
public final class CommunicationException extends RuntimeException {
    public CommunicationException(String operation, Throwable cause) {
        super(operation + " failed: " + cause.getMessage(), cause);
    }
}
