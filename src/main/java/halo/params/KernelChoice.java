package halo.params;

import java.util.Locale;

import halo.kernel.Kernels;

/**
 * The option {@code --kernels} of both programs: which form of the kernels a run uses, auto
 * (the faster one this JVM has), vector or scalar. The result is the same bits either way.
 */
public final class KernelChoice {

    static final String NAME = "kernels";

    private KernelChoice() {}

    /** The kernels of a run in this JVM. */
    public static Kernels from(ParameterSource source) {
        return from(source, Kernels.VECTOR_AVAILABLE);
    }

    /** @param vectorAvailable whether the JVM has the Vector API */
    static Kernels from(ParameterSource source, boolean vectorAvailable) {
        return switch (source.text(NAME).toLowerCase(Locale.ROOT)) {
            case "auto" -> vectorAvailable ? Kernels.VECTOR : Kernels.SCALAR;
            case "scalar" -> Kernels.SCALAR;
            case "vector" -> {
                if (!vectorAvailable) {
                    throw new ParameterException(source.describe(NAME) + ": this JVM has no Vector API"
                            + " (java --add-modules=jdk.incubator.vector, as mpjrun.sh starts it when the JDK"
                            + " has that module); accepted auto or scalar");
                }
                yield Kernels.VECTOR;
            }
            default -> throw source.rejected(NAME, "auto, vector or scalar");
        };
    }
}
