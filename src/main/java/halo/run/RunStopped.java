package halo.run;

/**
 * Every rank stopped a run early, at the same step, after writing a checkpoint, as a
 * {@link StopRequest} asked: not a failure, but not a completed run either (no summary.json).
 * Thrown on every rank once all have done so; the process exits with status 3.
 */
public final class RunStopped extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RunStopped(long step) {
        super("stopped on request at step " + step + " after writing a checkpoint", null, false, false);
    }
}
