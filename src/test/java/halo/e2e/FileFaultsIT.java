package halo.e2e;

import static halo.e2e.BadInputIT.BAD_INPUT;
import static halo.e2e.BadInputIT.FAILED;
import static halo.e2e.BadInputIT.QUICK_SECONDS;
import static halo.e2e.BadInputIT.assertOneErrorLine;
import static halo.e2e.BadInputIT.contents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import halo.e2e.BadInputIT.Form;

/**
 * End to end: files that get in the way. A conf file that cannot be read or parsed and an
 * output directory that cannot be made are bad input (status 2, one line, nothing created); a
 * disk that fills up while the run writes is a failure (status 1, one line naming the file and
 * "no space", and no half-written result). Real files and real file systems (a tmpfs of a few
 * kilobytes, a read-only one), through the real launcher at 1 and 4 ranks.
 */
class FileFaultsIT {

    @TempDir
    Path dir;

    /** Puts the troublesome file in place in the working directory; closing undoes a mount. */
    interface Setup {
        Mounts.Mount prepare(Path work) throws IOException;
    }

    /**
     * @param expect what the single error line must contain
     */
    record Case(String name, Setup setup, List<String> args, List<String> expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case diff2d(String name, Setup setup, String args, String... expect) {
        return new Case(name, setup, List.of(("diff2d " + args).split(" ")), List.of(expect));
    }

    private static Mounts.Mount file(Path path, byte[] content) throws IOException {
        Files.write(path, content);
        return null;
    }

    static Stream<Object[]> badFiles() {
        List<Case> cases = List.of(
                diff2d("--conf names a directory", work -> {
                    Files.createDirectory(work.resolve("conf.d"));
                    return null;
                }, "--conf conf.d", "--conf conf.d", "a directory", "accepted"),
                diff2d("--conf names a pipe with no writer (must not hang)", work -> {
                    Halo.systemCommand("mkfifo", work.resolve("pipe").toString());
                    return null;
                }, "--conf pipe", "--conf pipe", "not a regular file", "accepted"),
                diff2d("--conf with a malformed \\uXXXX escape", work -> file(work.resolve("bad.properties"),
                        "dx = 0.5\nx1 = -10\\u00zz\n".getBytes(StandardCharsets.US_ASCII)),
                        "--conf bad.properties", "--conf bad.properties", "malformed", "\\uXXXX", "accepted"),
                diff2d("--conf that is not UTF-8 text", work -> file(work.resolve("latin1.properties"),
                        "# r\u00e9glages\ndx = 0.5\n".getBytes(StandardCharsets.ISO_8859_1)),
                        "--conf latin1.properties", "--conf latin1.properties", "not UTF-8", "accepted"),
                diff2d("--out under a regular file", work -> file(work.resolve("taken"), "mine\n".getBytes()),
                        "--out taken/run", "--out taken/run", "cannot create directory", "accepted"),
                diff2d("--out under /proc", work -> null,
                        "--out /proc/halo-run", "--out /proc/halo-run", "cannot create directory", "accepted"),
                diff2d("--out on a read-only file system", work -> Mounts.readOnly(work.resolve("ro")),
                        "--out ro/run", "--out ro/run", "read-only file system", "accepted"));
        return cases.stream().flatMap(c -> Stream.of(Form.NP1, Form.NP4).map(form -> new Object[] {c, form}));
    }

    @ParameterizedTest(name = "{0}  [{1}]")
    @MethodSource
    void badFiles(Case c, Form form) throws IOException {
        Path work = Files.createDirectory(dir.resolve("work"));
        try (Mounts.Mount mount = c.setup().prepare(work)) {
            Map<String, String> before = contents(work);

            Halo.Result r = form.run(work, c.args().toArray(String[]::new));

            String seen = seen(r);
            assertEquals(BAD_INPUT, r.exitStatus(), "exit status" + seen);
            assertOneErrorLine(r, seen);
            for (String expected : c.expect()) {
                assertTrue(r.stderrLines().get(0).contains(expected), "the error line should contain '"
                        + expected + "'" + seen);
            }
            assertTrue(r.stdout().isBlank(), "nothing on stdout for bad input" + seen);
            assertTrue(r.seconds() < QUICK_SECONDS, "took " + r.seconds() + " s" + seen);
            assertEquals(before, contents(work), "nothing created or changed" + seen);
        }
    }

    /**
     * The course grid's final.npy (566 kB) cannot fit on a 128 kB disk that still takes the
     * logs: the run fails when rank 0 writes it, says so in one line, and leaves no
     * half-written final.npy (nor its hidden temporary file) and no summary.json.
     */
    @ParameterizedTest(name = "[{0}]")
    @EnumSource(names = {"NP1", "NP4", "SERIAL"})
    void aDiskThatFillsUpEndsTheRunWithOneLineNamingTheFile(Form form) throws IOException {
        Path disk = dir.resolve("disk");
        try (Mounts.Mount mount = Mounts.smallDisk(disk, "128k")) {
            Halo.Result r = form.run(dir, new String[] {"diff2d", "--runtime", "0.01", "--out", "disk/run"});

            String seen = seen(r);
            assertEquals(FAILED, r.exitStatus(), "exit status" + seen);
            assertOneErrorLine(r, seen);
            String line = r.stderrLines().get(0);
            assertTrue(line.contains("cannot write disk/run/final.npy: no space left on device"), seen);
            assertTrue(line.contains("--debug shows the stack trace"), seen);
            assertFalse(r.stdout().contains("Run directory"), "no claim of completion" + seen);
            assertTrue(r.seconds() < QUICK_SECONDS, "took " + r.seconds() + " s" + seen);
            try (Stream<Path> files = Files.list(disk.resolve("run"))) {
                assertEquals(List.of("logs"), files.map(p -> p.getFileName().toString()).toList(),
                        "only the logs: no final.npy, no temporary file, no summary.json" + seen);
            }
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @EnumSource(names = {"NP1", "NP4"})
    void debugAddsTheStackTrace(Form form) throws IOException {
        Path disk = dir.resolve("disk");
        try (Mounts.Mount mount = Mounts.smallDisk(disk, "128k")) {
            Halo.Result r = form.run(dir, new String[] {"diff2d", "--runtime", "0.01", "--out", "disk/run", "--debug"});

            String seen = seen(r);
            assertEquals(FAILED, r.exitStatus(), "exit status" + seen);
            assertTrue(r.stderrLines().get(0).contains("cannot write disk/run/final.npy: no space left on device"),
                    seen);
            assertTrue(r.stderr().contains("\tat halo.io.AtomicFile") || r.stderr().contains("//halo.io.AtomicFile"),
                    "the stack trace down to the failing write" + seen);
            assertTrue(r.stderr().contains("Caused by: java.io.IOException: No space left on device"), seen);
        }
    }

    private static String seen(Halo.Result r) {
        return "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr() + "\nstdout:\n" + r.stdout();
    }
}
