package halo.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a tree of plain values as a pretty-printed JSON file, whole or not at all.
 *
 * <p>The tree may hold {@link Map} (keys written with {@code String.valueOf}, in the map's
 * iteration order, so pass a {@link java.util.LinkedHashMap} for a stable layout), {@link java.util.List},
 * {@code double[]}, {@code long[]}, {@code int[]}, {@link Number}, {@link String},
 * {@link Boolean} and {@code null}. Doubles are written in the shortest form that reads back as
 * the same double. JSON has no NaN or Infinity, so those are refused rather than written in a
 * form other tools reject ({@link JsonValue}, strictly).
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
                JsonValue.write(json, tree, JsonValue.Strictness.STRICT);
                json.writeRaw('\n');
            }
        });
    }



}
