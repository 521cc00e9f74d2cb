package halo.kernel;

import java.util.Locale;

/**
 * The two forms of Halo's kernels ({@link Stencil}, {@link Integrand}): the same operations in
 * the same order, so the same bits. Which one a run uses is its option {@code --kernels}.
 */
public enum Kernels {

    /**
     * The JDK's Vector API: only in a JVM that has {@code jdk.incubator.vector}, an incubator
     * module of JDK 17 that the JVM resolves only when started with
     * {@code --add-modules=jdk.incubator.vector} (mpjrun.sh and the Slurm jobs add it when the
     * JDK has the module).
     */
    VECTOR,
    /** Plain loops, in every JVM; C2 does not vectorise them (see {@link Stencil}). */
    SCALAR;

    /** Whether this JVM has the Vector API, and so {@link #VECTOR}. */
    public static final boolean VECTOR_AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** "vector" or "scalar", as the option, the logs and summary.json spell it. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
