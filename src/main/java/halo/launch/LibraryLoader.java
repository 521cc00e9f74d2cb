package halo.launch;

import java.net.URL;

/**
 * Loads the shared classes from the application class path, once for all ranks, where the
 * JVM's own class loader cannot (in-process runs, a class path of directories); any other
 * class it leaves to its parent or, failing that, to the rank loaders.
 */
final class LibraryLoader extends OwnFirstLoader {
    private final SharedClasses shared;

    LibraryLoader(URL[] applicationPath, SharedClasses shared, ClassLoader parent) {
        super("mpj-libraries", applicationPath, parent);
        this.shared = shared;
    }

    @Override
    boolean owns(String className) {
        return shared.contains(className);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (owns(name)) {
            return super.findClass(name);
        }
        throw new ClassNotFoundException(name);
    }
}
