package halo.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a field file says besides its values: the quantity's name, where its points are, the
 * simulated time and step it shows, and the run's parameters (numbers, strings or booleans),
 * kept by the formats that have a place for them (HDF5 attributes).
 */
public record FieldMeta(String name, FieldGrid grid, double time, long step, Map<String, Object> parameters) {

    public FieldMeta {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters)); // in the order given
    }

    /** The same field at another time. */
    public FieldMeta at(double time, long step) {
        return new FieldMeta(name, grid, time, step, parameters);
    }
}
