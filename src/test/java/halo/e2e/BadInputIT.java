package halo.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end: what a user sees after a mistake. Every case runs the real launcher (at 1 and at
 * 4 ranks, some also as the serial {@code java -jar}) in a fresh working directory and checks
 * the contract of {@code halo.cli.Main}: exit status 2 for bad input (1 for a failure while
 * running), exactly one line on stderr however many ranks there are, naming the option and
 * what it accepts, no stack trace, no result on stdout, a quick end, and nothing created in the
 * working directory (no run directory under runs/).
 */
class BadInputIT {

    static final int BAD_INPUT = 2;
    static final int FAILED = 1;
    static final double QUICK_SECONDS = 30;

    @TempDir
    Path dir;

    /** How the case is launched. */
    enum Form {
        NP1("mpjrun -np 1"), NP4("mpjrun -np 4"), NP8("mpjrun -np 8"), SERIAL("java -jar");

        final String label;

        Form(String label) {
            this.label = label;
        }

        Halo.Result run(Path workDir, String[] arguments) {
            return switch (this) {
                case NP1 -> Halo.mpjrun(workDir, 1, arguments);
                case NP4 -> Halo.mpjrun(workDir, 4, arguments);
                case NP8 -> Halo.mpjrun(workDir, 8, arguments);
                case SERIAL -> Halo.serial(workDir, arguments);
            };
        }
    }

    /**
     * One bad input.
     *
     * @param name    readable name of the case
     * @param args    the arguments after halo.jar
     * @param files   files to put into the working directory first (relative path to content)
     * @param forms   the launchers to try it with
     * @param expect  what the single error line must contain
     */
    record Case(String name, List<String> args, Map<String, String> files, List<Form> forms, List<String> expect) {
    }

    /** One case with one launcher: a test invocation. */
    record Launch(Case c, Form form) {
        @Override
        public String toString() {
            return c.name() + "  [" + form.label + "]";
        }
    }

    private static final List<Form> BOTH = List.of(Form.NP1, Form.NP4);
    private static final List<Form> ALL = List.of(Form.NP1, Form.NP4, Form.SERIAL);

    private static Case diff2d(String name, String args, String... expect) {
        return diff2d(name, args, BOTH, expect);
    }

    private static Case diff2d(String name, String args, List<Form> forms, String... expect) {
        return new Case(name, words("diff2d " + args), Map.of(), forms, List.of(expect));
    }

    private static Case auc(String name, String args, List<Form> forms, String... expect) {
        return new Case(name, words("auc " + args), Map.of(), forms, List.of(expect));
    }

    private static List<String> words(String line) {
        return List.of(line.trim().split("\\s+"));
    }

    static Stream<Launch> badInput() {
        List<Case> cases = new ArrayList<>(List.of(
                diff2d("diff2d --dx abc (not a number)", "--dx abc", ALL, "--dx", "abc", "not a number"),
                diff2d("diff2d --dx NaN", "--dx NaN", "--dx", "NaN", "accepted", "finite"),
                diff2d("diff2d --dx Infinity", "--dx Infinity", "--dx", "Infinity", "accepted", "finite"),
                diff2d("diff2d --dx 0", "--dx 0", "--dx", "accepted", "dx > 0"),
                diff2d("diff2d --dx -1", "--dx -1", "--dx", "accepted", "dx > 0"),
                diff2d("diff2d --dx 30 (not smaller than the domain 20)", "--dx 30", "--dx", "accepted", "20"),
                diff2d("diff2d --D 0", "--D 0", "--D", "accepted", "D > 0"),
                diff2d("diff2d --D -1", "--D -1", "--D", "accepted", "D > 0"),
                diff2d("diff2d --x2 -20 (x2 <= x1)", "--x2 -20", "--x2", "accepted", "x2 > x1"),
                diff2d("diff2d --runtime 1e-9 (shorter than one step)", "--runtime 1e-9", "--runtime", "accepted"),
                diff2d("diff2d --outtime 0", "--outtime 0", "--outtime", "accepted", "outtime > 0"),
                diff2d("diff2d --graphics maybe (not a boolean)", "--graphics maybe", "--graphics", "accepted",
                        "True or False"),
                diff2d("diff2d --dx 1e-6 (too many rows)", "--dx 1e-6", "--dx", "accepted", "rows"),
                diff2d("diff2d --checkpoint-every -1", "--checkpoint-every -1", "--checkpoint-every", "accepted",
                        "T > 0", "0 for none"),
                diff2d("diff2d --checkpoint-every NaN", "--checkpoint-every NaN", "--checkpoint-every", "accepted",
                        "finite"),
                diff2d("diff2d --kernels fast", "--kernels fast", ALL, "--kernels fast", "accepted",
                        "auto, vector or scalar"),
                diff2d("diff2d --kernels vector without the Vector API", "--kernels vector", List.of(Form.SERIAL),
                        "--kernels vector", "no Vector API", "--add-modules=jdk.incubator.vector",
                        "accepted auto or scalar"),
                diff2d("diff2d --foo 1 (unknown option)", "--foo 1", ALL, "--foo", "unknown option"),
                diff2d("diff2d positional argument", "--dx 0.1 stray", "stray"),
                diff2d("diff2d --dx without a value", "--dx", "--dx", "needs a value"),
                diff2d("diff2d --conf missing.properties", "--conf missing.properties", ALL, "--conf",
                        "missing.properties", "no such file"),
                new Case("diff2d --conf with an unknown key", words("diff2d --conf unknown.properties"),
                        Map.of("unknown.properties", "dx = 0.1\nfoo = 1\n"), BOTH,
                        List.of("--conf", "unknown.properties", "foo", "accepted")),
                new Case("diff2d --conf with a bad value", words("diff2d --conf bad.properties"),
                        Map.of("bad.properties", "D = 1.0\ndx = -0.5\n"), BOTH,
                        List.of("dx", "bad.properties", "accepted", "dx > 0")),
                diff2d("diff2d more ranks than rows (--dx 5: 4 rows, -np 8)", "--dx 5", List.of(Form.NP8),
                        "-np", "8", "accepted", "1 to 4"),
                new Case("diff2d --out an existing directory", words("diff2d --out existing --runtime 0.01"),
                        Map.of("existing/mine.txt", "the user's own file\n"), List.of(Form.NP1, Form.NP4,
                        Form.SERIAL), List.of("--out", "existing", "already exists")),
                new Case("unknown program name", List.of("diff3d", "--dx", "0.1"), Map.of(), BOTH,
                        List.of("diff3d", "accepted", "auc", "diff2d")),
                new Case("no program at all", List.of(), Map.of(), BOTH,
                        List.of("no program", "accepted", "auc", "diff2d")),
                auc("auc --ntot 0", "--ntot 0", BOTH, "--ntot", "accepted", "1 to"),
                auc("auc --kernels simd", "--kernels simd", BOTH, "--kernels simd", "accepted",
                        "auto, vector or scalar"),
                auc("auc --ntot -5", "--ntot -5", BOTH, "--ntot", "accepted", "1 to"),
                auc("auc --ntot 1.5 (not whole)", "--ntot 1.5", ALL, "--ntot", "1.5", "accepted"),
                auc("auc --ntot 3 at -np 4 (fewer samples than ranks)", "--ntot 3", List.of(Form.NP4),
                        "--ntot", "accepted", "4 to", "-np 4")));
        return cases.stream().flatMap(c -> c.forms().stream().map(form -> new Launch(c, form)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void badInput(Launch launch) throws IOException {
        Case c = launch.c();
        Path work = Files.createDirectory(dir.resolve("work"));
        for (Map.Entry<String, String> file : c.files().entrySet()) {
            Path path = work.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        Map<String, String> before = contents(work);

        Halo.Result r = launch.form().run(work, c.args().toArray(String[]::new));

        String seen = "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr() + "\nstdout:\n" + r.stdout();
        assertEquals(BAD_INPUT, r.exitStatus(), "exit status" + seen);
        assertOneErrorLine(r, seen);
        String line = r.stderrLines().get(0);
        for (String expected : c.expect()) {
            assertTrue(line.contains(expected), "the error line should contain '" + expected + "'" + seen);
        }
        assertTrue(r.stdout().isBlank(), "nothing on stdout for bad input" + seen);
        assertTrue(r.seconds() < QUICK_SECONDS, "took " + r.seconds() + " s" + seen);
        assertFalse(Files.exists(work.resolve("runs")), "no run directory under runs/" + seen);
        assertEquals(before, contents(work), "the working directory (and --out's directory) must be untouched"
                + seen);
    }

    @Test
    void helpAtFourRanksIsPrintedOnce() throws IOException {
        Halo.Result r = Halo.mpjrun(dir, 4, "--help");
        String seen = "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr() + "\nstdout:\n" + r.stdout();
        assertEquals(0, r.exitStatus(), seen);
        assertTrue(r.stderr().isBlank(), seen);
        assertEquals(1, count(r.stdout(), "usage:"), "one usage block" + seen);
        assertEquals(1, count(r.stdout(), "Programs:"), "one usage block" + seen);
        assertTrue(r.seconds() < QUICK_SECONDS, seen);
        assertEquals(Map.of(), contents(dir), seen);
    }

    @Test
    void programHelpAtFourRanksIsPrintedOnce() throws IOException {
        Halo.Result r = Halo.mpjrun(dir, 4, "diff2d", "--help");
        String seen = "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr() + "\nstdout:\n" + r.stdout();
        assertEquals(0, r.exitStatus(), seen);
        assertTrue(r.stderr().isBlank(), seen);
        assertEquals(1, count(r.stdout(), "usage:"), "one usage block" + seen);
        assertEquals(1, count(r.stdout(), "Explicit 2D diffusion"), "one description" + seen);
        assertTrue(r.seconds() < QUICK_SECONDS, seen);
        assertEquals(Map.of(), contents(dir), seen);
    }

    @Test
    void versionAtFourRanksIsPrintedOnce() throws IOException {
        Halo.Result r = Halo.mpjrun(dir, 4, "--version");
        String seen = "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr() + "\nstdout:\n" + r.stdout();
        assertEquals(0, r.exitStatus(), seen);
        assertTrue(r.stderr().isBlank(), seen);
        List<String> lines = r.stdout().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one version line" + seen);
        assertTrue(lines.get(0).matches("Halo \\S+"), seen);
        assertTrue(r.seconds() < QUICK_SECONDS, seen);
        assertEquals(Map.of(), contents(dir), seen);
    }

    /**
     * A real failure while running, no test hook: a 4000x4000 grid (128 MB a copy) cannot fit
     * into a 48 MB heap. The run must end quickly with one error line, and its run directory
     * must not claim completion (no summary.json).
     */
    @Test
    void aRankOutOfMemoryEndsTheRunWithOneErrorLine() throws IOException {
        Halo.Result r = Halo.mpjrunWithJvmOption(dir, "-Xmx48m", 2, "diff2d", "--dx", "0.005", "--runtime", "0.001");
        String seen = "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr() + "\nstdout:\n" + r.stdout();
        assertTrue(r.seconds() < QUICK_SECONDS, "took " + r.seconds() + " s" + seen);
        assertEquals(FAILED, r.exitStatus(), "exit status" + seen);
        assertOneErrorLine(r, seen);
        assertTrue(r.stderrLines().get(0).contains("error"), seen);
        assertFalse(r.stdout().contains("Run directory"), "no result on stdout" + seen);
        assertFalse(r.stdout().contains("wall"), "no timing table on stdout" + seen);
        Set<String> summaries;
        try (Stream<Path> paths = Files.walk(dir)) {
            summaries = paths.filter(p -> p.getFileName().toString().equals("summary.json"))
                    .map(p -> dir.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(Set.of(), summaries, "a failed run has no summary.json" + seen);
    }

    static void assertOneErrorLine(Halo.Result r, String seen) {
        assertEquals(1, r.stderrLines().size(), "exactly one line on stderr, not one per rank" + seen);
        assertFalse(r.stderr().contains("at halo."), "no stack trace" + seen);
        assertFalse(r.stderr().contains("Exception"), "no stack trace" + seen);
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length())) {
            n++;
        }
        return n;
    }

    /**
     * Every file and directory under root, by relative path, with the bytes of regular files
     * (a pipe is only named: reading it would wait for a writer).
     */
    static Map<String, String> contents(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            Map<String, String> map = new LinkedHashMap<>();
            for (Path p : paths.filter(p -> !p.equals(root)).sorted().toList()) {
                map.put(root.relativize(p).toString(), Files.isDirectory(p) ? "<dir>"
                        : Files.isRegularFile(p) ? read(p) : "<special file>");
            }
            return map;
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
