package halo.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonRecordFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void eachRecordIsOneWholeLineOnDiskAsSoonAsItIsWritten() throws IOException {
        Path file = dir.resolve("rank-1.json");
        JsonRecordFile records = JsonRecordFile.open(file, "diff2d", 1, 3);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("step", 353L);
        values.put("simtime", 0.49889761998981985);
        values.put("overlap", true);
        values.put("kernels", "vector");
        values.put("centre", new int[] {133, 133});
        records.write("INFO", "output", values, null);
        // not closed: a rank that fails keeps every record before its failure
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size());
        JsonNode line = JSON.readTree(lines.get(0));
        assertEquals(JsonRecordFile.SCHEMA, line.get("schema").asInt());
        assertTrue(line.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), lines.get(0));
        assertEquals("INFO", line.get("level").asText());
        assertEquals("diff2d", line.get("app").asText());
        assertEquals(1, line.get("rank").asInt());
        assertEquals(3, line.get("ranks").asInt());
        JsonNode record = line.get("record");
        assertEquals("output", record.get("event").asText());
        assertEquals(353, record.get("step").asLong());
        assertEquals(0.49889761998981985, record.get("simtime").asDouble()); // exact, unlike the text log
        assertTrue(record.get("overlap").asBoolean());
        assertEquals("vector", record.get("kernels").asText());
        assertEquals(133, record.get("centre").get(1).asInt());
        records.close();
    }

    @Test
    void anErrorRecordCarriesTheStackTraceAndNumbersJsonCannotHoldAreNull() throws IOException {
        Path file = dir.resolve("rank-0.json");
        try (JsonRecordFile records = JsonRecordFile.open(file, "auc", 0, 1)) {
            records.write("INFO", "totals", Map.of("rate", Double.NaN), null);
            records.write("ERROR", "error", Map.of("message", "rank 0 failed"),
                    new IllegalStateException("cannot write x: no space left on device"));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), "the stack trace's line breaks are escaped: one line a record");
        assertTrue(JSON.readTree(lines.get(0)).get("record").get("rate").isNull());
        JsonNode error = JSON.readTree(lines.get(1));
        assertEquals("ERROR", error.get("level").asText());
        assertTrue(error.get("error").asText().startsWith(
                "java.lang.IllegalStateException: cannot write x: no space left on device\n\tat "), error.toString());
    }

    @Test
    void anExistingFileIsAppendedTo() throws IOException {
        Path file = dir.resolve("rank-0.json");
        for (int i = 0; i < 2; i++) {
            try (JsonRecordFile records = JsonRecordFile.open(file, "diff2d", 0, 1)) {
                records.write("INFO", "output", Map.of("step", i), null);
            }
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertEquals(1, JSON.readTree(lines.get(1)).get("record").get("step").asInt());
    }
}
