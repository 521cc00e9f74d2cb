package halo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

    private static final LocalDateTime NEW_YEAR = LocalDateTime.of(2024, 1, 2, 3, 4, 5);

    @TempDir
    Path dir;

    @Test
    void createNewMakesParentsAndLogs() throws IOException {
        Path requested = dir.resolve("runs/nested/x");
        RunDirectory run = RunDirectory.createNew(requested);
        assertEquals(requested, run.path());
        assertTrue(Files.isDirectory(run.logs()));
        assertEquals(requested.resolve("logs"), run.logs());
    }

    @Test
    void createNewRefusesAnExistingDirectory() throws IOException {
        Path requested = dir.resolve("x");
        Files.createDirectory(requested);
        Files.writeString(requested.resolve("summary.json"), "{}");

        RunDirectoryException failure = assertThrows(RunDirectoryException.class, () -> RunDirectory.createNew(requested));
        assertEquals("--out " + requested + ": directory already exists; Halo never reuses or overwrites a run directory",
                failure.getMessage());
        assertEquals("{}", Files.readString(requested.resolve("summary.json")), "left untouched");
    }

    @Test
    void createNewRefusesAnExistingFile() throws IOException {
        Path requested = Files.writeString(dir.resolve("x"), "data");
        RunDirectoryException failure = assertThrows(RunDirectoryException.class, () -> RunDirectory.createNew(requested));
        assertTrue(failure.getMessage().contains("already exists"), failure.getMessage());
    }

    @Test
    void createNewSaysWhyItCannotCreate() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "data");
        Path requested = file.resolve("x");
        RunDirectoryException failure = assertThrows(RunDirectoryException.class, () -> RunDirectory.createNew(requested));
        assertTrue(failure.getMessage().startsWith("--out " + requested + ": cannot create directory: "), failure.getMessage());
        assertEquals(1, failure.getMessage().lines().count());
    }

    @Test
    void createDefaultIsNamedAfterTheSlurmJobAndNeverReused() throws IOException {
        Path runs = dir.resolve("runs");
        assertEquals(runs.resolve("diff2d-4711"), RunDirectory.createDefault(runs, "diff2d", "4711", NEW_YEAR).path());
        assertEquals(runs.resolve("diff2d-4711-2"), RunDirectory.createDefault(runs, "diff2d", "4711", NEW_YEAR).path());
        RunDirectory third = RunDirectory.createDefault(runs, "diff2d", "4711", NEW_YEAR);
        assertEquals(runs.resolve("diff2d-4711-3"), third.path());
        assertTrue(Files.isDirectory(third.logs()));
    }

    @Test
    void createDefaultOutsideSlurmIsNamedAfterTheTime() throws IOException {
        Path runs = dir.resolve("runs");
        assertEquals(runs.resolve("auc-20240102-030405"), RunDirectory.createDefault(runs, "auc", null, NEW_YEAR).path());
        assertEquals(runs.resolve("auc-20240102-030405-2"), RunDirectory.createDefault(runs, "auc", "", NEW_YEAR).path());
    }

    @Test
    void theTimeInTheNameHasEveryFieldAtItsFullWidth() {
        assertEquals("20240102-030405", RunDirectory.timestamp(LocalDateTime.of(2024, 1, 2, 3, 4, 5)));
        assertEquals("19991231-235959", RunDirectory.timestamp(LocalDateTime.of(1999, 12, 31, 23, 59, 59)));
        assertEquals("20261203-000000", RunDirectory.timestamp(LocalDateTime.of(2026, 12, 3, 0, 0, 0, 999_999_999)));
    }

    @Test
    void createDefaultKeepsAStrangeJobIdToOneDirectory() throws IOException {
        Path runs = dir.resolve("runs");
        assertEquals(runs.resolve("auc-.._x"), RunDirectory.createDefault(runs, "auc", "../x", NEW_YEAR).path());
    }

    @Test
    void concurrentRunsGetDistinctDirectories() throws Exception {
        Path runs = dir.resolve("runs");
        int runCount = 16;
        ExecutorService pool = Executors.newFixedThreadPool(runCount);
        try {
            List<Callable<Path>> starts = new ArrayList<>();
            for (int i = 0; i < runCount; i++) {
                starts.add(() -> RunDirectory.createDefault(runs, "diff2d", "99", NEW_YEAR).path());
            }
            Set<Path> created = new HashSet<>();
            for (Future<Path> start : pool.invokeAll(starts)) {
                created.add(start.get());
            }
            assertEquals(runCount, created.size());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void namesTheFilesEveryToolReads() {
        RunDirectory run = RunDirectory.existing(Path.of("runs/diff2d-1"));
        assertEquals(Path.of("runs/diff2d-1"), run.path());
        assertEquals(Path.of("runs/diff2d-1/summary.json"), run.summary());
        assertEquals(Path.of("runs/diff2d-1/final.npy"), run.finalField());
        assertEquals(Path.of("runs/diff2d-1/snapshot-00000.npy"), run.snapshotNpy(0));
        assertEquals(Path.of("runs/diff2d-1/snapshot-00012.png"), run.snapshotPng(12));
        assertEquals(Path.of("runs/diff2d-1/logs"), run.logs());
        assertThrows(IllegalArgumentException.class, () -> run.snapshotNpy(-1));
    }
}
