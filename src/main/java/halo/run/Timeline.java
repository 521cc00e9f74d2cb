package halo.run;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * <p>Gathered through the communicator, as longs in double messages, rather than written per
 * rank and merged: ranks on other nodes need no shared file system for it, and rank 0 needs
 * not wait for other nodes' files to appear.
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
     * Collective: every rank's spans to rank 0, which writes trace.json in {@code directory};
     * returns, on rank 0, what summary.json says of it (null elsewhere).
     */
    Map<String, Object> write(Path directory, String app) {
        long[][] all = communicator.gatherToRoot(payload());
        if (all == null) {
            return null;
        }
        List<TraceFile.Kind> kinds = new ArrayList<>();
        for (Span span : Span.values()) {
            kinds.add(new TraceFile.Kind(span.label(), span.category(), span.track().ordinal()));
        }
        List<TraceFile.Process> processes = new ArrayList<>();
        List<Map<String, Object>> ranks = new ArrayList<>();
        long spans = 0;
        long dropped = 0;
        long worstBound = 0;
        for (int rank = 0; rank < all.length; rank++) {
            RankSpans mine = RankSpans.read(all[rank]);
            String note = mine.dropped == 0 ? null
                    : "trace buffer full: " + mine.dropped + " later spans not recorded";
            processes.add(new TraceFile.Process(rank, "rank " + rank + " (" + mine.host + ")", TRACKS,
                    mine.kinds, mine.starts, mine.ends, note));
            Map<String, Object> about = new LinkedHashMap<>();
            about.put("rank", rank);
            about.put("host", mine.host);
            about.put("pid", mine.pid);
            about.put("clock_offset_ns", mine.offset);
            about.put("clock_offset_bound_ns", mine.bound);
            about.put("spans", mine.kinds.length);
            about.put("spans_not_recorded", mine.dropped);
            ranks.add(about);
            spans += mine.kinds.length;
            dropped += mine.dropped;
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
        try {
            TraceFile.write(directory.resolve(FILE_NAME), kinds, processes, about);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("file", FILE_NAME);
        summary.put("spans", spans);
        summary.put("spans_not_recorded", dropped);
        summary.put("clock_offset_bound_seconds", worstBound * 1e-9);
        return summary;
    }

    /** [offset, bound, dropped, pid, host length, host bytes…, then span, start, end of each span]. */
    private long[] payload() {
        byte[] host = RankProcess.current().host().getBytes(StandardCharsets.UTF_8);
        int count = trace.count();
        long[] payload = new long[5 + host.length + 3 * count];
        payload[0] = offset.offsetNanos();
        payload[1] = offset.boundNanos();
        payload[2] = trace.dropped();
        payload[3] = ProcessHandle.current().pid();
        payload[4] = host.length;
        int at = 5;
        for (byte b : host) {
            payload[at++] = b;
        }
        long toRankZero = shiftNanos + offset.offsetNanos();
        for (int i = 0; i < count; i++) {
            payload[at++] = trace.span(i).ordinal();
            payload[at++] = trace.start(i) + toRankZero;
            payload[at++] = trace.end(i) + toRankZero;
        }
        return payload;
    }

    /** One rank's payload read back on rank 0. */
    private record RankSpans(long offset, long bound, long dropped, long pid, String host,
                             int[] kinds, long[] starts, long[] ends) {

        static RankSpans read(long[] payload) {
            int hostLength = (int) payload[4];
            byte[] host = new byte[hostLength];
            for (int i = 0; i < hostLength; i++) {
                host[i] = (byte) payload[5 + i];
            }
            int at = 5 + hostLength;
            int count = (payload.length - at) / 3;
            int[] kinds = new int[count];
            long[] starts = new long[count];
            long[] ends = new long[count];
            for (int i = 0; i < count; i++, at += 3) {
                kinds[i] = (int) payload[at];
                starts[i] = payload[at + 1];
                ends[i] = payload[at + 2];
            }
            return new RankSpans(payload[0], payload[1], payload[2], payload[3],
                    new String(host, StandardCharsets.UTF_8), kinds, starts, ends);
        }
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
