package halo.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import halo.e2e.Halo;

/**
 * End to end: the real {@code .mpj/bin/mpjrun.sh} gives the ranks' JVMs the JDK's Vector API
 * (jdk.incubator.vector) without the warning the JDK prints for it, and otherwise stays out of
 * the way (src/main/scripts/vector-api.sh): every other byte of stderr passes through, the exit
 * status is the JVM's, stderr is whole when mpjrun.sh returns, SIGTERM to mpjrun.sh and SIGINT
 * to its process group end the JVM as they would end it alone (shutdown hooks run), and no JVM
 * is left behind. A JDK without the module runs without it.
 */
class VectorApiIT {

    private static final long TIMEOUT_SECONDS = 60;
    /** The JDK polls a process that is not its child at growing intervals, up to 5 s. */
    private static final long PARENT_GONE_SECONDS = 20;
    private static final String WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";
    /** Enough shutdown output to be still in the filter's pipe if mpjrun.sh did not wait for it. */
    private static final int HOOK_LINES = 100_000;

    private static final Path ROOT = Path.of("").toAbsolutePath(); // Failsafe runs in the project's base directory
    private static final Path MPJRUN = ROOT.resolve(".mpj/bin/mpjrun.sh");

    @TempDir
    Path dir;

    /** The probe's mpjrun.sh command: {@code mpjrun.sh [before...] -cp target/test-classes JvmProbeProgram args...}. */
    private static List<String> probe(List<String> before, String... args) {
        List<String> command = new ArrayList<>(List.of(MPJRUN.toString()));
        command.addAll(before);
        command.addAll(List.of("-cp", "target/test-classes", JvmProbeProgram.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static Halo.Result run(List<String> command, Map<String, String> environment) {
        return Halo.command(ROOT, environment, Duration.ofSeconds(TIMEOUT_SECONDS), command);
    }

    private static Halo.Result run(List<String> command) {
        return run(command, Map.of());
    }

    /** Started in the background, its output to files in this test's directory. */
    private Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile())
                .start();
    }

    /** Java processes whose command line names this test's directory (the probe's READY file does). */
    private List<ProcessHandle> jvms() {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().orElse("").endsWith("/java"))
                .filter(p -> p.info().commandLine().orElse("").contains(dir.toString())).toList();
    }

    @AfterEach
    void noJvmLeftBehind() {
        List<ProcessHandle> left = jvms();
        left.forEach(ProcessHandle::destroyForcibly);
        assertEquals(List.of(), left, "JVMs left running");
    }

    private static int awaitEnd(Process process) throws InterruptedException {
        assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "did not end");
        return process.exitValue();
    }

    @ParameterizedTest(name = "-dev {0}")
    @ValueSource(strings = {"multicore", "niodev"})
    void everyRankHasTheVectorApiAndStderrStaysEmpty(String device) throws Exception {
        Halo.Result r = run(probe(List.of("-dev", device, "-np", "2")));
        assertEquals(0, r.exitStatus(), r.stderr());
        assertEquals("", r.stderr());
        assertEquals(List.of("rank 0 incubating jdk.incubator.vector", "rank 1 incubating jdk.incubator.vector"),
                r.stdout().lines().sorted().toList());
    }

    @Test
    void theUsersOwnModuleOptionsStillCount() throws Exception {
        Halo.Result same = run(probe(List.of("--add-modules=jdk.incubator.vector", "-np", "1")));
        assertEquals(0, same.exitStatus(), same.stderr());
        assertEquals("", same.stderr());
        assertEquals("rank 0 incubating jdk.incubator.vector\n", same.stdout());

        // a warning that names another module too is not the one taken out: it passes through
        Halo.Result more = run(probe(List.of("--add-modules=jdk.incubator.foreign", "-np", "1")));
        assertEquals(0, more.exitStatus(), more.stderr());
        List<String> lines = more.stderr().lines().toList();
        assertEquals(1, lines.size(), more.stderr());
        assertTrue(lines.get(0).startsWith("WARNING: Using incubator modules: ") && lines.get(0).contains("foreign")
                && lines.get(0).contains("vector"), more.stderr());
        assertEquals("rank 0 incubating jdk.incubator.foreign jdk.incubator.vector\n", more.stdout());
    }

    @Test
    void everyOtherByteOfStderrPassesThrough() throws Exception {
        String kept = "a NUL \0, a CR \r, a tab \t, Unicode: dx² ≥ 0, é\n" + WARNING + " (quoted, not the JDK's)\n"
                + "  " + WARNING + "\n" + "the last line, without a newline";
        Path content = Files.writeString(dir.resolve("stderr.txt"), "first line\n" + WARNING + "\n" + kept);

        Halo.Result r = run(probe(List.of("-np", "1"), "stderr", content.toString()));
        assertEquals(0, r.exitStatus(), r.stderr());
        assertEquals("first line\n" + kept, r.stderr());
    }

    @ParameterizedTest(name = "System.exit({0})")
    @ValueSource(ints = {0, 1, 2, 3, 42})
    void theExitStatusIsTheJvms(int status) throws Exception {
        Halo.Result r = run(probe(List.of("-np", "2"), "exit", Integer.toString(status)));
        assertEquals(status, r.exitStatus(), r.stderr());
        assertEquals("", r.stderr());
    }

    @Test
    void aJvmKilledWithSigkillIs137() throws Exception {
        Path ready = dir.resolve("ready");
        Process mpjrun = start(probe(List.of("-np", "2"), "wait", ready.toString(), "1"));
        Halo.awaitFile(ready, mpjrun);
        List<ProcessHandle> jvm = jvms();
        assertEquals(1, jvm.size(), "the one JVM of the multicore ranks");
        jvm.get(0).destroyForcibly();
        assertEquals(137, awaitEnd(mpjrun), "128 + SIGKILL");
    }

    /**
     * SIGTERM to mpjrun.sh by its PID, as timeout, kill or Process.destroy send it: the JVM's
     * shutdown hook runs, and all it writes is in the file when mpjrun.sh has returned.
     */
    @Test
    void sigtermToMpjrunRunsTheShutdownHooksAndStderrIsWholeOnReturn() throws Exception {
        Path ready = dir.resolve("ready");
        Process mpjrun = start(probe(List.of("-np", "2"), "wait", ready.toString(), Integer.toString(HOOK_LINES)));
        Halo.awaitFile(ready, mpjrun);
        mpjrun.destroy();
        assertEquals(143, awaitEnd(mpjrun), "128 + SIGTERM, as the JVM exits on it");
        assertShutdownOutputIsWhole(Files.readString(dir.resolve("err.txt")));
    }

    /**
     * Ctrl-C: SIGINT to the foreground process group (mpjrun.sh, the JVM, the filter), with
     * SIGINT not ignored, as in an interactive shell.
     */
    @Test
    void sigintToTheProcessGroupRunsTheShutdownHooksAndStderrIsWholeOnReturn() throws Exception {
        Path ready = dir.resolve("ready");
        List<String> command = new ArrayList<>(List.of("setsid", "--wait", "env", "--default-signal=INT"));
        command.addAll(probe(List.of("-np", "2"), "wait", ready.toString(), Integer.toString(HOOK_LINES)));
        Process processGroupLeader = start(command);
        Halo.awaitFile(ready, processGroupLeader);
        Halo.systemCommand("kill", "-INT", "--", "-" + processGroup(jvms().get(0)));
        assertEquals(130, awaitEnd(processGroupLeader), "128 + SIGINT, as the JVM exits on it");
        assertShutdownOutputIsWhole(Files.readString(dir.resolve("err.txt")));
    }

    private static void assertShutdownOutputIsWhole(String err) {
        List<String> lines = err.lines().toList();
        assertEquals(HOOK_LINES + 1, lines.size(), err.length() > 300 ? err.substring(err.length() - 300) : err);
        assertEquals("hook done", lines.get(HOOK_LINES));
    }

    private static long processGroup(ProcessHandle process) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(afterName[2]); // state, ppid, pgrp
    }

    /** mpjrun.sh -dev niodev: SIGTERM ends the launcher, whose shutdown hook ends the ranks. */
    @Test
    void sigtermToMpjrunDevNiodevEndsEveryRank() throws Exception {
        Path ready = dir.resolve("ready");
        Process mpjrun = start(probe(List.of("-dev", "niodev", "-np", "2"), "wait", ready.toString(), "1"));
        Halo.awaitFile(ready, mpjrun);
        assertEquals(3, jvms().size(), "the launcher and two ranks");
        mpjrun.destroy();
        assertEquals(143, awaitEnd(mpjrun));
    }

    /**
     * kill -9 of mpjrun.sh, which no script can pass on: the JVM, told mpjrun.sh's PID, sees
     * it gone and ends itself (halo.launch.ParentWatch); multicore, and niodev with its ranks.
     */
    @ParameterizedTest(name = "-dev {0}")
    @ValueSource(strings = {"multicore", "niodev"})
    void aSigkillOfMpjrunEndsItsJvmsWithinSeconds(String device) throws Exception {
        Path ready = dir.resolve("ready");
        Process mpjrun = start(probe(List.of("-dev", device, "-np", "2"), "wait", ready.toString(), "1"));
        Halo.awaitFile(ready, mpjrun);
        assertFalse(jvms().isEmpty());
        mpjrun.destroyForcibly();
        awaitNoJvm(PARENT_GONE_SECONDS);
    }

    /** kill -9 of the niodev launcher's JVM: its ranks, told its PID, end themselves. */
    @Test
    void aSigkillOfTheNiodevLauncherEndsItsRanksWithinSeconds() throws Exception {
        Path ready = dir.resolve("ready");
        Process mpjrun = start(probe(List.of("-dev", "niodev", "-np", "2"), "wait", ready.toString(), "1"));
        Halo.awaitFile(ready, mpjrun);
        ProcessHandle launcher = Halo.jvmOf(mpjrun);
        assertEquals(2, launcher.children().count(), "two ranks");
        launcher.destroyForcibly();
        awaitNoJvm(PARENT_GONE_SECONDS);
        assertEquals(137, awaitEnd(mpjrun), "mpjrun.sh tells how its JVM ended");
    }

    private void awaitNoJvm(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!jvms().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), jvms().stream().map(p -> p.info().commandLine().orElse("?")).toList(),
                "still running after " + seconds + " s");
    }

    /**
     * setup.sh's class data sharing archive is in use and holds no class of the Vector API: an
     * archive holding them has been seen to run the vector kernels 16 times slower (JDK 17).
     */
    @Test
    void theClassDataSharingArchiveHoldsNoVectorApiClass() {
        Halo.Result r = run(List.of(MPJRUN.toString(), "-Xlog:class+load", "-np", "1", "-jar", "target/halo.jar",
                "diff2d", "--runtime", "0.01", "--out", dir.resolve("run").toString()));
        assertEquals(0, r.exitStatus(), r.stderr());
        assertTrue(r.stdout().contains("source: shared objects file (top)"), "setup.sh's archive is in use");
        List<String> vectorApi = r.stdout().lines().filter(line -> line.contains(" jdk.incubator.vector.")).toList();
        assertFalse(vectorApi.isEmpty(), "the vector kernels ran");
        List<String> archived = vectorApi.stream().filter(line -> line.contains("shared objects file")).toList();
        assertTrue(archived.isEmpty(), archived.size() + " classes of the Vector API from the archive, such as "
                + archived.stream().findFirst().orElse(""));
    }

    /**
     * A JDK without jdk.incubator.vector (its release file does not list it): no module option,
     * so the JVM starts, without the Vector API; and Halo's --kernels vector is one line.
     */
    @Test
    void aJdkWithoutTheModuleRunsWithoutIt() throws Exception {
        Path jdk = dir.resolve("jdk");
        Path java = Files.createDirectories(jdk.resolve("bin")).resolve("java");
        String realJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(java, "#!/bin/sh\nexec " + realJava + " \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"17\"\nMODULES=\"java.base java.se jdk.incubator.foreign\"\n");
        Map<String, String> environment = Map.of("JAVA_HOME", jdk.toString());

        Halo.Result r = run(probe(List.of("-np", "2")), environment);
        assertEquals(0, r.exitStatus(), r.stderr());
        assertEquals("", r.stderr());
        assertEquals(List.of("rank 0 incubating ", "rank 1 incubating "), r.stdout().lines().sorted().toList());

        Halo.Result vector = run(List.of(MPJRUN.toString(), "-np", "4", "-jar", "target/halo.jar", "diff2d",
                "--kernels", "vector", "--out", dir.resolve("run").toString()), environment);
        assertEquals(2, vector.exitStatus(), vector.stderr());
        assertEquals(1, vector.stderr().lines().count(), vector.stderr());
        assertTrue(vector.stderr().startsWith("halo diff2d: error: --kernels vector: this JVM has no Vector API"),
                vector.stderr());
    }
}
