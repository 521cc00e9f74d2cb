package halo.e2e;

import static halo.e2e.RunDirectoryFiles.bytes;
import static halo.e2e.RunDirectoryFiles.summary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --trace} through the real launcher, at 3 niodev ranks (a JVM, and a clock, each) with the
 * overlapped exchange and a halo depth of 3: trace.json is valid JSON in the Chrome trace-event format, one process per rank,
 * the spans of each track in time order and properly nested, their sums the phase totals that
 * summary.json reports; and rank 2's clock, shifted 5 s on purpose, is found out and aligned.
 */
class TraceIT {

    private static final int RANKS = 3;
    private static final long SHIFT_NANOS = 5_000_000_000L;
    private static final String[] RUN = {"diff2d", "--runtime", "1.0", "--overlap", "True", "--halo-depth", "3",
            "--temporal-blocking", "False", "--graphics", "--checkpoint-every", "0.5"};

    @TempDir
    static Path work;
    private static Path traced;
    private static JsonNode trace;

    @BeforeAll
    static void tracedRun() throws IOException {
        Halo.Result result = Halo.mpjrunNiodev(work, Map.of("HALO_TEST_TRACE_CLOCK_SHIFT", "2:5.0"), RANKS,
                concat(RUN, "--trace", "--out", "traced"));
        assertEquals(0, result.exitStatus(), result.stderr());
        traced = work.resolve("traced");
        trace = new ObjectMapper().readTree(traced.resolve("trace.json").toFile());
    }

    @Test
    void oneProcessPerRankNamedWithItsHostAndThreeTracks() {
        Map<Integer, String> processes = new TreeMap<>();
        Map<Integer, TreeSet<Integer>> threads = new TreeMap<>();
        for (JsonNode event : trace.get("traceEvents")) {
            if (event.get("ph").asText().equals("M") && event.get("name").asText().equals("process_name")) {
                processes.put(event.get("pid").asInt(), event.get("args").get("name").asText());
            }
            if (event.get("ph").asText().equals("X")) {
                threads.computeIfAbsent(event.get("pid").asInt(), p -> new TreeSet<>()).add(event.get("tid").asInt());
            }
        }
        assertEquals(List.of(0, 1, 2), List.copyOf(processes.keySet()));
        for (int rank = 0; rank < RANKS; rank++) {
            String host = trace.get("otherData").get("ranks").get(rank).get("host").asText();
            assertFalse(host.isBlank());
            assertEquals("rank " + rank + " (" + host + ")", processes.get(rank));
            assertEquals(List.of(0, 1, 2), List.copyOf(threads.get(rank)), "tracks of rank " + rank);
        }
    }

    @Test
    void spansOfEveryTrackAreInTimeOrderAndProperlyNested() {
        Map<String, Deque<double[]>> open = new HashMap<>();
        Map<String, Double> lastStart = new HashMap<>();
        int spans = 0;
        for (JsonNode event : trace.get("traceEvents")) {
            if (!event.get("ph").asText().equals("X")) {
                continue;
            }
            spans++;
            String track = event.get("pid").asInt() + "/" + event.get("tid").asInt();
            double start = event.get("ts").asDouble();
            double end = start + event.get("dur").asDouble();
            assertTrue(event.get("dur").asDouble() >= 0, event.toString());
            assertTrue(start >= lastStart.getOrDefault(track, Double.NEGATIVE_INFINITY), "out of order: " + event);
            lastStart.put(track, start);
            Deque<double[]> enclosing = open.computeIfAbsent(track, t -> new ArrayDeque<>());
            // 1 ns of slack: ts and dur are microseconds with three decimals, their sum a double
            while (!enclosing.isEmpty() && enclosing.peek()[1] <= start + 1e-3) {
                enclosing.pop();
            }
            assertTrue(enclosing.isEmpty() || end <= enclosing.peek()[1] + 1e-3,
                    "overlaps the span it starts in without ending inside it: " + event);
            enclosing.push(new double[] {start, end});
        }
        assertTrue(spans > 1000, spans + " spans");
        assertTrue(names().containsAll(List.of("halo post", "halo wait", "halo in flight", "interior rows",
                "edge rows", "step", "snapshots on disk", "open snapshot files", "gather picture", "write snapshot rows",
                "write checkpoint rows", "write final rows", "final field", "MPI.Init", "clock alignment")), names().toString());
    }

    @Test
    void computeAndHaloSpansAddUpToThePhaseTotalsOfSummaryJson() {
        JsonNode perRank = summary(traced).get("per_rank");
        for (int rank = 0; rank < RANKS; rank++) {
            for (String phase : List.of("compute", "halo_exchange")) {
                double spans = 0;
                for (JsonNode event : trace.get("traceEvents")) {
                    if (event.get("ph").asText().equals("X") && event.get("pid").asInt() == rank
                            && event.get("cat").asText().equals(phase)) {
                        spans += event.get("dur").asDouble() * 1e-6;
                    }
                }
                double total = perRank.get(rank).get(phase).asDouble();
                assertTrue(total > 0, phase + " of rank " + rank);
                assertEquals(total, spans, 0.01 * total, phase + " of rank " + rank);
            }
        }
    }

    /**
     * Rank 2's clock reads 5 s ahead: the measured offset must be -5 s within the bound the
     * measurement states (half its best round trip), and that bound under 100 ms even on a
     * loaded machine; then rank 2's spans line up with the others' (the write of its final
     * rows, a collective, ends within a second of rank 0's, where unaligned it would be 5 s off).
     */
    @Test
    void aShiftedClockIsFoundAndAligned() {
        JsonNode rank2 = trace.get("otherData").get("ranks").get(2);
        long offset = rank2.get("clock_offset_ns").asLong();
        long bound = rank2.get("clock_offset_bound_ns").asLong();
        assertTrue(bound > 0 && bound < 100_000_000L, "bound " + bound + " ns");
        assertTrue(Math.abs(offset + SHIFT_NANOS) <= bound, "offset " + offset + " ns, bound " + bound + " ns");
        for (int rank = 1; rank < RANKS; rank++) {
            JsonNode other = trace.get("otherData").get("ranks").get(rank);
            assertTrue(Math.abs(other.get("clock_offset_ns").asLong() + (rank == 2 ? SHIFT_NANOS : 0))
                    <= other.get("clock_offset_bound_ns").asLong(), other.toString());
        }
        double rank0 = end(0, "write final rows");
        double rank2End = end(2, "write final rows");
        assertTrue(Math.abs(rank2End - rank0) < 1e6, rank0 + " µs against " + rank2End + " µs");
        assertTrue(summary(traced).get("trace").get("clock_offset_bound_seconds").asDouble() >= bound * 1e-9);
    }

    @Test
    void withoutTraceNothingIsRecordedAndTheFieldIsTheSame() {
        Halo.Result result = Halo.mpjrun(work, RANKS, concat(RUN, "--out", "plain"));
        assertEquals(0, result.exitStatus(), result.stderr());
        Path plain = work.resolve("plain");
        assertFalse(Files.exists(plain.resolve("trace.json")));
        assertNull(summary(plain).get("trace"));
        assertArrayEquals(bytes(plain.resolve("final.npy")), bytes(traced.resolve("final.npy")));
    }

    @Test
    void aucAtTwoRanksWritesItsTimelineToo() throws IOException {
        Halo.Result result = Halo.mpjrun(work, 2, "auc", "--ntot", "1000000", "--trace", "--out", "auc");
        assertEquals(0, result.exitStatus(), result.stderr());
        JsonNode aucTrace = new ObjectMapper().readTree(work.resolve("auc/trace.json").toFile());
        assertEquals(2, aucTrace.get("otherData").get("ranks").size());
        assertEquals("auc", aucTrace.get("otherData").get("app").asText());
        for (JsonNode rank : aucTrace.get("otherData").get("ranks")) { // multicore: one JVM, one clock
            assertEquals(0, rank.get("clock_offset_ns").asLong(), rank.toString());
            assertEquals(0, rank.get("clock_offset_bound_ns").asLong(), rank.toString());
        }
    }

    @Test
    void aBadValueIsOneLineAndStatus2AndCreatesNothing() {
        Halo.Result refused = Halo.mpjrun(work, 2, "diff2d", "--trace", "maybe", "--out", "refused");
        assertEquals(2, refused.exitStatus(), refused.stderr());
        assertEquals(List.of("halo diff2d: error: --trace maybe: accepted True or False"), refused.stderrLines());
        assertFalse(Files.exists(work.resolve("refused")));
    }

    private static TreeSet<String> names() {
        TreeSet<String> names = new TreeSet<>();
        trace.get("traceEvents").forEach(event -> names.add(event.get("name").asText()));
        return names;
    }

    private static double end(int rank, String name) {
        for (JsonNode event : trace.get("traceEvents")) {
            if (event.get("pid").asInt() == rank && event.get("name").asText().equals(name)) {
                return event.get("ts").asDouble() + event.get("dur").asDouble();
            }
        }
        throw new AssertionError("no span " + name + " on rank " + rank);
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
