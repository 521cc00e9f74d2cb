package halo.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import halo.io.Checkpoint;

/** Reading what a run left in its run directory, as a later tool would. */
final class RunDirectoryFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunDirectoryFiles() {}

    static JsonNode summary(Path runDirectory) {
        try {
            return JSON.readTree(runDirectory.resolve("summary.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of logs/rank-N.json as a JSON object. */
    static List<JsonNode> jsonLog(Path runDirectory, int rank) {
        try {
            List<JsonNode> records = new ArrayList<>();
            for (String line : Files.readAllLines(runDirectory.resolve("logs/rank-" + rank + ".json"))) {
                records.add(JSON.readTree(line));
            }
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String textLog(Path runDirectory, int rank) {
        try {
            return Files.readString(runDirectory.resolve("logs/rank-" + rank + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The run's checkpoint.bin, opened and checked whole by one reader (magic, version, length,
     * CRC, finite values), as a run at one rank checks it.
     */
    static Checkpoint checkpoint(Path runDirectory) {
        try {
            Checkpoint checkpoint = Checkpoint.open(runDirectory.resolve("checkpoint.bin"));
            checkpoint.verify(List.of(checkpoint.checkRows(0, checkpoint.header().rows())));
            return checkpoint;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
