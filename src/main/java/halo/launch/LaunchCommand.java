package halo.launch;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A launcher's own arguments: {@code [-np N] [JVM options] [-cp CP] (-jar JAR | MAINCLASS) args…}.
 * JVM options (any other word starting with '-') only where the ranks get JVMs of their own.
 * Everything after the program goes to the program.
 */
final class LaunchCommand {
    int nprocs = 1;
    final List<String> jvmOptions = new ArrayList<>();
    final List<Path> classPath = new ArrayList<>();
    /** What a {@code -jar} JAR's manifest names in {@value SharedClasses#MANIFEST_ATTRIBUTE}. */
    List<String> sharedPackages = List.of();
    String mainClass;
    String[] args;

    private LaunchCommand() {
    }

    static LaunchCommand parse(String[] argv, boolean acceptJvmOptions) {
        String usage = "[-np N]" + (acceptJvmOptions ? " [JVM options]" : "")
                + " [-cp CLASSPATH] (-jar JAR | MAINCLASS) [args...]";
        LaunchCommand c = new LaunchCommand();
        Path jar = null;
        int i = 0;
        while (i < argv.length && c.mainClass == null && jar == null) {
            String a = argv[i];
            switch (a) {
                case "-np" -> c.nprocs = positive(value(argv, i++), a);
                case "-cp", "-classpath" -> c.classPath.addAll(classPath(value(argv, i++)));
                case "-jar" -> jar = Path.of(value(argv, i++)).toAbsolutePath();
                default -> {
                    if (a.startsWith("-") && acceptJvmOptions) {
                        c.jvmOptions.add(a);
                    } else if (a.startsWith("-")) {
                        throw new LaunchException("unknown option " + a + " (usage: " + usage + ")");
                    } else {
                        c.mainClass = a;
                    }
                }
            }
            i++;
        }
        if (jar != null) {
            c.classPath.add(0, jar);
            c.mainClass = mainClassOf(jar);
            c.sharedPackages = sharedPackagesOf(jar);
        } else if (c.mainClass == null) {
            throw new LaunchException("no program given (usage: " + usage + ")");
        } else if (c.classPath.isEmpty()) {
            c.classPath.add(Path.of("").toAbsolutePath()); // like java: "." by default
        }
        c.args = Arrays.copyOfRange(argv, i, argv.length);
        return c;
    }

    private static String value(String[] argv, int i) {
        if (i + 1 >= argv.length) {
            throw new LaunchException(argv[i] + " needs a value");
        }
        return argv[i + 1];
    }

    /** The value of a launcher option that counts something (ranks, seconds). */
    static int positive(String s, String option) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LaunchException(option + " wants a positive integer, got '" + s + "'");
    }

    /**
     * A class path string as the JVM reads it: entries separated by the path separator,
     * an empty entry meaning the current directory, {@code dir/*} meaning the jars in dir.
     * Like stock MPJ Express, which swaps {@code mpj.jar} for {@code mpi.jar}, an entry
     * named {@code mpj.jar} is dropped: every rank gets mpi.jar and mpjdev.jar anyway, and
     * the devices must come from the shared device loader.
     */
    static List<Path> classPath(String spec) {
        List<Path> entries = new ArrayList<>();
        for (String s : spec.split(File.pathSeparator, -1)) {
            Path p = Path.of(s.isEmpty() ? "." : s).toAbsolutePath().normalize();
            if (p.getFileName() != null && p.getFileName().toString().equals("*")) {
                Path dir = p.getParent();
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(f -> f.toString().endsWith(".jar") || f.toString().endsWith(".JAR"))
                            .sorted().forEach(entries::add);
                } catch (IOException e) {
                    throw new LaunchException("cannot list class path directory " + dir + ": " + e);
                }
            } else {
                entries.add(p);
            }
        }
        entries.removeIf(p -> p.getFileName() != null && p.getFileName().toString().equals("mpj.jar"));
        return entries;
    }

    /** The Main-Class of a jar's manifest. */
    static String mainClassOf(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new LaunchException("cannot find the jar file " + jar);
        }
        String main = manifestAttribute(jar, Attributes.Name.MAIN_CLASS.toString());
        if (main == null || main.isBlank()) {
            throw new LaunchException("no Main-Class in the manifest of " + jar);
        }
        return main.trim();
    }

    /** The class name prefixes the jar's manifest names in {@value SharedClasses#MANIFEST_ATTRIBUTE}, if any. */
    static List<String> sharedPackagesOf(Path jar) {
        String packages = manifestAttribute(jar, SharedClasses.MANIFEST_ATTRIBUTE);
        return packages == null || packages.isBlank() ? List.of() : List.of(packages.trim().split("\\s+"));
    }

    private static String manifestAttribute(Path jar, String name) {
        try (JarFile jf = new JarFile(jar.toFile())) {
            return jf.getManifest() == null ? null : jf.getManifest().getMainAttributes().getValue(name);
        } catch (IOException e) {
            throw new LaunchException("cannot read the jar file " + jar + ": " + e.getMessage());
        }
    }

    /** The program's {@code public static void main(String[])}, as {@code loader} sees it. */
    static Method mainMethod(ClassLoader loader, String mainClass, List<Path> appClassPath) {
        Class<?> c;
        try {
            c = Class.forName(mainClass, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new LaunchException("cannot load main class " + mainClass + " from " + appClassPath
                    + ": " + e);
        }
        try {
            Method m = c.getMethod("main", String[].class);
            if (!Modifier.isStatic(m.getModifiers()) || m.getReturnType() != void.class) {
                throw new NoSuchMethodException();
            }
            m.setAccessible(true); // like java and MulticoreStarter: the class may be non-public
            return m;
        } catch (NoSuchMethodException e) {
            throw new LaunchException("no public static void main(String[]) in " + mainClass);
        }
    }
}
