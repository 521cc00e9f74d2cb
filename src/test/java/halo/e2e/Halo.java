package halo.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        List<String> command = new ArrayList<>(List.of(MPJRUN.toString(), "-np", Integer.toString(ranks)));
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(arguments));
        return run(workDir, command);
    }

    /** {@code mpjrun.sh jvmOption -np ranks -jar halo.jar arguments…}. */
    public static Result mpjrunWithJvmOption(Path workDir, String jvmOption, int ranks, String... arguments) {
        List<String> command = new ArrayList<>(List.of(MPJRUN.toString(), jvmOption, "-np", Integer.toString(ranks)));
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(arguments));
        return run(workDir, command);
    }

    /** {@code mpjrun.sh -np ranks -jar halo.jar arguments…} with these environment variables added. */
    public static Result mpjrunWithEnvironment(Path workDir, Map<String, String> environment, int ranks,
                                               String... arguments) {
        List<String> command = new ArrayList<>(List.of(MPJRUN.toString(), "-np", Integer.toString(ranks)));
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(arguments));
        return run(workDir, environment, command);
    }

    /** {@code java -jar halo.jar arguments…}: one rank, no MPJ Express. */
    public static Result serial(Path workDir, String... arguments) {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        return run(workDir, command);
    }

    private static Result run(Path workDir, List<String> command) {
        return run(workDir, Map.of(), command);
    }

    private static Result run(Path workDir, Map<String, String> environment, List<String> command) {
        assertTrue(Files.isExecutable(MPJRUN), MPJRUN + " is missing: run src/main/scripts/setup.sh first");
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: run mvn package (or setup.sh) first");
        try {
            Path out = Files.createTempFile(workDir, "stdout", ".txt");
            Path err = Files.createTempFile(workDir, "stderr", ".txt");
            long start = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail("no end within 120 s: " + String.join(" ", command));
            }
            double seconds = (System.nanoTime() - start) * 1e-9;
            Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err), seconds);
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
