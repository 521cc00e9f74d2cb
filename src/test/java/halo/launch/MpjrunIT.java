package halo.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import halo.launch.library.RankCounter;

/**
 * End to end: the real {@code .mpj/bin/mpjrun.sh} (installed by setup.sh) as a process,
 * running the test programs from target/test-classes on the multicore device.
 */
class MpjrunIT {

    private static final long TIMEOUT_SECONDS = 60;

    private static Path root;
    private static Path mpjrun;

    @TempDir
    Path dir;

    @BeforeAll
    static void findMpjrun() {
        root = Path.of("").toAbsolutePath(); // Failsafe runs in the project's base directory
        mpjrun = root.resolve(".mpj/bin/mpjrun.sh");
        assertTrue(Files.isExecutable(mpjrun) && Files.isRegularFile(root.resolve(".mpj/lib/halo-launcher.jar")),
                "no " + mpjrun + ": run src/main/scripts/setup.sh first");
    }

    private record Result(int status, String out, String err) {
    }

    /** Runs mpjrun.sh with these arguments from the project root. */
    private Result mpjrun(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(mpjrun.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).directory(root.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("mpjrun.sh " + String.join(" ", args) + " still running after " + TIMEOUT_SECONDS
                    + " s\nstderr:\n" + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void threeRanksExchangeTheirNumbers() throws Exception {
        Path result = dir.resolve("result.txt");
        Result r = mpjrun("-np", "3", "-cp", "target/test-classes", ExchangeProgram.class.getName(),
                result.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("ok 3 2 0 1", Files.readString(result).trim());
    }

    @Test
    void aThrowingRankGivesAFailingStatus() throws Exception {
        Result r = mpjrun("-np", "3", "-cp", "target/test-classes", FailingProgram.class.getName());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("rank 1 failed: java.lang.IllegalStateException: rank 1 fails on purpose"),
                r.err());
    }

    @Test
    void aFailureEndsTheRunWhileOtherRanksAreBlocked() throws Exception {
        long start = System.nanoTime();
        Result r = mpjrun("-np", "3", "-cp", "target/test-classes", FailingProgram.class.getName(),
                "throw-while-others-wait");
        assertEquals(1, r.status(), r.err());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "took too long");
    }

    @Test
    void aRankCallingSystemExitSetsTheStatus() throws Exception {
        Result r = mpjrun("-np", "3", "-cp", "target/test-classes", FailingProgram.class.getName(), "exit", "3");
        assertEquals(3, r.status(), r.err());
    }

    @Test
    void zeroRanksIsAOneLineError() throws Exception {
        Result r = mpjrun("-np", "0", "-cp", "target/test-classes", ExchangeProgram.class.getName());
        assertNotEquals(0, r.status());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("-np"), r.err());
    }

    @Test
    void theWorkingDirectoryIsWdir() throws Exception {
        Path wdir = Files.createDirectory(dir.resolve("wdir"));
        Result r = mpjrun("-np", "2", "-wdir", wdir.toString(), "-cp", "target/test-classes",
                ExchangeProgram.class.getName(), "relative.txt");
        assertEquals(0, r.status(), r.err());
        assertEquals("ok 2 1 0", Files.readString(wdir.resolve("relative.txt")).trim());
    }

    /** A jar of test classes, its first the Main-Class, with these further manifest attributes. */
    private Path jar(String name, Map<String, String> attributes, Class<?>... classes) throws IOException {
        Path jar = dir.resolve(name);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, classes[0].getName());
        attributes.forEach(manifest.getMainAttributes()::putValue);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (Class<?> c : classes) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                out.write(Files.readAllBytes(root.resolve("target/test-classes").resolve(entry)));
                out.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void aJarRunsItsManifestMainClass() throws Exception {
        Path jar = jar("exchange.jar", Map.of(), ExchangeProgram.class);
        Path result = dir.resolve("result.txt");
        Result r = mpjrun("-np", "4", "-jar", root.relativize(jar).toString(), result.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("ok 4 3 0 1 2", Files.readString(result).trim());
    }

    /**
     * The classes a jar shares are loaded once, by the JVM's own class loader (mpjrun.sh puts
     * the jar on its class path, so that they come from the class data sharing archive); the
     * others, and those excepted with a {@code !}, once per rank, by the rank's loader.
     */
    @ParameterizedTest(name = "MPJ-Shared-Packages: \"{0}\"")
    @CsvSource(delimiter = '|', value = {
        "halo.launch.library.                                   | 3 app",
        "''                                                     | 1 mpj-rank-0",
        "halo.launch.library. !halo.launch.library.RankCounter  | 1 mpj-rank-0",
    })
    void aJarsSharedClassesComeFromTheJvmsOwnLoader(String sharedPackages, String expected) throws Exception {
        Map<String, String> attributes = sharedPackages.isEmpty() ? Map.of()
                : Map.of(SharedClasses.MANIFEST_ATTRIBUTE, sharedPackages);
        Path jar = jar("shared.jar", attributes, SharedLibraryProgram.class, RankCounter.class);
        Path result = dir.resolve("result.txt");
        Result r = mpjrun("-np", "3", "-jar", jar.toString(), result.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(expected, Files.readString(result).trim());
    }

    @Test
    void niodevRanksAreJvmsOfTheirOwnThatExchangeTheirNumbers() throws Exception {
        Path result = dir.resolve("result.txt");
        Result r = mpjrun("-dev", "niodev", "-np", "3", "-cp", "target/test-classes",
                ExchangeProgram.class.getName(), result.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("ok 3 2 0 1", Files.readString(result).trim());
    }

    /** Rank 1 throws while 0 and 2 wait for it in a receive, each in a JVM of its own. */
    @Test
    void niodevAThrowingRankEndsTheRunWithNoRankLeft() throws Exception {
        long start = System.nanoTime();
        String marker = dir.toString(); // an extra argument that names this test's ranks
        Result r = mpjrun("-dev", "niodev", "-np", "3", "-cp", "target/test-classes", FailingProgram.class.getName(),
                "throw-while-others-wait", marker);
        assertEquals(1, r.status(), r.err());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "took too long");
        assertTrue(r.err().startsWith("rank 1 failed: java.lang.IllegalStateException: rank 1 fails on purpose"),
                r.err());
        assertEquals(0, ProcessHandle.allProcesses()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains(marker)).count(),
                "no rank left running");
    }

    @Test
    void niodevAMissingMainClassIsOneLine() throws Exception {
        Result r = mpjrun("-dev", "niodev", "-np", "3", "-cp", "target/test-classes", "halo.launch.NoSuchProgram");
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("mpjrun.sh: cannot load main class halo.launch.NoSuchProgram"), r.err());
    }

    @Test
    void jvmOptionsReachTheJvm() throws Exception {
        // -Xshare:auto is harmless; a wrong JVM option must make the JVM refuse to start
        Result ok = mpjrun("-Xshare:auto", "-Dhalo.test=1", "-np", "1", "-cp", "target/test-classes",
                ExchangeProgram.class.getName());
        assertEquals(0, ok.status(), ok.err());
        Result bad = mpjrun("-XX:+NoSuchJvmOption", "-np", "1", "-cp", "target/test-classes",
                ExchangeProgram.class.getName());
        assertNotEquals(0, bad.status());
        assertTrue(bad.err().contains("NoSuchJvmOption"), bad.err());
    }
}
