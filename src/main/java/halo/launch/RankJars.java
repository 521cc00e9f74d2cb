package halo.launch;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class files of MPJ's per-rank jars (mpi.jar, mpjdev.jar), read and inflated once for
 * all ranks of a run: each rank still defines its own classes from them, but the ranks after
 * the first skip the jar. For start-up speed only (figures in docs/performance.md).
 */
final class RankJars implements Closeable {
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
                URL url = RankClassLoaders.urls(List.of(path))[0];
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
