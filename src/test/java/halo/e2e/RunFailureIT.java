package halo.e2e;

import static halo.e2e.BadInputIT.FAILED;
import static halo.e2e.BadInputIT.assertOneErrorLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import halo.io.Npy;

/**
 * End to end: a rank that fails in the middle of a run, for a real reason, with no test hook.
 * The whole run must end at once with status 1 and one line, and everything written before
 * the failure must stay whole and readable.
 */
class RunFailureIT {

    private static final double LIMIT_SECONDS = 30;
    private static final Pattern FAILED_SNAPSHOT =
            Pattern.compile("cannot write disk/run/snapshot-(\\d{5})\\.(npy|png): no space left on device");

    @TempDir
    Path dir;

    /**
     * 3 ranks on a 200x200 grid write a snapshot (320 kB .npy + ~50 kB .png) every 40 steps
     * onto a 1 MB disk: rank 0 runs out of space writing the third while ranks 1 and 2 go on
     * computing until they wait for its ghost rows.
     */
    @Test
    void aDiskFillingUpDuringASnapshotEndsTheRunAndKeepsWhatWasWritten() throws IOException {
        Path disk = dir.resolve("disk");
        try (Mounts.Mount mount = Mounts.smallDisk(disk, "1m")) {
            Halo.Result r = Halo.mpjrun(dir, 3, "diff2d", "--dx", "0.1", "--runtime", "1", "--outtime", "0.1",
                    "--graphics", "--out", "disk/run");

            String seen = "\nstatus " + r.exitStatus() + "\nstderr:\n" + r.stderr() + "\nstdout:\n" + r.stdout();
            assertEquals(FAILED, r.exitStatus(), "exit status" + seen);
            assertTrue(r.seconds() < LIMIT_SECONDS, "took " + r.seconds() + " s" + seen);
            assertOneErrorLine(r, seen);
            Matcher failed = FAILED_SNAPSHOT.matcher(r.stderrLines().get(0));
            assertTrue(failed.find(), seen);
            int failedSnapshot = Integer.parseInt(failed.group(1));
            assertTrue(failedSnapshot >= 1, "the disk should take at least the initial snapshot" + seen);

            Path run = disk.resolve("run");
            for (int i = 0; i < failedSnapshot; i++) {
                Npy.Array field = Npy.read(run.resolve(String.format("snapshot-%05d.npy", i)));
                assertEquals(200, field.rows());
                BufferedImage picture = ImageIO.read(run.resolve(String.format("snapshot-%05d.png", i)).toFile());
                assertTrue(picture.getWidth() > 500, "snapshot " + i + " is a whole picture");
            }
            try (Stream<Path> files = Files.list(run)) {
                List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
                assertFalse(names.contains("summary.json"), "a failed run has no summary.json: " + names);
                assertFalse(names.contains("final.npy"), names.toString());
                assertTrue(names.stream().noneMatch(name -> name.endsWith(".tmp")), "no temporary file: " + names);
            }
            for (int rank = 0; rank < 3; rank++) {
                List<String> outputs = RunDirectoryFiles.jsonLog(run, rank).stream() // every line parses
                        .map(line -> line.path("record").path("event").asText())
                        .filter(event -> event.equals("output")).toList();
                assertTrue(outputs.size() >= failedSnapshot, "rank " + rank + " logged its outputs: " + outputs);
            }
            assertTrue(RunDirectoryFiles.textLog(run, 0).contains("rank 0 failed"), "the failure is in rank 0's log");
        }
    }
}
