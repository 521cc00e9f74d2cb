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
    void spansComeOutInTheGivenOrderInMicrosecondsFromTheEarliestStart() throws IOException {
        List<TraceFile.Kind> kinds = List.of(new TraceFile.Kind("work", "compute", 1),
                new TraceFile.Kind("wait", "halo_exchange", 2), new TraceFile.Kind("in flight", "timeline", 2));
        TraceFile.Process rank = new TraceFile.Process(0, "rank 0 (node1)", List.of("rank", "compute", "communication"),
                new int[] {0, 2, 1}, new long[] {11_000, 11_000, 13_000}, new long[] {13_000, 15_500, 15_500_001},
                "trace buffer full: 4 later spans not recorded");
        Path file = directory.resolve("trace.json");
        TraceFile.Process other = new TraceFile.Process(1, "rank 1 (node2)", List.of("rank", "compute", "communication"),
                new int[] {0}, new long[] {12_000}, new long[] {12_500}, null);
        TraceFile.write(file, List.of(TraceFile.events(kinds, rank, 11_000), TraceFile.events(kinds, other, 11_000)),
                Map.of("app", "diff2d"));

        JsonNode trace = new ObjectMapper().readTree(file.toFile());
        List<String> spans = new ArrayList<>();
        for (JsonNode event : trace.get("traceEvents")) {
            if (event.get("ph").asText().equals("X") && event.get("pid").asInt() == 0) {
                spans.add(event.get("name").asText() + "@" + event.get("tid").asInt() + ":" + event.get("ts").asText()
                        + "+" + event.get("dur").asText());
            }
        }
        assertEquals(List.of("work@1:0.0+2.0", "in flight@2:0.0+4.5", "wait@2:2.0+15487.001"), spans);
        JsonNode first = trace.get("traceEvents").get(0);
        assertEquals("process_name", first.get("name").asText());
        assertEquals("rank 0 (node1)", first.get("args").get("name").asText());
        JsonNode note = trace.get("traceEvents").get(11);
        assertEquals("i", note.get("ph").asText());
        assertEquals(15489.001, note.get("ts").asDouble());
        JsonNode last = trace.get("traceEvents").get(trace.get("traceEvents").size() - 1);
        assertEquals("work@1:1.0+0.5", last.get("name").asText() + "@" + last.get("tid").asInt() + ":"
                + last.get("ts").asText() + "+" + last.get("dur").asText());
        assertEquals(1, last.get("pid").asInt());
        assertEquals("diff2d", trace.get("otherData").get("app").asText());
    }
}
