package halo.launch;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * The class loaders of one multicore run, made as MPJ Express 0.44's MulticoreStarter makes
 * them, plus the shared classes an application jar may ask for:
 *
 * <pre>
 *   platform class loader          (JDK only: nothing of the launcher or a test class path)
 *     └─ device loader             $MPJ_HOME/lib/ smpdev xdev mpjbuf mpiExp (+ log4j 1.2)
 *          └─ library loader       the application's shared classes ({@link SharedClasses}), if any
 *               ├─ rank 0 loader   application class path + mpi.jar + mpjdev.jar
 *               ├─ rank 1 loader   (idem: mpi.*, mpjdev.* and the application's
 *               └─ …                static state are per rank)
 * </pre>
 *
 * The device loader is shared: {@code xdev.smpdev.SMPDeviceImpl} keeps the state through
 * which the ranks find each other in statics. Log4j 1.2 must be visible to it
 * ({@code SMPDevice} holds a static log4j {@code Logger}, and {@code mpi.MPI.Init} uses
 * log4j too, through the rank loader's parent).
 *
 * <p>Under mpjrun.sh the JVM's own class loader plays the device and the library loader: its
 * class path is the launcher's jar, whose manifest names the device jars, and the
 * application's jar. Classes that the JVM's own loader loads come from the class data sharing
 * archive as they are; a loader made here must read each one from its jar first.
 */
final class RankClassLoaders implements AutoCloseable {
    private final List<URLClassLoader> sharedLoaders = new ArrayList<>();
    private final List<URLClassLoader> rankLoaders = new ArrayList<>();
    private final SharedClasses shared;
    private final URL[] rankPath;
    private final ClassLoader parent;
    private final RankJars rankJars;

    /** The device and library loaders (or the JVM's own), and the per-rank jars opened; no rank loader yet. */
    RankClassLoaders(MpjInstallation mpj, List<Path> appClassPath, SharedClasses shared) {
        this.shared = shared;
        List<Path> rankJarPaths = mpj.rankJars();
        List<Path> rankClassPath = new ArrayList<>(appClassPath);
        rankClassPath.addAll(rankJarPaths);
        rankPath = urls(rankClassPath);
        parent = sharedParent(mpj, appClassPath, shared);
        try {
            rankJars = new RankJars(rankJarPaths);
        } catch (LaunchException e) {
            close();
            throw e;
        }
    }

    /**
     * The ranks' common parent: the JVM's own class loader when its class path holds the
     * devices and the application that shares classes (as under mpjrun.sh, so that these
     * come from the class data sharing archive), else loaders made here.
     */
    private ClassLoader sharedParent(MpjInstallation mpj, List<Path> appClassPath, SharedClasses shared) {
        List<Path> devicePath = mpj.deviceJars();
        if (!shared.isEmpty()) {
            Set<Path> system = systemClassPathJars();
            if (system.containsAll(normalized(devicePath)) && system.containsAll(normalized(appClassPath))) {
                return ClassLoader.getSystemClassLoader();
            }
        }
        URLClassLoader device = new URLClassLoader("mpj-device", urls(devicePath), ClassLoader.getPlatformClassLoader());
        sharedLoaders.add(device);
        if (shared.isEmpty()) {
            return device;
        }
        LibraryLoader libraries = new LibraryLoader(urls(appClassPath), shared, device);
        sharedLoaders.add(libraries);
        return libraries;
    }

    /** A new rank's loader; the rank's class path is the application's, then MPJ's rank jars. */
    ClassLoader newRankLoader(int rank) {
        URLClassLoader loader = new RankLoader(rank, rankPath, shared, rankJars, parent);
        rankLoaders.add(loader);
        return loader;
    }

    /** The parent of every rank loader: where the device classes come from. */
    ClassLoader parent() {
        return parent;
    }

    @Override
    public void close() {
        for (URLClassLoader l : rankLoaders) {
            closeQuietly(l);
        }
        for (URLClassLoader l : sharedLoaders) {
            closeQuietly(l);
        }
        if (rankJars != null) {
            rankJars.close();
        }
    }

    /**
     * The jars the JVM's own class loader reads: those of {@code -cp} and those their
     * manifests' Class-Path names. Classes it loads come from the class data sharing archive
     * ready to use, where a loader of the launcher's must read each from its jar first.
     */
    static Set<Path> systemClassPathJars() {
        Set<Path> jars = new HashSet<>();
        try {
            Enumeration<URL> manifests = ClassLoader.getSystemClassLoader().getResources(JarFile.MANIFEST_NAME);
            while (manifests.hasMoreElements()) {
                String url = manifests.nextElement().toString();
                int end = url.indexOf("!/");
                if (url.startsWith("jar:file:") && end > 0) {
                    jars.add(Path.of(URI.create(url.substring("jar:".length(), end))).toAbsolutePath().normalize());
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // none known: the launcher's own loaders load everything
        }
        return jars;
    }

    private static List<Path> normalized(List<Path> paths) {
        return paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    static URL[] urls(List<Path> paths) {
        URL[] urls = new URL[paths.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = paths.get(i).toAbsolutePath().toUri().toURL();
            } catch (MalformedURLException e) {
                throw new LaunchException("bad class path entry " + paths.get(i));
            }
        }
        return urls;
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }
}
