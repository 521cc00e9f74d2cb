package halo.io;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * A tree of values written through a Jackson generator: the one way Halo's JSON files
 * (summary.json, trace.json, logs/rank-N.json, the report's --json) write theirs. Maps (keys as
 * text, in the map's order), lists and {@code double[]}, {@code long[]}, {@code int[]} arrays,
 * numbers, strings, booleans and null. Doubles come out in whatever form the generator's
 * factory writes; a float in its own shortest form, not its double widening.
 */
public final class JsonValue {

    /** What becomes of a number JSON cannot hold (NaN, infinity) and of a value of no JSON type. */
    public enum Strictness {
        /** Refused, naming the value's key ({@code timing.phases[2]}): files whose every number is a result. */
        STRICT,
        /** A number that is not finite as null (not measured), any other value as its text: records and reports. */
        LENIENT
    }

    private JsonValue() {
    }

    /** @throws IllegalArgumentException ({@link Strictness#STRICT}) naming the key of a value JSON cannot hold */
    public static void write(JsonGenerator json, Object value, Strictness strictness) throws IOException {
        write(json, value, strictness, "");
    }

    private static void write(JsonGenerator json, Object value, Strictness strictness, String key) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String name = String.valueOf(entry.getKey());
                json.writeFieldName(name);
                write(json, entry.getValue(), strictness, key.isEmpty() ? name : key + "." + name);
            }
            json.writeEndObject();
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (int i = 0; i < list.size(); i++) {
                write(json, list.get(i), strictness, key + "[" + i + "]");
            }
            json.writeEndArray();
        } else if (value instanceof double[] doubles) {
            json.writeStartArray();
            for (int i = 0; i < doubles.length; i++) {
                writeDouble(json, doubles[i], strictness, key + "[" + i + "]");
            }
            json.writeEndArray();
        } else if (value instanceof long[] longs) {
            json.writeArray(longs, 0, longs.length);
        } else if (value instanceof int[] ints) {
            json.writeArray(ints, 0, ints.length);
        } else if (value instanceof Double number) {
            writeDouble(json, number, strictness, key);
        } else if (value instanceof Float number) {
            if (finite(number, strictness, key)) {
                json.writeNumber(number);
            } else {
                json.writeNull();
            }
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
        } else if (strictness == Strictness.LENIENT) {
            json.writeString(String.valueOf(value));
        } else {
            throw new IllegalArgumentException("JSON key '" + key + "': cannot write a "
                    + value.getClass().getName());
        }
    }

    private static void writeDouble(JsonGenerator json, double value, Strictness strictness, String key)
            throws IOException {
        if (finite(value, strictness, key)) {
            json.writeNumber(value);
        } else {
            json.writeNull();
        }
    }

    /** Whether {@code value} is finite; a strict writer refuses one that is not. */
    private static boolean finite(double value, Strictness strictness, String key) {
        if (Double.isFinite(value)) {
            return true;
        }
        if (strictness == Strictness.STRICT) {
            throw new IllegalArgumentException("JSON key '" + key + "' is " + value + ", which JSON cannot represent");
        }
        return false;
    }
}
