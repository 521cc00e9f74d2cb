package halo.params;

/**
 * A run that does not fit what its JVM was given (heap): refused before it computes, with
 * a message of one line that says how much it needs and how to give it. Not a bad parameter:
 * the same run succeeds with more memory, so the exit status is that of a failure (1).
 */
public final class ResourceLimitException extends RuntimeException {
    public ResourceLimitException(String message) {
        super(message, null, false, false);
    }
}
