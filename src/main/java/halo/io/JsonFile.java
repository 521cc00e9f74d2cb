package halo.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a tree of plain values as a pretty-printed JSON file, whole or not at all.
 *
 * <p>The tree may hold {@link Map} (keys written with {@code String.valueOf}, in the map's
 * iteration order, so pass a {@link java.util.LinkedHashMap} for a stable layout), {@link List},
 * {@code double[]}, {@code long[]}, {@code int[]}, {@link Number}, {@link String},
 * {@link Boolean} and {@code null}. Doubles are written in the shortest form that reads back as
 * the same double. JSON has no NaN or Infinity, so those are refused rather than written in a
 * form other tools reject.
 */
public final class JsonFile {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER) // shortest round-trip form
            .build();

    private JsonFile() {
    }

    /**
     * @throws IllegalArgumentException if a value is NaN, infinite or of another type; the
     *     message names its key, e.g. {@code timing.phases[2]}
     */
    public static void write(Path file, Map<String, ?> tree) throws IOException {
        AtomicFile.write(file, out -> {
            try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
                json.useDefaultPrettyPrinter();
                writeValue(json, tree, "");
                json.writeRaw('\n');
            }
        });
    }

    private static void writeValue(JsonGenerator json, Object value, String key) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String name = String.valueOf(entry.getKey());
                json.writeFieldName(name);
                writeValue(json, entry.getValue(), key.isEmpty() ? name : key + "." + name);
            }
            json.writeEndObject();
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (int i = 0; i < list.size(); i++) {
                writeValue(json, list.get(i), key + "[" + i + "]");
            }
            json.writeEndArray();
        } else if (value instanceof double[] doubles) {
            json.writeStartArray();
            for (int i = 0; i < doubles.length; i++) {
                writeDouble(json, doubles[i], key + "[" + i + "]");
            }
            json.writeEndArray();
        } else if (value instanceof long[] longs) {
            json.writeArray(longs, 0, longs.length);
        } else if (value instanceof int[] ints) {
            json.writeArray(ints, 0, ints.length);
        } else if (value instanceof Double number) {
            writeDouble(json, number, key);
        } else if (value instanceof Float number) {
            checkFinite(number, key);
            json.writeNumber(number); // the float's own shortest form, not its double widening
        } else if (value instanceof BigDecimal decimal) {
            json.writeNumber(decimal);
        } else if (value instanceof BigInteger integer) {
            json.writeNumber(integer);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof String string) {
            json.writeString(string);
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else {
            throw new IllegalArgumentException("JSON key '" + key + "': cannot write a "
                    + value.getClass().getName());
        }
    }

    private static void writeDouble(JsonGenerator json, double value, String key) throws IOException {
        checkFinite(value, key);
        json.writeNumber(value);
    }

    private static void checkFinite(double value, String key) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON key '" + key + "' is " + value
                    + ", which JSON cannot represent");
        }
    }
}
