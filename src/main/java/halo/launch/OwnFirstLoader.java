package halo.launch;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * A class loader that looks in its own class path first for the classes it {@link #owns}
 * and asks its parent first for all others. Asked first, a parent without the class would
 * throw a ClassNotFoundException with its stack trace, once per class (Log4j alone loads
 * some 1,100 as it starts): a start-up cost, not a matter of correctness.
 */
abstract class OwnFirstLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    /** Where a resource URL of its own class path starts (jar or directory). */
    private final List<String> ownPrefixes = new ArrayList<>();

    OwnFirstLoader(String name, URL[] path, ClassLoader parent) {
        super(name, path, parent);
        for (URL u : path) {
            String s = u.toString();
            ownPrefixes.add(s.endsWith("/") ? s : "jar:" + s + "!/");
        }
    }

    abstract boolean owns(String className);

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (owns(name)) {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findOwnClass(name);
                }
                if (c != null) {
                    if (resolve) {
                        resolveClass(c);
                    }
                    return c;
                }
            }
        }
        return super.loadClass(name, resolve);
    }

    /** {@code name} from this loader's own class path, or null when it is not there. */
    Class<?> findOwnClass(String name) throws ClassNotFoundException {
        return onOwnPath(findResource(classFile(name))) ? findClass(name) : null;
    }

    static String classFile(String name) {
        return name.replace('.', '/') + ".class";
    }

    /**
     * Whether a resource comes from the class path this loader was given, not from a jar
     * that a manifest's Class-Path names (MPJ's jars name their log4j 1.2, whose one copy
     * is the devices').
     */
    boolean onOwnPath(URL resource) {
        if (resource == null) {
            return false;
        }
        return SharedClasses.startsWithAny(resource.toString(), ownPrefixes);
    }
}
