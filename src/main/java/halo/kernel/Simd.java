package halo.kernel;

/**
 * Whether this JVM has the JDK's Vector API ({@code jdk.incubator.vector}, an incubator module
 * of JDK 17 that the JVM resolves only when started with
 * {@code --add-modules jdk.incubator.vector}). Kernels with a vector form use it when it is
 * there and their scalar loop otherwise; both give the same bits.
 */
public final class Simd {

    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Simd() {}

    /** "vector" or "scalar": what the kernels of this JVM run, for logs and summaries. */
    public static String kernels() {
        return AVAILABLE ? "vector" : "scalar";
    }
}
