package halo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceFileTest {

    @TempDir
    Path directory;

    @Test
    void spansComeOutThreadByThreadInTimeOrderEnclosingFirstOnTheEarliestStart() throws IOException {
        List<TraceFile.Kind> kinds = List.of(new TraceFile.Kind("work", "compute", 1),
                new TraceFile.Kind("wait", "halo_exchange", 2), new TraceFile.Kind("in flight", "timeline", 2));
        // recorded as they ended: the wait before the span in flight that holds it
        TraceFile.Process rank = new TraceFile.Process(0, "rank 0 (node1)", List.of("rank", "compute", "communication"),
                new int[] {0, 1, 2}, new long[] {11_000, 13_000, 11_000}, new long[] {13_000, 15_500, 15_500},
                "trace buffer full: 4 later spans not recorded");
        Path file = directory.resolve("trace.json");
        TraceFile.write(file, kinds, List.of(rank), Map.of("app", "diff2d"));

        JsonNode trace = new ObjectMapper().readTree(file.toFile());
        List<String> spans = new ArrayList<>();
        for (JsonNode event : trace.get("traceEvents")) {
            if (event.get("ph").asText().equals("X")) {
                spans.add(event.get("name").asText() + "@" + event.get("tid").asInt() + ":" + event.get("ts").asText()
                        + "+" + event.get("dur").asText());
            }
        }
        assertEquals(List.of("work@1:0.0+2.0", "in flight@2:0.0+4.5", "wait@2:2.0+2.5"), spans);
        JsonNode first = trace.get("traceEvents").get(0);
        assertEquals("process_name", first.get("name").asText());
        assertEquals("rank 0 (node1)", first.get("args").get("name").asText());
        JsonNode last = trace.get("traceEvents").get(trace.get("traceEvents").size() - 1);
        assertEquals("i", last.get("ph").asText());
        assertEquals(4.5, last.get("ts").asDouble());
        assertEquals("diff2d", trace.get("otherData").get("app").asText());
    }
}
