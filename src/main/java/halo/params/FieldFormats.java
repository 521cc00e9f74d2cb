package halo.params;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The option {@code --format} of diff2d: the file formats of the final field and of every
 * snapshot, a comma-separated list of npy, vtk and hdf5 (default npy).
 */
public final class FieldFormats {

    /** One format, by the name the option takes. */
    public enum Format {
        /** NumPy {@code .npy}. */
        NPY,
        /** VTK XML ImageData {@code .vti}, and a {@code .pvd} collection of them. */
        VTK,
        /** HDF5 {@code .h5}. */
        HDF5;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String NAME = "format";
    private static final String ACCEPTED = "a comma-separated list of npy, vtk, hdf5";

    private final Set<Format> formats;

    private FieldFormats(Set<Format> formats) {
        this.formats = formats;
    }

    /** The formats of {@code --format}; a repeated one counts once. */
    public static FieldFormats from(ParameterSource source) {
        Set<Format> formats = EnumSet.noneOf(Format.class);
        for (String item : source.text(NAME).split(",", -1)) {
            Format format = switch (item.strip().toLowerCase(Locale.ROOT)) {
                case "npy" -> Format.NPY;
                case "vtk" -> Format.VTK;
                case "hdf5" -> Format.HDF5;
                default -> throw source.rejected(NAME, ACCEPTED);
            };
            formats.add(format);
        }
        return new FieldFormats(formats);
    }

    /** The given formats: for tests and callers that know what they want. */
    public static FieldFormats of(Format first, Format... rest) {
        return new FieldFormats(EnumSet.of(first, rest));
    }

    /** Whether these are the default, {@code npy} alone. */
    public boolean isDefault() {
        return formats.equals(EnumSet.of(Format.NPY));
    }

    public boolean has(Format format) {
        return formats.contains(format);
    }

    /** In the order npy, vtk, hdf5, whatever the order given. */
    public List<Format> list() {
        return List.copyOf(formats);
    }

    /** As the option takes it: {@code npy,vtk}. */
    @Override
    public String toString() {
        return formats.stream().map(Format::key).collect(Collectors.joining(","));
    }
}
