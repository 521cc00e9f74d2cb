package halo.launch;

import java.net.URL;

/**
 * One rank's classes: its own copy of everything on its class path (the application's,
 * mpi.jar, mpjdev.jar) but the shared classes, which come from its parent like the JDK's
 * and the devices'. Its own copy even where the parent has the same class path, as the
 * JVM's own loader has under mpjrun.sh. This is what makes the ranks of one JVM separate
 * programs: MPJ's {@code mpi.*} classes and the application's keep their statics per rank.
 */
final class RankLoader extends OwnFirstLoader {
    private final SharedClasses shared;
    private final RankJars rankJars;

    RankLoader(int rank, URL[] path, SharedClasses shared, RankJars rankJars, ClassLoader parent) {
        super("mpj-rank-" + rank, path, parent);
        this.shared = shared;
        this.rankJars = rankJars;
    }

    /** Without shared classes: nothing, and the rank loads as MulticoreStarter's would. */
    @Override
    boolean owns(String className) {
        return !shared.isEmpty() && !shared.contains(className);
    }

    /**
     * A class of MPJ's rank jars from the bytes the first rank read (every rank loader has
     * the same class path, so a class another rank read is one this loader would find
     * there), with one look-up of its class file otherwise; any other class as usual.
     */
    @Override
    Class<?> findOwnClass(String name) throws ClassNotFoundException {
        RankJars.ClassFile file = rankJars.read(name);
        if (file == null) {
            URL url = findResource(classFile(name));
            if (!onOwnPath(url)) {
                return null;
            }
            file = rankJars.read(name, url);
            if (file == null) {
                return super.findClass(name);
            }
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && getDefinedPackage(name.substring(0, dot)) == null) {
            try {
                definePackage(name.substring(0, dot), file.jar().manifest(), file.jar().source().getLocation());
            } catch (IllegalArgumentException e) {
                // another thread of this rank defined it meanwhile
            }
        }
        return defineClass(name, file.bytes(), 0, file.bytes().length, file.jar().source());
    }

    /**
     * Asked after the parent (a run without shared classes, or a class the parent lacks):
     * the same, then the jars that manifests' Class-Path name, as URLClassLoader does.
     */
    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> c = findOwnClass(name);
        return c != null ? c : super.findClass(name);
    }
}
