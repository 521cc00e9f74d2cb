package halo.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where the jars of an MPJ Express installation are, and which of them the ranks share. */
final class MpjInstallation {

    /** Device jars, shared by all ranks (what MulticoreStarter's JVM has on its class path). */
    private static final List<String> DEVICE_JARS = List.of("smpdev.jar", "xdev.jar", "mpjbuf.jar", "mpiExp.jar");
    /** MPJ jars loaded again for every rank. */
    private static final List<String> RANK_JARS = List.of("mpi.jar", "mpjdev.jar");

    private final Path lib;

    MpjInstallation(Path mpjHome) {
        this.lib = mpjHome.toAbsolutePath().resolve("lib");
    }

    /** The MPJ Express installation that mpjrun.sh exported. */
    static MpjInstallation fromEnvironment() {
        String home = System.getenv("MPJ_HOME");
        if (home == null || home.isEmpty()) {
            throw new LaunchException("MPJ_HOME is not set (run programs through "
                    + "$MPJ_HOME/bin/mpjrun.sh; set it up with src/main/scripts/setup.sh)");
        }
        return new MpjInstallation(Path.of(home));
    }

    Path lib() {
        return lib;
    }

    List<Path> rankJars() {
        List<Path> jars = new ArrayList<>();
        for (String jar : RANK_JARS) {
            jars.add(required(jar));
        }
        return jars;
    }

    List<Path> deviceJars() {
        List<Path> jars = new ArrayList<>();
        for (String jar : DEVICE_JARS) {
            jars.add(required(jar));
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

    private Path required(String jar) {
        Path p = lib.resolve(jar);
        if (!Files.isRegularFile(p)) {
            throw new LaunchException("no " + p + ": not an MPJ Express installation "
                    + "(run src/main/scripts/setup.sh)");
        }
        return p;
    }
}
