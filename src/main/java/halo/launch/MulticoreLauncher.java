package halo.launch;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Runs an MPJ Express program on the multicore device: every rank a thread of this one JVM,
 * made exactly as MPJ Express 0.44's {@code runtime.starter.MulticoreStarter} makes them,
 * but with an exit status that tells the truth.
 *
 * <pre>
 *   platform class loader          (JDK only: nothing of the launcher or a test class path)
 *     └─ device loader             $MPJ_HOME/lib/ smpdev xdev mpjbuf mpiExp (+ log4j 1.2)
 *          └─ library loader       the application's shared packages, if it names any
 *               ├─ rank 0 loader   application class path + mpi.jar + mpjdev.jar
 *               ├─ rank 1 loader   (idem: mpi.*, mpjdev.* and the application's
 *               └─ …                static state are per rank)
 * </pre>
 *
 * An application jar may name, in its manifest attribute {@value #SHARED_PACKAGES}, prefixes
 * of the classes all ranks can share (no static state that must be per rank), and after a
 * {@code !} prefixes of classes within those that each rank must load for itself: those that
 * link to {@code mpi.*}, whose classes and statics are per rank. The library loader loads the
 * shared classes once for all ranks, instead of once per rank: less class loading, and the JIT
 * compiles the hot code once, with one profile, instead of once per rank on the same cores.
 * A rank loader then looks in its own class path first for every class but the shared ones.
 * Without the attribute the library loader loads nothing and the ranks are exactly
 * MulticoreStarter's.
 *
 * <p>Under mpjrun.sh the JVM's own class loader plays the device and the library loader: its
 * class path is this launcher's jar, whose manifest names the device jars, and the
 * application's jar. Classes that the JVM's own loader loads come from the class data sharing
 * archive as they are; a loader made here must read each one from its jar first, and at -np 2
 * Log4j's start took 0.1 s longer so.
 *
 * The device loader is shared: {@code xdev.smpdev.SMPDeviceImpl} keeps the state through
 * which the ranks find each other in statics. Log4j 1.2 must be visible to it
 * ({@code SMPDevice} holds a static log4j {@code Logger}, and {@code mpi.MPI.Init} uses
 * log4j too, through the rank loader's parent). Each rank runs in a thread named
 * {@code "<rank>"} inside the thread group {@code new xdev.smpdev.SMPDevProcess("MPI"+rank)}
 * (smpdev identifies the calling rank by its thread group), with the rank loader as context
 * class loader, and calls {@code main(new String[]{rank, nprocs, "smpdev", args…})}, which
 * is what {@code MPI.Init} expects.
 *
 * <p>Exit status of {@link #main}: 0 when every rank's {@code main} returned normally; 1 as
 * soon as one rank's {@code main} throws (after printing {@code rank R failed: …} and the
 * stack trace), without waiting for the other ranks, which may be blocked in a receive
 * forever; 2 for a bad command line or a program that cannot be launched; a rank calling
 * {@code System.exit(n)} ends the JVM with n. (Stock MPJ Express reports 0 in all cases.)
 *
 * <p>Usage, normally through {@code $MPJ_HOME/bin/mpjrun.sh}, which adds the JVM options and
 * the working directory ({@code -wdir}) and exports {@code MPJ_HOME}:
 * <pre>
 *   java -cp $MPJ_HOME/lib/halo-launcher.jar halo.launch.MulticoreLauncher \
 *        [-np N] [-cp CLASSPATH] (-jar JAR | MAINCLASS) [args…]
 * </pre>
 *
 * <p>This file uses the JDK only and reaches MPJ by reflection: setup.sh compiles it with the
 * other files of this package, JDK only too, into {@code $MPJ_HOME/lib/halo-launcher.jar}.
 */
public final class MulticoreLauncher {

    /** Device jars, shared by all ranks (what MulticoreStarter's JVM has on its class path). */
    private static final List<String> DEVICE_JARS =
            List.of("smpdev.jar", "xdev.jar", "mpjbuf.jar", "mpiExp.jar");
    /** MPJ jars loaded again for every rank. */
    private static final List<String> RANK_JARS = List.of("mpi.jar", "mpjdev.jar");

    /** How long {@link #run} waits for the other ranks once one has failed. */
    private static final long GRACE_MILLIS = 5_000;

    private static final String ERROR_PREFIX = "mpjrun.sh: ";

    /** Manifest attribute: package prefixes, separated by spaces, that the ranks share. */
    static final String SHARED_PACKAGES = "MPJ-Shared-Packages";

    private MulticoreLauncher() {
    }

    /** Something that stops a launch before any rank runs; its message is one line. */
    public static final class LaunchException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public LaunchException(String message) {
            super(message);
        }

        public LaunchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    // ------------------------------------------------------------------ command line

    public static void main(String[] argv) {
        ParentWatch.start(ERROR_PREFIX);
        int status;
        try {
            Command command = Command.parse(argv, false);
            Preflight.check(command.classPath, command.mainClass, command.nprocs, command.args);
            Ranks ranks = Ranks.start(mpjHome(), command.classPath, command.sharedPackages,
                    command.mainClass, command.nprocs, command.args);
            // A failure: report it and leave at once, the other ranks may never return.
            status = ranks.await(0) == null ? 0 : 1;
        } catch (LaunchException e) {
            System.err.println(ERROR_PREFIX + e.getMessage());
            status = 2;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** The MPJ Express installation that mpjrun.sh exported. */
    static Path mpjHome() {
        String home = System.getenv("MPJ_HOME");
        if (home == null || home.isEmpty()) {
            throw new LaunchException("MPJ_HOME is not set (run programs through "
                    + "$MPJ_HOME/bin/mpjrun.sh; set it up with src/main/scripts/setup.sh)");
        }
        return Path.of(home);
    }

    /**
     * A launcher's own arguments: {@code [-np N] [JVM options] [-cp CP] (-jar JAR | MAINCLASS) args…}.
     * JVM options (any other word starting with '-') only where the ranks get JVMs of their own.
     */
    static final class Command {
        int nprocs = 1;
        final List<String> jvmOptions = new ArrayList<>();
        final List<Path> classPath = new ArrayList<>();
        List<String> sharedPackages = List.of();
        String mainClass;
        String[] args;

        static Command parse(String[] argv, boolean acceptJvmOptions) {
            String usage = "[-np N]" + (acceptJvmOptions ? " [JVM options]" : "")
                    + " [-cp CLASSPATH] (-jar JAR | MAINCLASS) [args...]";
            Command c = new Command();
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
        for (String s : spec.split(java.io.File.pathSeparator, -1)) {
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
        try (JarFile jf = new JarFile(jar.toFile())) {
            String main = jf.getManifest() == null ? null
                    : jf.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            if (main == null || main.isBlank()) {
                throw new LaunchException("no Main-Class in the manifest of " + jar);
            }
            return main.trim();
        } catch (IOException e) {
            throw new LaunchException("cannot read the jar file " + jar + ": " + e.getMessage());
        }
    }

    /** The class name prefixes the jar's manifest names in {@value #SHARED_PACKAGES}, if any. */
    static List<String> sharedPackagesOf(Path jar) {
        try (JarFile jf = new JarFile(jar.toFile())) {
            String packages = jf.getManifest() == null ? null
                    : jf.getManifest().getMainAttributes().getValue(SHARED_PACKAGES);
            return packages == null || packages.isBlank() ? List.of() : List.of(packages.trim().split("\\s+"));
        } catch (IOException e) {
            throw new LaunchException("cannot read the jar file " + jar + ": " + e.getMessage());
        }
    }

    /** Which classes all ranks share: a jar's {@value #SHARED_PACKAGES}, parsed. */
    private record SharedClasses(List<String> prefixes, List<String> exceptions) {

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

        boolean isEmpty() {
            return prefixes.isEmpty();
        }

        /** Asked for every class a rank loads: loops, not streams (which the interpreter runs slowly). */
        boolean contains(String name) {
            return startsWithAny(name, prefixes) && !startsWithAny(name, exceptions);
        }
    }

    /**
     * A class loader that looks in its own class path first for the classes it {@link #owns}
     * and asks its parent first for all others. Asked first, a parent without the class would
     * throw a ClassNotFoundException with its stack trace, once per class (Log4j alone loads
     * some 1,100 as it starts).
     */
    private abstract static class OwnFirstLoader extends URLClassLoader {
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
            return startsWithAny(resource.toString(), ownPrefixes);
        }
    }

    /**
     * One rank's classes: its own copy of everything on its class path (the application's,
     * mpi.jar, mpjdev.jar) but the shared classes, which come from its parent like the JDK's
     * and the devices'. Its own copy even where the parent has the same class path, as the
     * JVM's own loader has under mpjrun.sh.
     */
    private static final class RankLoader extends OwnFirstLoader {
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

    /**
     * The class files of MPJ's per-rank jars (mpi.jar, mpjdev.jar), read and inflated once for
     * all ranks of a run: each rank still defines its own classes from them, but the ranks after
     * the first skip the jar (at -np 8, 144 classes a rank: 25 ms from the jar, 10 ms from here).
     */
    private static final class RankJars implements Closeable {
        /** One of the jars, opened for the run. */
        record Jar(JarFile file, CodeSource source, Manifest manifest) {
        }

        record ClassFile(byte[] bytes, Jar jar) {
        }

        private final Map<String, ClassFile> read = new ConcurrentHashMap<>();
        private final Map<String, Jar> jars = new HashMap<>(); // by URL, as findResource names them

        RankJars(List<Path> rankJars) {
            for (Path path : rankJars) {
                try {
                    URL url = urls(List.of(path))[0];
                    JarFile file = new JarFile(path.toFile());
                    Manifest manifest;
                    try {
                        manifest = file.getManifest();
                    } catch (IOException e) {
                        file.close();
                        throw e;
                    }
                    jars.put("jar:" + url + "!/", new Jar(file, new CodeSource(url, (CodeSigner[]) null), manifest));
                } catch (IOException e) {
                    close();
                    throw new LaunchException("cannot read " + path + ": " + e.getMessage());
                }
            }
        }

        /** The class file {@code name} if a rank has read it already, else null. */
        ClassFile read(String name) {
            return read.get(name);
        }

        /** The class file {@code name} at {@code url} if that is in a rank jar (read now), else null. */
        ClassFile read(String name, URL url) throws ClassNotFoundException {
            String location = url.toString();
            int separator = location.indexOf("!/");
            Jar jar = separator < 0 ? null : jars.get(location.substring(0, separator + 2));
            if (jar == null) {
                return null;
            }
            try (InputStream in = jar.file().getInputStream(jar.file().getEntry(location.substring(separator + 2)))) {
                ClassFile file = new ClassFile(in.readAllBytes(), jar);
                ClassFile earlier = read.putIfAbsent(name, file);
                return earlier != null ? earlier : file;
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        @Override
        public void close() {
            for (Jar jar : jars.values()) {
                try {
                    jar.file().close();
                } catch (IOException e) {
                    // nothing left to do with it
                }
            }
        }
    }

    /**
     * Loads the shared classes from the application class path, once for all ranks, where the
     * JVM's own class loader cannot (in-process runs, a class path of directories); any other
     * class it leaves to its parent or, failing that, to the rank loaders.
     */
    private static final class LibraryLoader extends OwnFirstLoader {
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

    // ------------------------------------------------------------------ in-process use

    /**
     * Runs {@code mainClass} on {@code nprocs} ranks in this JVM and returns the status
     * {@link #main} would exit with: 0 when every rank returned normally, 1 when one threw
     * (reported on stderr). Each call makes fresh class loaders, so runs are independent.
     *
     * <p>For tests. A JVM cannot stop a thread blocked in an MPJ receive: after a failure
     * this method gives the other ranks {@value #GRACE_MILLIS} ms to finish, then returns 1
     * and leaves any still-blocked rank threads (daemon threads) behind. Use it only with
     * programs that do not block when a rank fails, and never with one that calls
     * {@code System.exit}, which would end the calling JVM. MPJ's {@code MPI.Init} reads
     * {@code $MPJ_HOME/conf/mpjexpress.conf} from the environment variable MPJ_HOME, which
     * a running JVM cannot change: set it to {@code mpjHome} for quiet runs.
     *
     * @param mpjHome an MPJ Express installation (its lib/ holds the jars named above)
     * @param appClassPath the application's class path (directories, jars)
     * @param mainClass the class whose {@code main} every rank calls
     * @param nprocs number of ranks, at least 1
     * @param args the program's arguments (after the three MPJ puts first)
     * @throws LaunchException when the program cannot be launched at all
     */
    public static int run(Path mpjHome, List<Path> appClassPath, String mainClass, int nprocs,
            String... args) {
        return run(mpjHome, appClassPath, List.of(), mainClass, nprocs, args);
    }

    /**
     * {@link #run(Path, List, String, int, String...)} with the classes {@code sharedPackages}
     * names (class name prefixes, exceptions after a {@code !}) loaded once for all ranks, as a
     * jar's {@value #SHARED_PACKAGES} asks.
     */
    public static int run(Path mpjHome, List<Path> appClassPath, List<String> sharedPackages, String mainClass,
            int nprocs, String... args) {
        if (nprocs < 1) {
            throw new LaunchException("nprocs must be at least 1, got " + nprocs);
        }
        Ranks ranks = Ranks.start(mpjHome, appClassPath, sharedPackages, mainClass, nprocs, args.clone());
        if (ranks.await(GRACE_MILLIS) == null) {
            ranks.close();
            return 0;
        }
        return 1;
    }

    // ------------------------------------------------------------------ the ranks

    /** One rank's end: {@code error} null when its main returned normally. */
    private record Outcome(int rank, Throwable error) {
    }

    /** The ranks of one run, started. */
    private static final class Ranks {
        /** The loaders of the device and of the shared classes, where the launcher made them. */
        private final List<URLClassLoader> sharedLoaders;
        private final RankJars rankJars;
        private final List<URLClassLoader> rankLoaders;
        private final String mainClass;
        private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

        private Ranks(List<URLClassLoader> sharedLoaders, RankJars rankJars, List<URLClassLoader> rankLoaders,
                String mainClass) {
            this.sharedLoaders = sharedLoaders;
            this.rankJars = rankJars;
            this.rankLoaders = rankLoaders;
            this.mainClass = mainClass;
        }

        /**
         * The ranks' common parent: the JVM's own class loader when its class path holds the
         * devices and the application that shares classes (as under mpjrun.sh, so that these
         * come from the class data sharing archive), else loaders made here.
         */
        private static ClassLoader sharedParent(Path lib, List<Path> appClassPath, SharedClasses shared,
                List<URLClassLoader> made) {
            List<Path> devicePath = deviceJars(lib);
            if (!shared.isEmpty()) {
                Set<Path> system = systemClassPathJars();
                if (system.containsAll(normalized(devicePath)) && system.containsAll(normalized(appClassPath))) {
                    return ClassLoader.getSystemClassLoader();
                }
            }
            URLClassLoader device = new URLClassLoader("mpj-device", urls(devicePath), ClassLoader.getPlatformClassLoader());
            made.add(device);
            if (shared.isEmpty()) {
                return device;
            }
            LibraryLoader libraries = new LibraryLoader(urls(appClassPath), shared, device);
            made.add(libraries);
            return libraries;
        }

        static Ranks start(Path mpjHome, List<Path> appClassPath, List<String> sharedPackages,
                String mainClass, int nprocs, String[] userArgs) {
            Path lib = mpjHome.toAbsolutePath().resolve("lib");
            List<Path> rankJarPaths = new ArrayList<>();
            for (String jar : RANK_JARS) {
                rankJarPaths.add(required(lib, jar));
            }
            List<Path> rankPath = new ArrayList<>(appClassPath);
            rankPath.addAll(rankJarPaths);
            URL[] rankUrls = urls(rankPath);
            SharedClasses shared = SharedClasses.of(sharedPackages);
            List<URLClassLoader> sharedLoaders = new ArrayList<>();
            ClassLoader parent = sharedParent(lib, appClassPath, shared, sharedLoaders);
            RankJars rankJars = new RankJars(rankJarPaths);

            // Load and check every rank's main class before starting any rank, so that a
            // wrong name is one clear error rather than N failures. Not initialised yet:
            // static initialisers run in the rank's own thread, as the first thing of main.
            List<URLClassLoader> loaders = new ArrayList<>();
            Ranks ranks = new Ranks(sharedLoaders, rankJars, loaders, mainClass);
            List<Method> mains = new ArrayList<>();
            Class<?> processClass;
            try {
                for (int rank = 0; rank < nprocs; rank++) {
                    URLClassLoader loader = new RankLoader(rank, rankUrls, shared, rankJars, parent);
                    loaders.add(loader);
                    mains.add(mainMethod(loader, mainClass, appClassPath));
                }
                processClass = parent.loadClass("xdev.smpdev.SMPDevProcess");
            } catch (LaunchException e) {
                ranks.close();
                throw e;
            } catch (ClassNotFoundException e) {
                ranks.close();
                throw new LaunchException("no xdev.smpdev.SMPDevProcess in " + lib + "/smpdev.jar");
            }
            for (int rank = 0; rank < nprocs; rank++) {
                String[] argv = new String[userArgs.length + 3];
                argv[0] = Integer.toString(rank);
                argv[1] = Integer.toString(nprocs);
                argv[2] = "smpdev";
                System.arraycopy(userArgs, 0, argv, 3, userArgs.length);

                ThreadGroup group = newProcessGroup(processClass, "MPI" + rank);
                Method main = mains.get(rank);
                int r = rank;
                Thread t = new Thread(group, () -> ranks.runRank(r, main, argv), Integer.toString(rank));
                t.setContextClassLoader(loaders.get(rank));
                // Daemon: a rank left blocked after another failed must not keep the JVM up.
                t.setDaemon(true);
                t.start();
            }
            return ranks;
        }

        private void runRank(int rank, Method main, String[] argv) {
            Throwable error = null;
            try {
                main.invoke(null, (Object) argv);
            } catch (InvocationTargetException e) {
                error = e.getCause();
            } catch (Throwable e) { // initialiser errors, access problems
                error = e;
            }
            outcomes.add(new Outcome(rank, error));
        }

        /**
         * Waits until every rank has returned (then null) or one has failed: reports it on
         * stderr, then waits up to {@code graceMillis} for the others, reporting further
         * failures, and returns the first failure.
         */
        Outcome await(long graceMillis) {
            Outcome first = null;
            long deadline = 0;
            int ended = 0;
            try {
                while (ended < rankLoaders.size()) {
                    Outcome o;
                    if (first == null) {
                        o = outcomes.take();
                    } else {
                        o = outcomes.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        if (o == null) {
                            break;
                        }
                    }
                    ended++;
                    if (o.error() != null) {
                        reportFailure(o.rank(), o.error(), mainClass);
                        if (first == null) {
                            first = o;
                            if (graceMillis <= 0) {
                                break;
                            }
                            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return first != null ? first : new Outcome(-1, e);
            }
            return first;
        }

        void close() {
            for (URLClassLoader l : rankLoaders) {
                closeQuietly(l);
            }
            for (URLClassLoader l : sharedLoaders) {
                closeQuietly(l);
            }
            rankJars.close();
        }
    }

    private static List<Path> deviceJars(Path lib) {
        List<Path> jars = new ArrayList<>();
        for (String jar : DEVICE_JARS) {
            jars.add(required(lib, jar));
        }
        // The device jars' manifests name their log4j 1.2 (Debian: log4j-1.2.jar, upstream:
        // log4j-1.2.11.jar) in Class-Path, which URLClassLoader follows; add it explicitly
        // as well in case an installation's manifests do not.
        try (Stream<Path> files = Files.list(lib)) {
            files.filter(p -> p.getFileName().toString().matches("log4j-1\\.2[-.0-9]*\\.jar"))
                    .sorted().limit(1).forEach(jars::add);
        } catch (IOException e) {
            throw new LaunchException("cannot list " + lib + ": " + e.getMessage());
        }
        return jars;
    }

    private static Path required(Path lib, String jar) {
        Path p = lib.resolve(jar);
        if (!Files.isRegularFile(p)) {
            throw new LaunchException("no " + p + ": not an MPJ Express installation "
                    + "(run src/main/scripts/setup.sh)");
        }
        return p;
    }

    /** {@code rank R failed: <exception>} and its stack trace, cut below the program's main. */
    static void reportFailure(int rank, Throwable error, String mainClass) {
        StackTraceElement[] trace = error.getStackTrace();
        for (int i = trace.length - 1; i >= 0; i--) {
            if (trace[i].getClassName().equals(mainClass) && trace[i].getMethodName().equals("main")) {
                error.setStackTrace(Arrays.copyOf(trace, i + 1));
                break;
            }
        }
        synchronized (System.err) {
            System.err.print("rank " + rank + " failed: ");
            error.printStackTrace(System.err);
            System.err.flush();
        }
    }

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

    private static ThreadGroup newProcessGroup(Class<?> processClass, String name) {
        try {
            return (ThreadGroup) processClass.getConstructor(String.class).newInstance(name);
        } catch (ReflectiveOperationException e) {
            throw new LaunchException("cannot create " + processClass.getName() + ": " + e, e);
        }
    }

    private static boolean startsWithAny(String text, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (text.startsWith(prefix)) {
                return true;
            }
        }
        return false;
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
