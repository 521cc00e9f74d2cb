package halo.launch;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The program's own check of a run, made once before a launcher starts any rank, so that a run
 * that cannot go (more ranks than the problem can use, a bad option) is refused within a second
 * in the program's words, instead of after the launcher made every rank: a class loader and
 * MPI.Init each in multicore mode, a JVM each on niodev, minutes for thousands of ranks.
 *
 * <p>A jar names its check in the manifest attribute {@value #ATTRIBUTE}: a class with
 * <pre>
 *   public static String preflight(int ranks, String[] args)
 * </pre>
 * which returns null to go on, or the one line to print, after which the launcher exits with
 * status {@value #REFUSED} without starting a rank. Only the jar whose Main-Class is the class
 * being run is asked, so that another program on the same class path is never checked by
 * rules not its own. A check that cannot be loaded or that fails is skipped: the ranks then
 * meet the problem and report it as they would have.
 *
 * <p>The check is loaded by the JVM's own class loader when that has the jar on its class path
 * (mpjrun.sh's multicore JVM, where the ranks then find the classes already loaded), else by a
 * loader of its own over the application's class path. JDK only, like the rest of this package.
 */
final class Preflight {

    /** Manifest attribute: the class whose {@code preflight(int, String[])} checks a run. */
    static final String ATTRIBUTE = "MPJ-Preflight";
    /** Exit status of a refused run: that of bad input. */
    static final int REFUSED = 2;

    private Preflight() {
    }

    /**
     * Runs the check of the jar that holds {@code mainClass}, if it names one; when it refuses,
     * prints its line and ends the JVM with status {@value #REFUSED}.
     */
    static void check(List<Path> classPath, String mainClass, int ranks, String[] args) {
        String refusal = refusal(classPath, mainClass, ranks, args);
        if (refusal != null) {
            System.err.println(refusal);
            System.err.flush();
            System.exit(REFUSED);
        }
    }

    /** The check's line when it refuses, else null. */
    static String refusal(List<Path> classPath, String mainClass, int ranks, String[] args) {
        String checkClass = checkClassOf(classPath, mainClass);
        if (checkClass == null) {
            return null;
        }
        Path jar = classPath.get(0).toAbsolutePath().normalize();
        try {
            if (onSystemClassPath(jar)) {
                return call(ClassLoader.getSystemClassLoader(), checkClass, ranks, args);
            }
            try (URLClassLoader loader = new URLClassLoader("preflight", urls(classPath),
                    ClassLoader.getPlatformClassLoader())) {
                return call(loader, checkClass, ranks, args);
            }
        } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The attribute of the class path's first entry, when that is a jar whose Main-Class is {@code mainClass}. */
    private static String checkClassOf(List<Path> classPath, String mainClass) {
        if (classPath.isEmpty() || !Files.isRegularFile(classPath.get(0))) {
            return null;
        }
        try (JarFile jar = new JarFile(classPath.get(0).toFile())) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return null;
            }
            Attributes attributes = manifest.getMainAttributes();
            String check = attributes.getValue(ATTRIBUTE);
            String main = attributes.getValue(Attributes.Name.MAIN_CLASS);
            return check != null && !check.isBlank() && main != null && main.trim().equals(mainClass)
                    ? check.trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String call(ClassLoader loader, String checkClass, int ranks, String[] args)
            throws ReflectiveOperationException {
        Method check = Class.forName(checkClass, true, loader).getMethod("preflight", int.class, String[].class);
        Object line = check.invoke(null, ranks, args.clone());
        return line instanceof String text && !text.isBlank() ? text : null;
    }

    private static boolean onSystemClassPath(Path jar) {
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty() && Path.of(entry).toAbsolutePath().normalize().equals(jar)) {
                return true;
            }
        }
        return false;
    }

    private static URL[] urls(List<Path> paths) throws MalformedURLException {
        URL[] urls = new URL[paths.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = paths.get(i).toAbsolutePath().toUri().toURL();
        }
        return urls;
    }
}
