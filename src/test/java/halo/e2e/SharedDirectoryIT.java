package halo.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a run directory that not every rank sees, as on nodes whose {@code --out} is on
 * a local disk. Three niodev ranks, started as a multi-node job starts them
 * ({@code slurm/niodev-rank.sh} with the job's rendezvous, {@code halo.launch.RendezvousCommand});
 * rank 2 runs in a mount namespace of its own, with a private tmpfs mounted over the run
 * directory's parent, so it sees another file system there than ranks 0 and 1. Rank 0's marker
 * never shows for rank 2 (halo.run.SharedDirectory): the run stops before any rank writes into
 * the run directory, in one line naming it, printed once, and every rank ends by itself with a
 * non-zero status (no srun ends them here). Needs root for the mount namespace and the tmpfs,
 * as CI runs; without it the test fails and says so.
 */
class SharedDirectoryIT {

    private static final int RANKS = 3;
    /**
     * 10 s for rank 2 to give up looking for the marker, then 10 s in which ranks 1 and 2 leave
     * rank 0 the time to report (halo.cli.Main), plus the start-up of three JVMs on a loaded
     * machine: about 25 s here.
     */
    private static final long LIMIT_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void aRankThatSeesAnotherFileSystemStopsTheRunInOneLine() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Path run = shared.resolve("run");
        // The namespace and the private mount, alone first: without root this fails here, saying so.
        Halo.systemCommand(privateTmpfsOver(shared, List.of("true")).toArray(String[]::new));

        List<Process> processes = new ArrayList<>();
        try {
            Process rendezvous = new ProcessBuilder("java", "-cp",
                    Halo.ROOT.resolve(".mpj/lib/halo-launcher.jar").toString(), "halo.launch.RendezvousCommand",
                    "--ranks", Integer.toString(RANKS), "--timeout", "30", "--port-file", dir.resolve("port").toString(),
                    "--secret-file", dir.resolve("secret").toString(), "--hosts", "localhost")
                    .redirectOutput(dir.resolve("rendezvous.out").toFile())
                    .redirectError(dir.resolve("rendezvous.err").toFile()).start();
            processes.add(rendezvous);
            String[] where = awaitPort(rendezvous); // ADDRESS PORT
            String secret = Files.readString(dir.resolve("secret")).strip();

            long start = System.nanoTime();
            List<Process> ranks = new ArrayList<>();
            for (int rank = 0; rank < RANKS; rank++) {
                List<String> command = List.of(Halo.ROOT.resolve("slurm/niodev-rank.sh").toString(),
                        Integer.toString(RANKS), where[0], where[1], "diff2d", "--runtime", "0.1", "--out", run.toString());
                ProcessBuilder builder = new ProcessBuilder(rank == RANKS - 1 ? privateTmpfsOver(shared, command) : command)
                        .directory(dir.toFile())
                        .redirectOutput(dir.resolve("out-" + rank).toFile())
                        .redirectError(dir.resolve("err-" + rank).toFile());
                builder.environment().putAll(Map.of("SLURM_PROCID", Integer.toString(rank),
                        "MPJ_HOME", Halo.ROOT.resolve(".mpj").toString(), "HALO_JAR", Halo.JAR.toString(),
                        "HALO_JOB_SECRET", secret, "HALO_RENDEZVOUS_TIMEOUT", "30"));
                Process process = builder.start();
                processes.add(process);
                ranks.add(process);
            }
            long deadline = start + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
            for (Process rank : ranks) {
                if (!rank.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    fail("a rank was still running after " + LIMIT_SECONDS + " s; stderr of rank 0:\n"
                            + Files.readString(dir.resolve("err-0")));
                }
            }
            double seconds = (System.nanoTime() - start) * 1e-9;

            StringBuilder seen = new StringBuilder("\nafter " + seconds + " s");
            List<String> errorLines = new ArrayList<>();
            for (int rank = 0; rank < RANKS; rank++) {
                String stderr = Files.readString(dir.resolve("err-" + rank));
                seen.append("\nrank ").append(rank).append(": status ").append(ranks.get(rank).exitValue())
                        .append("\nstderr:\n").append(stderr)
                        .append("stdout:\n").append(Files.readString(dir.resolve("out-" + rank)));
                stderr.lines().forEach(errorLines::add);
            }
            assertTrue(rendezvous.waitFor(10, TimeUnit.SECONDS), "the rendezvous did not end" + seen);
            assertEquals(0, rendezvous.exitValue(), "every rank got the peer list: "
                    + Files.readString(dir.resolve("rendezvous.err")) + seen);
            for (int rank = 0; rank < RANKS; rank++) {
                assertEquals(1, ranks.get(rank).exitValue(), "rank " + rank + " failed, as the run did" + seen);
                assertEquals("", Files.readString(dir.resolve("out-" + rank)), "nothing on stdout" + seen);
            }
            assertEquals(List.of("halo diff2d: error: rank 0: the run directory " + run + " that rank 0 created is"
                    + " not there: every rank writes its log and its rows of the run's files into it itself, so --out"
                    + " must be on a file system every node shares (on rank 2) (--debug shows the stack trace)"),
                    errorLines, "one line in all" + seen);
            assertEquals(errorLines.get(0), Files.readString(dir.resolve("err-0")).strip(), "from rank 0" + seen);
            assertTrue(seconds < LIMIT_SECONDS, seen.toString());

            assertTrue(Files.isDirectory(run), "rank 0 made the run directory on the file system it shares with rank 1");
            try (Stream<Path> files = Files.walk(run)) {
                assertEquals(List.of(), files.filter(Files::isRegularFile).toList(),
                        "no rank wrote into the run directory, no log either: the check comes first");
            }
        } finally {
            for (Process process : processes) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
        try (Stream<Path> inShared = Files.list(shared)) {
            assertEquals(List.of(run), inShared.toList(), "rank 2's tmpfs went with its namespace");
        }
        assertFalse(Files.exists(run.resolve("summary.json")));
    }

    /**
     * {@code command} in a mount namespace of its own, where a fresh tmpfs hides what is at
     * {@code directory} for it alone: it sees another file system there than every other process.
     */
    private static List<String> privateTmpfsOver(Path directory, List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
                "sh", "-c", "mount -t tmpfs -o size=1m halo-test \"$0\" && exec \"$@\"", directory.toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    /** What the rendezvous wrote to its port file: {address, port}. */
    private String[] awaitPort(Process rendezvous) throws IOException, InterruptedException {
        Path portFile = dir.resolve("port");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(portFile) && rendezvous.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(portFile), "the rendezvous wrote no port: " + Files.readString(dir.resolve("rendezvous.err")));
        return Files.readString(portFile).strip().split(" ");
    }
}
