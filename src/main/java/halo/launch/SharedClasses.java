package halo.launch;

import java.util.ArrayList;
import java.util.List;

/**
 * Which classes all ranks of one JVM share: an application jar's {@value #MANIFEST_ATTRIBUTE},
 * parsed. For start-up speed only: shared classes are loaded once, and the JIT compiles their
 * hot code once, with one profile, instead of once per rank on the same cores.
 *
 * @param prefixes   class name prefixes of the shared classes
 * @param exceptions class name prefixes, within those, that each rank must load for itself
 *                   (those that link to {@code mpi.*}, whose classes and statics are per rank)
 */
record SharedClasses(List<String> prefixes, List<String> exceptions) {

    /**
     * Manifest attribute: prefixes separated by spaces, the exceptions after a {@code !}
     * ({@code org.example. !org.example.Mpi}).
     */
    static final String MANIFEST_ATTRIBUTE = "MPJ-Shared-Packages";

    static SharedClasses of(List<String> sharedPackages) {
        List<String> prefixes = new ArrayList<>();
        List<String> exceptions = new ArrayList<>();
        for (String prefix : sharedPackages) {
            if (prefix.startsWith("!")) {
                exceptions.add(prefix.substring(1));
            } else {
                prefixes.add(prefix);
            }
        }
        return new SharedClasses(prefixes, exceptions);
    }

    /** Nothing shared: the ranks load every class as MulticoreStarter's do. */
    boolean isEmpty() {
        return prefixes.isEmpty();
    }

    /** Asked for every class a rank loads: loops, not streams (which the interpreter runs slowly). */
    boolean contains(String name) {
        return startsWithAny(name, prefixes) && !startsWithAny(name, exceptions);
    }

    static boolean startsWithAny(String text, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (text.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
