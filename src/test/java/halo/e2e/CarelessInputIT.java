package halo.e2e;

import static halo.e2e.BadInputIT.BAD_INPUT;
import static halo.e2e.BadInputIT.FAILED;
import static halo.e2e.BadInputIT.QUICK_SECONDS;
import static halo.e2e.BadInputIT.assertOneErrorLine;
import static halo.e2e.BadInputIT.contents;
import static halo.e2e.RunDirectoryFiles.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end: input that is valid option by option but careless as a whole (far more ranks than
 * rows, threads or a grid the machine cannot hold, a snapshot every step, an option twice, a
 * conf file with a byte-order mark, Java's own number spellings, input that would break a line).
 * Through the real mpjrun.sh, on the multicore device and, where a JVM per rank changes what
 * happens, on niodev. A refusal is one line on stderr, quick, with nothing created.
 */
class CarelessInputIT {

    @TempDir
    Path dir;

    /** {@code mpjrun.sh -dev DEVICE [jvmOptions] -np RANKS -jar halo.jar args…} with {@code environment}. */
    static Halo.Result run(Path workDir, String device, Map<String, String> environment, List<String> jvmOptions,
                           int ranks, String... args) {
        List<String> command = new ArrayList<>(List.of(Halo.MPJRUN.toString(), "-dev", device));
        command.addAll(jvmOptions);
        command.addAll(List.of("-np", Integer.toString(ranks), "-jar", Halo.JAR.toString()));
        command.addAll(List.of(args));
        return Halo.command(workDir, environment, Duration.ofSeconds(120), command);
    }

    static Halo.Result run(Path workDir, String device, int ranks, String... args) {
        return run(workDir, device, Map.of(), List.of(), ranks, args);
    }

    /** A refusal: the status, one line holding every expected text, nothing on stdout, nothing created. */
    static String assertRefused(Path workDir, Map<String, String> before, int status, Halo.Result r,
                                String... expected) throws IOException {
        String seen = "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr() + "\nstdout:\n" + r.stdout();
        assertEquals(status, r.exitStatus(), "exit status" + seen);
        assertOneErrorLine(r, seen);
        String line = r.stderrLines().get(0);
        assertTrue(line.startsWith("halo "), seen);
        for (String text : expected) {
            assertTrue(line.contains(text), "the error line should contain '" + text + "'" + seen);
        }
        assertTrue(r.stdout().isBlank(), "nothing on stdout" + seen);
        assertTrue(r.seconds() < QUICK_SECONDS, "took " + r.seconds() + " s" + seen);
        assertEquals(before, contents(workDir), "nothing created" + seen);
        return line;
    }

    // ------------------------------------------------------------------ ranks

    /**
     * Far more ranks than the grid has rows: refused before a rank is made, within 5 s of what
     * the launcher takes to print a version line (a rank JVM on niodev), however loaded the machine.
     */
    @ParameterizedTest(name = "-np 10000 [{0}]")
    @ValueSource(strings = {"multicore", "niodev"})
    void tenThousandRanksAreRefusedWithinSeconds(String device) throws IOException {
        Halo.Result version = run(dir, device, 1, "--version");
        assertEquals(0, version.exitStatus(), version.stderr());
        Halo.Result r = run(dir, device, 10_000, "diff2d");
        assertRefused(dir, Map.of(), BAD_INPUT, r, "-np 10000", "more ranks than grid rows", "accepted 1 to 266");
        assertTrue(r.seconds() < version.seconds() + 5, "took " + r.seconds() + " s; --version took "
                + version.seconds() + " s");
    }

    @ParameterizedTest(name = "auc -np 5000 --ntot 100 [{0}]")
    @ValueSource(strings = {"multicore", "niodev"})
    void moreRanksThanSamplesAreRefusedBeforeRanksStart(String device) throws IOException {
        Halo.Result r = run(dir, device, 5_000, "auc", "--ntot", "100");
        assertRefused(dir, Map.of(), BAD_INPUT, r, "--ntot 100", "accepted 5000 to");
    }

    /** As many ranks as rows still runs: 8 rows (--dx 2.5) on 8 ranks. */
    @ParameterizedTest(name = "-np 8 on 8 rows [{0}]")
    @ValueSource(strings = {"multicore", "niodev"})
    void asManyRanksAsRowsRuns(String device) {
        Halo.Result r = run(dir, device, 8, "diff2d", "--dx", "2.5", "--runtime", "20", "--out", "rows");
        assertEquals(0, r.exitStatus(), r.stderr());
        assertEquals(8, summary(dir.resolve("rows")).get("derived").get("nrows").asInt());
    }

    // ------------------------------------------------------------------ threads

    @ParameterizedTest(name = "--threads 1000 [{0}]")
    @ValueSource(strings = {"multicore", "niodev"})
    void aThousandThreadsAreRefused(String device) throws IOException {
        assertTrue(Runtime.getRuntime().availableProcessors() < 125, "a machine where 1000 threads are too many");
        Halo.Result r = run(dir, device, 2, "diff2d", "--runtime", "0.1", "--threads", "1000");
        assertRefused(dir, Map.of(), BAD_INPUT, r, "--threads 1000", "accepted 1 to", "per CPU");
    }

    @ParameterizedTest(name = "SLURM_CPUS_PER_TASK=1000 [{0}]")
    @ValueSource(strings = {"multicore", "niodev"})
    void aThousandThreadsFromSlurmAreRefused(String device) throws IOException {
        Halo.Result r = run(dir, device, Map.of("SLURM_CPUS_PER_TASK", "1000"), List.of(), 2, "diff2d",
                "--runtime", "0.1");
        assertRefused(dir, Map.of(), BAD_INPUT, r, "--threads auto", "SLURM_CPUS_PER_TASK=1000", "accepted 1 to",
                "--threads N");
    }

    // ------------------------------------------------------------------ memory

    /**
     * A 4000x4000 grid (2 x 128 MB of strips) in 64 MB of heap: refused
     * before it computes, saying what it needs, what the JVM has and how to give more.
     */
    @ParameterizedTest(name = "-Xmx64m --dx 0.005 [{0}]")
    @ValueSource(strings = {"multicore", "niodev"})
    void aRunLargerThanTheHeapIsRefusedSayingWhatItNeeds(String device) throws IOException {
        Halo.Result r = run(dir, device, Map.of(), List.of("-Xmx64m"), 2, "diff2d", "--dx", "0.005",
                "--runtime", "0.001");
        assertRefused(dir, Map.of(), FAILED, r, "--dx 0.005", "4000x4000", "per rank", "this JVM has",
                "-Xmx", "before -jar", "#SBATCH --mem=");
    }

    // ------------------------------------------------------------------ snapshots

    @Test
    void aSnapshotEveryStepIsRefusedWithTheCount() throws IOException {
        Halo.Result r = run(dir, "multicore", 2, "diff2d", "--graphics", "--outtime", "1e-9");
        assertRefused(dir, Map.of(), BAD_INPUT, r, "--outtime 1e-9", "7076 snapshots", "14152 files",
                "max-snapshots = 1000", "--max-snapshots 7076");
    }

    /** 20 rows, dt = 0.25: runtime 0.5 is 2 steps, 3 snapshots with step 0; allowed only when asked. */
    @Test
    void moreSnapshotsRunWhenTheUserSaysSo() throws IOException {
        String[] run = {"diff2d", "--dx", "1", "--runtime", "0.5", "--outtime", "1e-9", "--graphics"};
        Halo.Result refused = run(dir, "multicore", 2, Halo.concat(run, "--max-snapshots", "2"));
        assertRefused(dir, Map.of(), BAD_INPUT, refused, "3 snapshots", "6 files", "--max-snapshots 2",
                "--max-snapshots 3");
        Halo.Result allowed = run(dir, "multicore", 2, Halo.concat(run, "--max-snapshots", "3", "--out", "snaps"));
        assertEquals(0, allowed.exitStatus(), allowed.stderr());
        assertEquals(3, summary(dir.resolve("snaps")).get("result").get("snapshots").asInt());
    }

    // ------------------------------------------------------------------ options and conf files

    @ParameterizedTest(name = "{0} [{1}]")
    @CsvSource(delimiter = '|', value = {
            "--runtime 0.5 --runtime 1.0|multicore|--runtime 1.0|--runtime 0.5",
            "--runtime 0.5 --runtime 1.0|niodev|--runtime 1.0|--runtime 0.5",
            "--graphics --dx 0.5 --graphics False|multicore|--graphics False|--graphics",
            "--out a --out b|multicore|--out b|--out a"})
    void anOptionGivenTwiceIsRefused(String options, String device, String second, String first)
            throws IOException {
        Halo.Result r = run(dir, device, 2, Halo.concat(new String[] {"diff2d"}, options.split(" ")));
        assertRefused(dir, Map.of(), BAD_INPUT, r, second + ": given again (after " + first + ")",
                "each option once");
    }

    @Test
    void aConfKeyGivenTwiceIsRefusedNamingBothLines() throws IOException {
        Files.writeString(dir.resolve("twice.properties"), "# mine\nruntime = 0.5\ndx = 0.1\n\nruntime = 1.0\n");
        Map<String, String> before = contents(dir);
        Halo.Result r = run(dir, "multicore", 2, "diff2d", "--conf", "twice.properties");
        assertRefused(dir, before, BAD_INPUT, r, "--conf twice.properties", "runtime", "line 2", "line 5",
                "each parameter once");
    }

    @ParameterizedTest(name = "byte-order mark [{0}]")
    @ValueSource(strings = {"multicore", "niodev"})
    void aConfFileWithAByteOrderMarkIsRead(String device) throws IOException {
        Files.write(dir.resolve("bom.properties"), ("\uFEFFruntime = 0.25\ndx = 0.5\n").getBytes(StandardCharsets.UTF_8));
        Halo.Result r = run(dir, device, 2, "diff2d", "--conf", "bom.properties", "--out", "bom");
        assertEquals(0, r.exitStatus(), r.stderr());
        assertEquals(0.25, summary(dir.resolve("bom")).get("parameters").get("runtime").asDouble());
    }

    // ------------------------------------------------------------------ numbers

    @ParameterizedTest(name = "--dx {0}")
    @ValueSource(strings = {"0.5d", "0.1F", "_1000_", "1_000", "0x1p-3", "Infinity", "NaN", "1e999", ".", "1e", "--1"})
    void javaOnlyNumberSpellingsAreRefused(String dx) throws IOException {
        Halo.Result r = run(dir, "multicore", 2, "diff2d", "--dx=" + dx);
        assertRefused(dir, Map.of(), BAD_INPUT, r, "--dx ", "accepted a finite number written in decimal",
                "7.5e-2");
    }

    @ParameterizedTest(name = "--ntot {0}")
    @ValueSource(strings = {"0.5d", "1_000", "1e12x", "2.5", "1e-3", "0x10"})
    void wholeNumbersInOtherSpellingsAreRefused(String ntot) throws IOException {
        Halo.Result r = run(dir, "multicore", 2, "auc", "--ntot=" + ntot);
        assertRefused(dir, Map.of(), BAD_INPUT, r, "--ntot ", "not a whole number", "accepted 1 to");
    }

    @Test
    void wholeNumbersMayHaveAnExponent() {
        Halo.Result r = run(dir, "multicore", 2, "auc", "--ntot", "3e5", "--out", "auc");
        assertEquals(0, r.exitStatus(), r.stderr());
        Halo.Result d = run(dir, "multicore", 2, "diff2d", "--dx", "5e-1", "--runtime", "2.5E-1",
                "--halo-depth", "1.0e1", "--out", "diff2d");
        assertEquals(0, d.exitStatus(), d.stderr());
        assertEquals(10, summary(dir.resolve("diff2d")).get("parameters").get("halo-depth").asInt());
    }

    // ------------------------------------------------------------------ input in messages

    /** Input that would break the line (a newline, an escape sequence, 10 MB) is quoted, escaped and cut. */
    @Test
    void echoedInputKeepsTheErrorToOneShortLine() throws IOException {
        Files.writeString(dir.resolve("huge.properties"), "dx = " + "9".repeat(5) + "x".repeat(10 << 20) + "\n");
        Map<String, String> before = contents(dir);
        String conf = assertRefused(dir, before, BAD_INPUT, run(dir, "multicore", 2, "diff2d", "--conf",
                "no\nsuch.properties"), "--conf 'no\\nsuch.properties'", "no such file");
        String restart = assertRefused(dir, before, BAD_INPUT, run(dir, "multicore", 2, "diff2d", "--restart",
                "run\u001b[31m\nred"), "--restart 'run\\u001b[31m\\nred'", "no such directory");
        String out = assertRefused(dir, before, BAD_INPUT, run(dir, "niodev", 2, "diff2d", "--out", "new\nline"),
                "--out 'new\\nline'", "accepted");
        String value = assertRefused(dir, before, BAD_INPUT, run(dir, "multicore", 2, "diff2d", "--conf",
                "huge.properties"), "dx = '99999xxx", "(10485765 characters) in huge.properties", "not a number");
        for (String line : List.of(conf, restart, out, value)) {
            assertTrue(line.length() < 1000, () -> line.length() + " characters: " + line.substring(0, 300));
            assertFalse(line.chars().anyMatch(Character::isISOControl), line);
        }
    }
}
