package halo.timing;

/**
 * What a stretch of a rank's time was, for the timeline ({@code --trace}): its name in
 * {@code trace.json}, the {@link Phase} whose total it counts in (none for the spans that only
 * the timeline shows), and the track it is drawn on.
 *
 * <p>Three tracks per rank: the rank's own work (start-up, reductions, I/O), its compute and
 * its communication. With {@code --overlap} a rank's messages travel while it computes: the
 * communication track shows the messages in flight, from the post of the exchange to the end
 * of its wait, beside the compute of the interior rows, and the wait nested inside.
 */
public enum Span {
    JVM_START("JVM start", null, Track.MAIN),
    OPTIONS("command line", null, Track.MAIN),
    MPI_INIT("MPI.Init", null, Track.MAIN),
    RUN_DIRECTORY("run directory", Phase.SETUP, Track.MAIN),
    LOGGING("logging set-up", Phase.SETUP, Track.MAIN),
    CLOCK_ALIGNMENT("clock alignment", Phase.SETUP, Track.MAIN),
    SET_UP("set-up", Phase.SETUP, Track.MAIN),

    STEP("step", Phase.COMPUTE, Track.COMPUTE),
    STEPS_IN_CACHE("steps in cache", Phase.COMPUTE, Track.COMPUTE),
    INTERIOR_ROWS("interior rows", Phase.COMPUTE, Track.COMPUTE),
    EDGE_ROWS("edge rows", Phase.COMPUTE, Track.COMPUTE),
    COMPUTE("compute", Phase.COMPUTE, Track.COMPUTE),

    EXCHANGE("halo exchange", Phase.HALO, Track.COMMUNICATION),
    POST("halo post", Phase.HALO, Track.COMMUNICATION),
    WAIT("halo wait", Phase.HALO, Track.COMMUNICATION),
    IN_FLIGHT("halo in flight", null, Track.COMMUNICATION),

    GATHER_PICTURE("gather picture", Phase.REDUCTION, Track.MAIN),
    GATHER_FOR_HDF5("gather field for HDF5", Phase.REDUCTION, Track.MAIN),
    REDUCTION("reduction", Phase.REDUCTION, Track.MAIN),

    SNAPSHOTS_ON_DISK("snapshots on disk", Phase.IO, Track.MAIN),
    OPEN_SNAPSHOT_FILES("open snapshot files", Phase.IO, Track.MAIN),
    WRITE_SNAPSHOT_ROWS("write snapshot rows", Phase.IO, Track.MAIN),
    WRITE_CHECKPOINT_ROWS("write checkpoint rows", Phase.IO, Track.MAIN),
    WRITE_FINAL_ROWS("write final rows", Phase.IO, Track.MAIN),
    FINAL_FIELD("final field", Phase.IO, Track.MAIN),
    IO("I/O", Phase.IO, Track.MAIN);

    /** A rank's tracks, thread ids in trace.json. */
    public enum Track {
        MAIN("rank"),
        COMPUTE("compute"),
        COMMUNICATION("communication");

        private final String label;

        Track(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final Span[] VALUES = values();

    private final String label;
    private final Phase phase;
    private final Track track;

    Span(String label, Phase phase, Track track) {
        this.label = label;
        this.phase = phase;
        this.track = track;
    }

    public String label() {
        return label;
    }

    /** The phase whose total this span counts in; null for a span the timeline alone shows. */
    public Phase phase() {
        return phase;
    }

    public Track track() {
        return track;
    }

    /** The category in trace.json: the phase's key (as in summary.json), or "timeline". */
    public String category() {
        return phase != null ? phase.key() : "timeline";
    }

    /** The span a phase's own timing records when its caller names no finer one. */
    public static Span of(Phase phase) {
        return switch (phase) {
            case SETUP -> SET_UP;
            case COMPUTE -> COMPUTE;
            case HALO -> EXCHANGE;
            case REDUCTION -> REDUCTION;
            case IO -> IO;
        };
    }

    static Span byOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
