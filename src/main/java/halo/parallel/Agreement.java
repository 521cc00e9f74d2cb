package halo.parallel;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A step that every rank takes and that counts only if it worked on every rank, such as each
 * rank writing its part of one file: afterwards all ranks know whether any failed, and a
 * failure is reported once, by rank 0, in the words of the lowest failing rank.
 */
public final class Agreement {

    /** This rank's part of the step. */
    @FunctionalInterface
    public interface Step {
        void run() throws IOException;
    }

    private Agreement() {
    }

    /**
     * Collective: runs {@code step} on this rank, then all ranks agree on whether any failed.
     * If none did, returns. If one did, {@code cleanUp} runs on every rank, then rank 0 throws
     * the failure (its own, or an IOException with the lowest failing rank's message and that
     * rank's number) and every other rank throws {@link FailedOnAnotherRank}, which is not
     * reported again.
     */
    public static void onEveryRank(Communicator communicator, Step step, Runnable cleanUp) throws IOException {
        Exception failure = null;
        try {
            step.run();
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        int failing = communicator.lowestFailingRank(failure != null);
        if (failing < 0) {
            return;
        }
        String message = communicator.broadcast(failing == communicator.rank() ? messageOf(failure) : null, failing);
        cleanUp.run();
        if (!communicator.isRoot()) {
            throw new FailedOnAnotherRank(message, failure);
        }
        if (failing == 0) {
            if (failure instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) failure;
        }
        throw new IOException(message + " (on rank " + failing + ")");
    }

    private static String messageOf(Exception failure) {
        Throwable shown = failure instanceof UncheckedIOException wrapper ? wrapper.getCause() : failure;
        String message = shown.getMessage() != null ? shown.getMessage() : shown.getClass().getName();
        return message.lines().findFirst().orElse(message);
    }

    /**
     * A collective step failed and rank 0 reports it: this rank ends with the run's failure
     * status and says nothing, so the user reads one line, not one per rank.
     */
    public static final class FailedOnAnotherRank extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FailedOnAnotherRank(String message, Throwable ownFailure) {
            super("reported by rank 0: " + message, ownFailure);
        }
    }
}
