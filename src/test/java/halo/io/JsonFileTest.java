package halo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileTest {

    @TempDir
    Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void writesNestedValuesPrettyPrinted() throws IOException {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("nx", 266);
        params.put("dt", 1.25e-5);
        params.put("conf", "conf/diff2d.properties");
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("app", "diff2d");
        tree.put("ok", true);
        tree.put("job", null);
        tree.put("params", params);
        tree.put("ranks", List.of(0, 1L, 2));
        tree.put("seconds", new double[] {0.5, 1.5});
        tree.put("steps", new long[] {10, 20});
        tree.put("rows", new int[] {3, 4});

        Path file = dir.resolve("summary.json");
        JsonFile.write(file, tree);

        String text = Files.readString(file);
        assertTrue(text.contains("\n  \"app\" : \"diff2d\""), text);
        assertTrue(text.endsWith("}\n"), text);
        JsonNode root = mapper.readTree(text);
        assertEquals(List.of("app", "ok", "job", "params", "ranks", "seconds", "steps", "rows"),
                toList(root.fieldNames()));
        assertTrue(root.get("ok").booleanValue());
        assertTrue(root.get("job").isNull());
        assertEquals(266, root.get("params").get("nx").intValue());
        assertEquals(1.25e-5, root.get("params").get("dt").doubleValue());
        assertEquals(2, root.get("ranks").get(2).intValue());
        assertEquals(1.5, root.get("seconds").get(1).doubleValue());
        assertEquals(20L, root.get("steps").get(1).longValue());
        assertEquals(4, root.get("rows").get(1).intValue());
    }

    @Test
    void doublesRoundTripBitExactly() throws IOException {
        Random random = new Random(7);
        double[] values = new double[2000];
        for (int i = 0; i < values.length; i++) {
            do {
                values[i] = Double.longBitsToDouble(random.nextLong());
            } while (!Double.isFinite(values[i]));
        }
        double[] special = {0.1, 1.0 / 3, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 2e23, 1e-300};
        System.arraycopy(special, 0, values, 0, special.length);
        List<Double> boxed = new ArrayList<>();
        for (double value : values) {
            boxed.add(value);
        }

        Path file = dir.resolve("doubles.json");
        JsonFile.write(file, Map.of("array", values, "list", boxed));

        JsonNode root = mapper.readTree(file.toFile());
        for (int i = 0; i < values.length; i++) {
            long expected = Double.doubleToRawLongBits(values[i]);
            assertEquals(expected, Double.doubleToRawLongBits(root.get("array").get(i).doubleValue()), "array " + i);
            assertEquals(expected, Double.doubleToRawLongBits(root.get("list").get(i).doubleValue()), "list " + i);
        }
        assertTrue(Files.readString(file).contains(" 0.1,"), "shortest form expected");
    }

    @Test
    void refusesNaNAndNamesTheKey() {
        Path file = dir.resolve("bad.json");
        Map<String, Object> tree = Map.of("timing", Map.of("phases", new double[] {1.0, 2.0, Double.NaN}));
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> JsonFile.write(file, tree));
        assertTrue(failure.getMessage().contains("timing.phases[2]"), failure.getMessage());
        assertTrue(Files.notExists(file), "nothing half-written");

        IllegalArgumentException infinite = assertThrows(IllegalArgumentException.class,
                () -> JsonFile.write(file, Map.of("l2norm", Double.POSITIVE_INFINITY)));
        assertTrue(infinite.getMessage().contains("l2norm"), infinite.getMessage());
    }

    @Test
    void refusesUnknownTypes() throws IOException {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> JsonFile.write(dir.resolve("x.json"), Map.of("when", new Object())));
        assertTrue(failure.getMessage().contains("when"), failure.getMessage());
        try (var listing = Files.list(dir)) {
            assertEquals(0, listing.count(), "no temporary file left");
        }
    }

    private static List<String> toList(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
