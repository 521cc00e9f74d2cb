package halo.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * JSON text as plain values (Map in key order, List, Long, Double, String, Boolean, null),
 * read with Jackson's streaming parser, the one Halo writes with; and typed look-ups that
 * tolerate a missing key.
 */
final class JsonTree {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {}

    /** @throws IOException if {@code text} is not one whole JSON value */
    static Object parse(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new IOException("empty");
            }
            Object value = read(parser);
            if (parser.nextToken() != null) {
                throw new IOException("text after the JSON value");
            }
            return value;
        }
    }

    private static Object read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, read(parser));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(parser));
                }
                return list;
            }
            case VALUE_NUMBER_INT -> {
                return parser.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return parser.getDoubleValue();
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return parser.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected " + token);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object map, String key) {
        Object value = map instanceof Map<?, ?> m ? m.get(key) : null;
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object map, String key) {
        Object value = map instanceof Map<?, ?> m ? m.get(key) : null;
        return value instanceof List<?> ? (List<Object>) value : List.of();
    }

    /** The number at {@code key} (also a number written as a string, as older logs did), else NaN. */
    static double number(Object map, String key) {
        Object value = map instanceof Map<?, ?> m ? m.get(key) : null;
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    static String text(Object map, String key) {
        Object value = map instanceof Map<?, ?> m ? m.get(key) : null;
        return value == null ? null : String.valueOf(value);
    }
}
