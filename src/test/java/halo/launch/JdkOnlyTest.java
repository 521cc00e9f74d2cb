package halo.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The launchers use the JDK only: Maven packages the classes of halo.launch alone into
 * halo-launcher.jar, where nothing else of Halo, MPJ or a library is on the class path.
 */
class JdkOnlyTest {

    @Test
    void launcherClassesDependOnTheJdkAndEachOtherOnly() throws Exception {
        Path classes = Path.of(MulticoreLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("halo/launch");
        List<String> arguments = new ArrayList<>(List.of("-verbose:package"));
        try (Stream<Path> files = Files.list(classes)) {
            files.filter(f -> f.toString().endsWith(".class")).forEach(f -> arguments.add(f.toString()));
        }
        StringWriter out = new StringWriter();
        int status = ToolProvider.findFirst("jdeps").orElseThrow()
                .run(new PrintWriter(out), new PrintWriter(out), arguments.toArray(String[]::new));
        assertEquals(0, status, out.toString());
        TreeSet<String> outside = new TreeSet<>();
        for (String line : out.toString().split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 3 && words[1].equals("->")) {
                String target = words[2];
                String module = words.length > 3 ? words[3] : "";
                boolean jdk = target.startsWith("java.") || target.startsWith("jdk.")
                        || module.startsWith("java.") || module.startsWith("jdk."); // javax.crypto is java.base's
                if (!jdk && !target.equals("halo.launch")) {
                    outside.add(target);
                }
            }
        }
        assertTrue(arguments.size() > 10, "no launcher classes in " + classes);
        assertTrue(outside.isEmpty(), "halo.launch depends on " + outside + ":\n" + out);
    }
}
