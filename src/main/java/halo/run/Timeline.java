package halo.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import halo.io.TraceFile;
import halo.parallel.ClockOffset;
import halo.parallel.Communicator;
import halo.timing.PhaseTimer;
import halo.timing.RankProcess;
import halo.timing.Span;
import halo.timing.TraceRecorder;

/**
 * The timeline of a run with {@code --trace}: every rank records its spans
 * ({@link TraceRecorder}, fed by the {@link PhaseTimer}), its clock is measured against rank
 * 0's as the run starts ({@link ClockOffset}), and at the end rank 0 gathers every rank's spans
 * and writes {@code trace.json} ({@link TraceFile}), one process per rank, with every rank's
 * times on rank 0's clock.
 *
 * <p>Gathered through the communicator rather than written per rank and merged: ranks on
 * other nodes need no shared file system for it, and rank 0 needs not wait for other nodes'
 * files to appear.
 */
final class Timeline {

    /**
     * For tests only: {@code RANK:SECONDS} makes rank RANK's timeline clock read SECONDS ahead
     * of the system's, as if it ran on a node whose clock is off, so that tests on one machine
     * (one clock) can check that the alignment finds the offset.
     */
    static final String TEST_CLOCK_SHIFT_VARIABLE = "HALO_TEST_TRACE_CLOCK_SHIFT";
    static final String FILE_NAME = "trace.json";
    /** Round trips per rank: the best of them bounds the offset; about 10 ms at 8 ranks. */
    private static final int ALIGNMENT_ROUNDS = 16;
    private static final List<String> TRACKS = List.of(Span.Track.MAIN.label(), Span.Track.COMPUTE.label(),
            Span.Track.COMMUNICATION.label());
    private static final List<TraceFile.Kind> KINDS = kinds();

    private final Communicator communicator;
    private final TraceRecorder trace;
    private final long shiftNanos;
    private final ClockOffset offset;

    private Timeline(Communicator communicator, TraceRecorder trace, long shiftNanos, ClockOffset offset) {
        this.communicator = communicator;
        this.trace = trace;
        this.shiftNanos = shiftNanos;
        this.offset = offset;
    }

    /**
     * Collective: the start-up spans, then this rank's clock against rank 0's, where the ranks
     * have clocks of their own (a JVM each).
     */
    static Timeline start(Communicator communicator, PhaseTimer timer, Startup start) {
        long main = start.mainNanos();
        long options = main + nanos(start.optionsSeconds());
        timer.mark(Span.JVM_START, main - nanos(start.jvmSeconds()), main);
        timer.mark(Span.OPTIONS, main, options);
        timer.mark(Span.MPI_INIT, options, options + nanos(start.mpjInitSeconds()));
        if (communicator.ranksShareJvm()) { // one JVM, one clock: nothing to measure
            return new Timeline(communicator, timer.trace(), 0, new ClockOffset(0, 0));
        }
        long shift = testClockShift(communicator.rank(), System.getenv(TEST_CLOCK_SHIFT_VARIABLE));
        long t = timer.now();
        ClockOffset offset = ClockOffset.measure(communicator, () -> System.nanoTime() + shift, ALIGNMENT_ROUNDS);
        timer.stop(Span.CLOCK_ALIGNMENT, t);
        return new Timeline(communicator, timer.trace(), shift, offset);
    }

    /**
     * Collective: every rank's spans to rank 0, which starts writing trace.json in
     * {@code directory} on a thread of its own, so that the file is written while the rest of
     * the run's end (timings, summary) goes on, on a core the other ranks have left;
     * {@link Written#await()} waits for it. The spans travel as the recorders keep them, in
     * bulk copies: ordering and rendering them is the writer's work, not the ranks'.
     */
    Written write(Path directory, String app) {
        byte[][] all = communicator.gatherToRoot(payload());
        if (all == null) {
            return Written.ELSEWHERE;
        }
        List<RankTrace> traces = new ArrayList<>();
        List<Map<String, Object>> ranks = new ArrayList<>();
        long spans = 0;
        long dropped = 0;
        long worstBound = 0;
        for (int rank = 0; rank < all.length; rank++) {
            RankTrace mine = RankTrace.read(all[rank]);
            traces.add(mine);
            Map<String, Object> about = new LinkedHashMap<>();
            about.put("rank", rank);
            about.put("host", mine.host);
            about.put("pid", mine.pid);
            about.put("clock_offset_ns", mine.offset);
            about.put("clock_offset_bound_ns", mine.bound);
            about.put("spans", mine.spans.count());
            about.put("spans_not_recorded", mine.spans.dropped());
            ranks.add(about);
            spans += mine.spans.count();
            dropped += mine.spans.dropped();
            worstBound = Math.max(worstBound, mine.bound);
        }
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("app", app);
        about.put("halo_version", Version.get());
        about.put("clock", "every rank's times on rank 0's clock: its own plus clock_offset_ns, measured at"
                + " start by " + ALIGNMENT_ROUNDS + " round trips to rank 0, true within clock_offset_bound_ns"
                + " (half the best round trip)");
        about.put("span_capacity_per_rank", trace.capacity());
        about.put("ranks", ranks);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("file", FILE_NAME);
        summary.put("spans", spans);
        summary.put("spans_not_recorded", dropped);
        summary.put("clock_offset_bound_seconds", worstBound * 1e-9);
        return Written.start(directory.resolve(FILE_NAME), traces, about, summary);
    }

    /** trace.json being written on rank 0 (on the other ranks, {@link #ELSEWHERE}). */
    static final class Written implements Runnable {
        static final Written ELSEWHERE = new Written(null, null, null, null);

        private final Path file;
        private final List<RankTrace> traces;
        private final Map<String, Object> about;
        private final Map<String, Object> summary;
        private Thread writer;
        private IOException failure;

        private Written(Path file, List<RankTrace> traces, Map<String, Object> about, Map<String, Object> summary) {
            this.file = file;
            this.traces = traces;
            this.about = about;
            this.summary = summary;
        }

        static Written start(Path file, List<RankTrace> traces, Map<String, Object> about,
                             Map<String, Object> summary) {
            Written written = new Written(file, traces, about, summary);
            written.writer = new Thread(written, "halo-trace-writer");
            written.writer.setDaemon(true); // a run that fails meanwhile ends without waiting for it
            written.writer.start();
            return written;
        }

        @Override
        public void run() {
            long origin = Long.MAX_VALUE;
            for (RankTrace rank : traces) {
                origin = Math.min(origin, rank.earliestStart());
            }
            List<byte[]> processes = new ArrayList<>();
            for (int rank = 0; rank < traces.size(); rank++) {
                processes.add(TraceFile.events(KINDS, traces.get(rank).process(rank), origin));
            }
            try {
                TraceFile.write(file, processes, about);
            } catch (IOException e) {
                failure = e;
            }
        }

        /**
         * Once trace.json is on disk: what summary.json says of it (null on the ranks other than 0).
         *
         * @throws UncheckedIOException (one line for the user) if it could not be written
         */
        Map<String, Object> await() {
            if (writer == null) {
                return null;
            }
            boolean interrupted = false;
            while (writer.isAlive()) {
                try {
                    writer.join();
                } catch (InterruptedException e) {
                    interrupted = true; // the file is half written: wait for it all the same
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw new UncheckedIOException(failure);
            }
            return summary;
        }
    }

    /**
     * [the offset measured to rank 0's clock, its bound, the test's shift of this rank's clock,
     * pid, host length, host, then the rank's spans].
     */
    private byte[] payload() {
        byte[] host = RankProcess.current().host().getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(4 * Long.BYTES + Integer.BYTES + host.length + trace.serializedBytes());
        payload.putLong(offset.offsetNanos()).putLong(offset.boundNanos()).putLong(shiftNanos)
                .putLong(ProcessHandle.current().pid()).putInt(host.length).put(host);
        trace.writeTo(payload);
        return payload.array();
    }

    /** One rank's payload read back on rank 0. */
    private record RankTrace(long offset, long bound, long shift, long pid, String host, TraceRecorder spans) {

        static RankTrace read(byte[] payload) {
            ByteBuffer in = ByteBuffer.wrap(payload);
            long offset = in.getLong();
            long bound = in.getLong();
            long shift = in.getLong();
            long pid = in.getLong();
            byte[] host = new byte[in.getInt()];
            in.get(host);
            return new RankTrace(offset, bound, shift, pid, new String(host, StandardCharsets.UTF_8),
                    TraceRecorder.readFrom(in));
        }

        /** What takes a recorded time (System.nanoTime()) to rank 0's clock, through the rank's own (shifted in tests). */
        long toRankZero() {
            return shift + offset;
        }

        /** The earliest start, on rank 0's clock. */
        long earliestStart() {
            long earliest = Long.MAX_VALUE;
            for (int i = 0; i < spans.count(); i++) {
                earliest = Math.min(earliest, spans.start(i));
            }
            return earliest + toRankZero();
        }

        /** The rank's process of the timeline: its spans in the order they are drawn, on rank 0's clock. */
        TraceFile.Process process(int rank) {
            int[] order = spans.timeOrder();
            long toRankZero = toRankZero();
            int[] kinds = new int[order.length];
            long[] starts = new long[order.length];
            long[] ends = new long[order.length];
            for (int k = 0; k < order.length; k++) {
                kinds[k] = spans.span(order[k]).ordinal();
                starts[k] = spans.start(order[k]) + toRankZero;
                ends[k] = spans.end(order[k]) + toRankZero;
            }
            String note = spans.dropped() == 0 ? null
                    : "trace buffer full: " + spans.dropped() + " later spans not recorded";
            return new TraceFile.Process(rank, "rank " + rank + " (" + host + ")", TRACKS, kinds, starts, ends, note);
        }
    }

    private static List<TraceFile.Kind> kinds() {
        List<TraceFile.Kind> kinds = new ArrayList<>();
        for (Span span : Span.values()) {
            kinds.add(new TraceFile.Kind(span.label(), span.category(), span.track().ordinal()));
        }
        return kinds;
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    /** The shift {@link #TEST_CLOCK_SHIFT_VARIABLE} asks of {@code rank}: 0 unless it names this rank. */
    static long testClockShift(int rank, String setting) {
        if (setting == null || setting.isBlank()) {
            return 0;
        }
        String[] parts = setting.trim().split(":");
        try {
            if (parts.length == 2) {
                int shifted = Integer.parseInt(parts[0]);
                double seconds = Double.parseDouble(parts[1]);
                if (Double.isFinite(seconds)) {
                    return shifted == rank ? nanos(seconds) : 0;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(TEST_CLOCK_SHIFT_VARIABLE + "=" + setting
                + ": accepted RANK:SECONDS, e.g. 2:5.0 (for tests only)");
    }
}
