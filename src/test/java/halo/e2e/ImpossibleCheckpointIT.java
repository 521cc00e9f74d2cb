package halo.e2e;

import static halo.e2e.BadInputIT.BAD_INPUT;
import static halo.e2e.BadInputIT.contents;
import static halo.e2e.CarelessInputIT.assertRefused;
import static halo.e2e.CarelessInputIT.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import halo.io.Checkpoint;

/**
 * End to end: a checkpoint whose CRC is right but whose content no run can have written
 * (a negative step, a step past its own runtime, a NaN or infinite simtime or field value, a
 * simtime that is not step*dt, a field of another size than its parameters give) is refused
 * at restart, in one line, before a run directory is made. Each is written with the real
 * {@link Checkpoint#write} from a real run's checkpoint.
 */
class ImpossibleCheckpointIT {

    /** 100x100 grid, 99 steps (dt a little above 0.01); a checkpoint at step 87 (--checkpoint-every 0.3). */
    private static final String[] PROBLEM = {"diff2d", "--dx", "0.2", "--runtime", "1", "--checkpoint-every", "0.3"};

    @TempDir
    static Path work;
    private static Checkpoint.Header header;
    private static double[] field;

    @TempDir
    Path dir;

    @BeforeAll
    static void aRealCheckpoint() throws IOException {
        Halo.Result r = Halo.mpjrun(work, 2, Halo.concat(PROBLEM, "--out", "checkpointed"));
        assertEquals(0, r.exitStatus(), r.stderr());
        Checkpoint checkpoint = RunDirectoryFiles.checkpoint(work.resolve("checkpointed"));
        header = checkpoint.header();
        assertEquals(87, header.step());
        field = new double[header.rows() * header.cols()];
        checkpoint.readRows(0, header.rows(), field, 0, header.cols());
    }

    static Stream<Arguments> impossible() {
        return Stream.of(
                Arguments.of("a negative step", "multicore", -5L, Double.NaN, null, null,
                        List.of("impossible content: step -5")),
                Arguments.of("a negative step", "niodev", -5L, Double.NaN, null, null,
                        List.of("impossible content: step -5")),
                Arguments.of("a step past its own runtime", "multicore", 100_000L, Double.NaN, null, null,
                        List.of("step 100000, beyond the 99 steps of its own runtime 1.0")),
                Arguments.of("a NaN simtime", "multicore", null, Double.NaN, null, null, List.of("simtime NaN")),
                Arguments.of("an infinite simtime", "niodev", null, Double.POSITIVE_INFINITY, null, null,
                        List.of("simtime Infinity")),
                Arguments.of("a simtime that is not step*dt", "multicore", null, 5.0, null, null,
                        List.of("impossible content: simtime 5.0 at step 87")),
                Arguments.of("a NaN in the field", "multicore", null, null, Double.NaN, null,
                        List.of("the field holds NaN at row 50, column 7")),
                Arguments.of("an infinity in the field", "niodev", null, null, Double.NEGATIVE_INFINITY, null,
                        List.of("the field holds -Infinity at row 50, column 7")),
                Arguments.of("a NaN diffusion constant", "multicore", null, null, null, "D=NaN",
                        List.of("D = NaN in", "accepted a finite number")),
                Arguments.of("a smaller field than its parameters give", "multicore", null, null, null, "rows=50",
                        List.of("holds a 50x50 field, its parameters give 100x100")));
    }

    /**
     * @param step      the step to write, or null for the real one
     * @param simtime   the simtime (NaN with a step given: the real one), or null for the real one
     * @param cell      a value for the cell at row 50, column 7, or null
     * @param parameter "D=NaN": a parameter changed; "rows=50": a 50x50 field
     */
    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource
    void impossible(String name, String device, Long step, Double simtime, Double cell, String parameter,
                    List<String> expected) throws IOException {
        Files.createDirectory(dir.resolve("impossible"));
        double[] data = field.clone();
        int rows = header.rows();
        Map<String, String> parameters = new LinkedHashMap<>(header.parameters());
        if (cell != null) {
            data[50 * header.cols() + 7] = cell;
        }
        if ("D=NaN".equals(parameter)) {
            parameters.put("D", "NaN");
        }
        if ("rows=50".equals(parameter)) {
            rows = 50;
        }
        double time = simtime == null || (step != null && simtime.isNaN()) ? header.simtime() : simtime;
        Checkpoint.write(dir.resolve("impossible/checkpoint.bin"), new Checkpoint.Header(
                step != null ? step : header.step(), time, rows, rows, parameters), data, 0, rows);
        Map<String, String> before = contents(dir);
        Halo.Result r = run(dir, device, 2, "diff2d", "--restart", "impossible", "--out", "restarted");
        String[] texts = Stream.concat(Stream.of("impossible/checkpoint.bin"), expected.stream()).toArray(String[]::new);
        assertRefused(dir, before, BAD_INPUT, r, texts);
    }
}
