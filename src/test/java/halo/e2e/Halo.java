package halo.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Halo the way users do, as real processes: {@code .mpj/bin/mpjrun.sh -np N -jar
 * target/halo.jar …} (real MPJ Express ranks) or {@code java -jar target/halo.jar …} (the
 * serial run without MPJ). The project's set-up ({@code src/main/scripts/setup.sh}) must have
 * run; the README's test command does that first.
 */
public final class Halo {

    /** What a finished command left behind. */
    public record Result(int exitStatus, String stdout, String stderr, double seconds) {
        public List<String> stderrLines() {
            return stderr.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    public static final Path ROOT = Path.of("").toAbsolutePath();
    public static final Path JAR = ROOT.resolve("target/halo.jar");
    public static final Path MPJRUN = ROOT.resolve(".mpj/bin/mpjrun.sh");

    private Halo() {}

    /** {@code mpjrun.sh -np ranks -jar halo.jar arguments…} in {@code workDir}. */
    public static Result mpjrun(Path workDir, int ranks, String... arguments) {
        return run(workDir, mpjrunCommand(ranks, arguments));
    }

    /** {@code mpjrun.sh -np ranks -jar halo.jar arguments…} with {@code environment} added to this JVM's. */
    public static Result mpjrun(Path workDir, Map<String, String> environment, int ranks, String... arguments) {
        return run(workDir, environment, mpjrunCommand(ranks, arguments));
    }

    /** {@code mpjrun.sh -dev niodev -np ranks -jar halo.jar arguments…}: one JVM per rank. */
    public static Result mpjrunNiodev(Path workDir, int ranks, String... arguments) {
        return run(workDir, mpjrunCommand("niodev", ranks, arguments));
    }

    /** As {@link #mpjrunNiodev(Path, int, String...)}, with {@code environment} added to this JVM's (and the ranks'). */
    public static Result mpjrunNiodev(Path workDir, Map<String, String> environment, int ranks, String... arguments) {
        return run(workDir, environment, mpjrunCommand("niodev", ranks, arguments));
    }

    /**
     * Starts {@code mpjrun.sh -np ranks -jar halo.jar arguments…} in {@code workDir} and returns
     * at once, for a test that interferes with the run; its output is discarded. The process is
     * mpjrun.sh; the JVM that holds every rank is its child ({@link #jvmOf}).
     */
    public static Process startMpjrun(Path workDir, int ranks, String... arguments) throws IOException {
        return new ProcessBuilder(mpjrunCommand(ranks, arguments)).directory(workDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /**
     * Starts {@code mpjrun.sh -dev niodev -np ranks -jar halo.jar arguments…} in {@code workDir}
     * and returns at once; its output goes to {@code stdout} and {@code stderr}. The process is
     * mpjrun.sh; the launcher's JVM is its child, the ranks are the launcher's children.
     */
    public static Process startMpjrunNiodev(Path workDir, Path stdout, Path stderr, int ranks, String... arguments)
            throws IOException {
        return new ProcessBuilder(mpjrunCommand("niodev", ranks, arguments)).directory(workDir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    }

    /**
     * The JVM of a running {@code mpjrun.sh} (it stays the JVM's parent, to take the JDK's
     * incubator warning out of its stderr), for a test that freezes or kills the JVM itself.
     */
    public static ProcessHandle jvmOf(Process mpjrun) {
        return mpjrun.children().filter(child -> child.info().command().orElse("").endsWith("/java")).findFirst()
                .orElseThrow(() -> new AssertionError("no JVM under mpjrun.sh (pid " + mpjrun.pid() + ")"));
    }

    private static List<String> mpjrunCommand(int ranks, String... arguments) {
        return mpjrunCommand("multicore", ranks, arguments);
    }

    private static List<String> mpjrunCommand(String device, int ranks, String... arguments) {
        List<String> command = new ArrayList<>(List.of(MPJRUN.toString(), "-dev", device,
                "-np", Integer.toString(ranks)));
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(arguments));
        return command;
    }

    /** {@code mpjrun.sh jvmOption -np ranks -jar halo.jar arguments…}. */
    public static Result mpjrunWithJvmOption(Path workDir, String jvmOption, int ranks, String... arguments) {
        List<String> command = mpjrunCommand(ranks, arguments);
        command.add(1, jvmOption);
        return run(workDir, command);
    }

    /** {@code java -jar halo.jar arguments…}: one rank, no MPJ Express. */
    public static Result serial(Path workDir, String... arguments) {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        return run(workDir, command);
    }

    /**
     * A reference run of a test class: {@code java -jar halo.jar arguments… --out name} in
     * {@code workDir}, which must succeed. Returns its run directory.
     */
    public static Path serialReference(Path workDir, String name, String... arguments) {
        return reference(workDir, name, serial(workDir, concat(arguments, "--out", name)));
    }

    /** {@link #serialReference}, run by {@code mpjrun.sh -np ranks} instead. */
    public static Path mpjrunReference(Path workDir, String name, int ranks, String... arguments) {
        return reference(workDir, name, mpjrun(workDir, ranks, concat(arguments, "--out", name)));
    }

    private static Path reference(Path workDir, String name, Result result) {
        assertEquals(0, result.exitStatus(), result.stderr());
        return workDir.resolve(name);
    }

    /** {@code first} followed by {@code more}: a problem's arguments and a run's own. */
    public static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    /** Waits (at most 60 s) until the running {@code process} has written {@code file}. */
    public static void awaitFile(Path file, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(file)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                fail("the run " + (process.isAlive() ? "has not written " : "ended before writing ") + file);
            }
            Thread.sleep(50);
        }
    }

    /** Runs a short system command (mount, mkfifo, kill) and insists that it succeeds. */
    public static void systemCommand(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            assertEquals(0, process.exitValue(), String.join(" ", command)
                    + " failed (mount and umount need root): " + output);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + List.of(command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Result run(Path workDir, List<String> command) {
        return run(workDir, Map.of(), command);
    }

    private static Result run(Path workDir, Map<String, String> environment, List<String> command) {
        assertTrue(Files.isExecutable(MPJRUN), MPJRUN + " is missing: run src/main/scripts/setup.sh first");
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: run mvn package (or setup.sh) first");
        return command(workDir, environment, Duration.ofSeconds(120), command);
    }

    /**
     * Runs {@code command} in {@code workDir} with {@code environment} added to this JVM's, and
     * waits at most {@code timeout} (then kills it and its descendants, and fails the test).
     */
    public static Result command(Path workDir, Map<String, String> environment, Duration timeout,
                                 List<String> command) {
        try {
            Path out = Files.createTempFile("halo-stdout", ".txt"); // not in workDir: it may be the project
            Path err = Files.createTempFile("halo-stderr", ".txt");
            try {
                long start = System.nanoTime();
                ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    fail("no end within " + timeout.toSeconds() + " s: " + String.join(" ", command)
                            + "\nstderr so far:\n" + Files.readString(err));
                }
                double seconds = (System.nanoTime() - start) * 1e-9;
                return new Result(process.exitValue(), Files.readString(out), Files.readString(err), seconds);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
