package halo.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

import halo.e2e.Halo;
import halo.e2e.Halo.Result;
import halo.launch.library.RankCounter;

/**
 * End to end: the real {@code .mpj/bin/mpjrun.sh} (installed by setup.sh) as a process,
 * running the test programs from target/test-classes on the multicore device.
 */
class MpjrunIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static Path root;
    private static Path mpjrun;

    @TempDir
    Path dir;

    @BeforeAll
    static void findMpjrun() {
        root = Halo.ROOT;
        mpjrun = Halo.MPJRUN;
        assertTrue(Files.isExecutable(mpjrun) && Files.isRegularFile(root.resolve(".mpj/lib/halo-launcher.jar")),
                "no " + mpjrun + ": run src/main/scripts/setup.sh first");
    }

    /** Runs mpjrun.sh with these arguments from the project root. */
    private static Result mpjrun(String... args) {
        List<String> command = new ArrayList<>(List.of(mpjrun.toString()));
        command.addAll(List.of(args));
        return Halo.command(root, Map.of(), TIMEOUT, command);
    }

    @Test
    void threeRanksExchangeTheirNumbers() throws Exception {
        Path result = dir.resolve("result.txt");
        Result r = mpjrun("-np", "3", "-cp", "target/test-classes", ExchangeProgram.class.getName(),
                result.toString());
        assertEquals(0, r.exitStatus(), r.stderr());
        assertEquals("ok 3 2 0 1", Files.readString(result).trim());
    }

    @Test
    void aThrowingRankGivesAFailingStatus() throws Exception {
        Result r = mpjrun("-np", "3", "-cp", "target/test-classes", FailingProgram.class.getName());
        assertEquals(1, r.exitStatus(), r.stderr());
        assertTrue(r.stderr().contains("rank 1 failed: java.lang.IllegalStateException: rank 1 fails on purpose"),
                r.stderr());
    }

    @Test
    void aFailureEndsTheRunWhileOtherRanksAreBlocked() throws Exception {
        long start = System.nanoTime();
        Result r = mpjrun("-np", "3", "-cp", "target/test-classes", FailingProgram.class.getName(),
                "throw-while-others-wait");
        assertEquals(1, r.exitStatus(), r.stderr());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "took too long");
    }

    @Test
    void aRankCallingSystemExitSetsTheStatus() throws Exception {
        Result r = mpjrun("-np", "3", "-cp", "target/test-classes", FailingProgram.class.getName(), "exit", "3");
        assertEquals(3, r.exitStatus(), r.stderr());
    }

    @Test
    void zeroRanksIsAOneLineError() throws Exception {
        Result r = mpjrun("-np", "0", "-cp", "target/test-classes", ExchangeProgram.class.getName());
        assertNotEquals(0, r.exitStatus());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        assertTrue(r.stderr().contains("-np"), r.stderr());
    }

    @Test
    void theWorkingDirectoryIsWdir() throws Exception {
        Path wdir = Files.createDirectory(dir.resolve("wdir"));
        Result r = mpjrun("-np", "2", "-wdir", wdir.toString(), "-cp", "target/test-classes",
                ExchangeProgram.class.getName(), "relative.txt");
        assertEquals(0, r.exitStatus(), r.stderr());
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
        assertEquals(0, r.exitStatus(), r.stderr());
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
        assertEquals(0, r.exitStatus(), r.stderr());
        assertEquals(expected, Files.readString(result).trim());
    }

    @Test
    void niodevRanksAreJvmsOfTheirOwnThatExchangeTheirNumbers() throws Exception {
        Path result = dir.resolve("result.txt");
        Result r = mpjrun("-dev", "niodev", "-np", "3", "-cp", "target/test-classes",
                ExchangeProgram.class.getName(), result.toString());
        assertEquals(0, r.exitStatus(), r.stderr());
        assertEquals("ok 3 2 0 1", Files.readString(result).trim());
    }

    /** Rank 1 throws while 0 and 2 wait for it in a receive, each in a JVM of its own. */
    @Test
    void niodevAThrowingRankEndsTheRunWithNoRankLeft() throws Exception {
        long start = System.nanoTime();
        String marker = dir.toString(); // an extra argument that names this test's ranks
        Result r = mpjrun("-dev", "niodev", "-np", "3", "-cp", "target/test-classes", FailingProgram.class.getName(),
                "throw-while-others-wait", marker);
        assertEquals(1, r.exitStatus(), r.stderr());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "took too long");
        assertTrue(r.stderr().startsWith("rank 1 failed: java.lang.IllegalStateException: rank 1 fails on purpose"),
                r.stderr());
        assertEquals(0, ProcessHandle.allProcesses()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains(marker)).count(),
                "no rank left running");
    }

    @Test
    void niodevAMissingMainClassIsOneLine() throws Exception {
        Result r = mpjrun("-dev", "niodev", "-np", "3", "-cp", "target/test-classes", "halo.launch.NoSuchProgram");
        assertEquals(2, r.exitStatus(), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith("mpjrun.sh: cannot load main class halo.launch.NoSuchProgram"), r.stderr());
    }

    @Test
    void jvmOptionsReachTheJvm() throws Exception {
        // -Xshare:auto is harmless; a wrong JVM option must make the JVM refuse to start
        Result ok = mpjrun("-Xshare:auto", "-Dhalo.test=1", "-np", "1", "-cp", "target/test-classes",
                ExchangeProgram.class.getName());
        assertEquals(0, ok.exitStatus(), ok.stderr());
        Result bad = mpjrun("-XX:+NoSuchJvmOption", "-np", "1", "-cp", "target/test-classes",
                ExchangeProgram.class.getName());
        assertNotEquals(0, bad.exitStatus());
        assertTrue(bad.stderr().contains("NoSuchJvmOption"), bad.stderr());
    }
}
