package halo.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs small MPJ programs in this JVM through {@link MulticoreLauncher#run}, with the real
 * MPJ Express jars of the project's MPJ_HOME ({@code .mpj}, made by setup.sh).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a rank that blocks fails the test, not the build
class MulticoreLauncherTest {

    private static Path mpjHome;
    private static List<Path> testClasses;

    @BeforeAll
    static void findMpjHome() throws URISyntaxException {
        // Surefire runs in the project's base directory.
        mpjHome = Path.of(".mpj").toAbsolutePath();
        assertTrue(Files.isRegularFile(mpjHome.resolve("lib/mpi.jar")),
                "no MPJ Express in " + mpjHome + ": run src/main/scripts/setup.sh first");
        testClasses = List.of(Path.of(
                ExchangeProgram.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {1, 2, 4})
    void ranksExchangeTheirNumbers(int nprocs, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.txt");
        int status = MulticoreLauncher.run(mpjHome, testClasses, ExchangeProgram.class.getName(),
                nprocs, out.toString());
        assertEquals(0, status);
        // rank r received r-1 round the ring
        StringBuilder expected = new StringBuilder("ok ").append(nprocs);
        for (int r = 0; r < nprocs; r++) {
            expected.append(' ').append((r + nprocs - 1) % nprocs);
        }
        assertEquals(expected.toString(), Files.readString(out).trim());
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {2, 4})
    void aThrowingRankGivesStatusOne(int nprocs) {
        String err = capturingStderr(() -> assertEquals(1,
                MulticoreLauncher.run(mpjHome, testClasses, FailingProgram.class.getName(), nprocs)));
        // (MPJ may print more on stderr: MPI.Init complains when the environment variable
        // MPJ_HOME does not lead to conf/mpjexpress.conf)
        String report = "rank 1 failed: java.lang.IllegalStateException: rank 1 fails on purpose\n"
                + "\tat mpj-rank-1//" + FailingProgram.class.getName() + ".main(";
        assertTrue(err.replace("\r\n", "\n").contains(report), err);
    }

    @Test
    void theFailingProgramSucceedsOnOneRank() {
        assertEquals(0, MulticoreLauncher.run(mpjHome, testClasses, FailingProgram.class.getName(), 1));
    }

    @Test
    void aMissingMainClassIsALaunchError() {
        var e = assertThrows(LaunchException.class,
                () -> MulticoreLauncher.run(mpjHome, testClasses, "halo.launch.NoSuchProgram", 2));
        assertTrue(e.getMessage().contains("halo.launch.NoSuchProgram"), e.getMessage());
    }

    @Test
    void anInstallationWithoutMpjIsALaunchError(@TempDir Path empty) {
        var e = assertThrows(LaunchException.class,
                () -> MulticoreLauncher.run(empty, testClasses, ExchangeProgram.class.getName(), 2));
        assertTrue(e.getMessage().contains("setup.sh"), e.getMessage());
    }

    @ParameterizedTest(name = "shared: {0}")
    @ValueSource(booleans = {true, false})
    void librariesNamedSharedAreLoadedOnceForAllRanks(boolean shared, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.txt");
        List<String> sharedPackages = shared ? List.of("halo.launch.library.") : List.of();
        assertEquals(0, MulticoreLauncher.run(mpjHome, testClasses, sharedPackages,
                SharedLibraryProgram.class.getName(), 3, out.toString()));
        assertEquals(shared ? "3 mpj-libraries" : "1 mpj-rank-0", Files.readString(out).trim());
    }

    /** A class named after a {@code !} stays per rank, as a class that links to mpi.* must. */
    @Test
    void classesExceptedFromTheSharedPackagesAreLoadedByEachRank(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.txt");
        assertEquals(0, MulticoreLauncher.run(mpjHome, testClasses,
                List.of("halo.launch.library.", "!halo.launch.library.RankCounter"),
                SharedLibraryProgram.class.getName(), 3, out.toString()));
        assertEquals("1 mpj-rank-0", Files.readString(out).trim());
    }

    @Test
    void theSharedPackagesComeFromTheJarManifest(@TempDir Path dir) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(SharedClasses.MANIFEST_ATTRIBUTE, " org.example.  com.other.lib. ");
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        assertEquals(List.of("org.example.", "com.other.lib."), LaunchCommand.sharedPackagesOf(jar));
        Path plain = dir.resolve("plain.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(plain), new Manifest())) {
            out.flush();
        }
        assertEquals(List.of(), LaunchCommand.sharedPackagesOf(plain));
    }

    @Test
    void classPathsAreReadLikeTheJvmDoes(@TempDir Path dir) throws Exception {
        Files.createFile(dir.resolve("b.jar"));
        Files.createFile(dir.resolve("a.jar"));
        Files.createFile(dir.resolve("notes.txt"));
        String sep = java.io.File.pathSeparator;
        List<Path> cp = LaunchCommand.classPath("x" + sep + sep + dir + "/*" + sep + "lib/mpj.jar");
        Path cwd = Path.of("").toAbsolutePath();
        // mpj.jar is dropped, like stock MPJ: the ranks get mpi.jar and mpjdev.jar anyway
        assertEquals(List.of(cwd.resolve("x"), cwd, dir.resolve("a.jar"), dir.resolve("b.jar")), cp);
    }

    private static String capturingStderr(Runnable action) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(saved);
        }
        String err = buffer.toString(StandardCharsets.UTF_8);
        saved.print(err); // still shown in the test report
        return err;
    }
}
