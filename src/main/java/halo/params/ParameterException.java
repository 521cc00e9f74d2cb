package halo.params;

/** A parameter the user got wrong; the message is the single line the user sees. */
public final class ParameterException extends RuntimeException {
    public ParameterException(String message) {
        super(message, null, false, false);
    }
}
