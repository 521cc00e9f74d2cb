package halo.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The README stays true. Every command it shows in a {@code ```console} block (a line
 * {@code $ COMMAND}, then the output it prints) is run here as a reader runs it, from the
 * project root, and what it prints must have the shape shown: the same lines, where times,
 * dates and other measured numbers may differ, and a line {@code ...} stands for any number
 * of lines. A run's directory must
 * hold the files the README's table names. The set-up in front of a command
 * ({@code src/main/scripts/setup.sh && }) has run before the tests; the README's test
 * command is not run here (this is it) but must be the one CI runs.
 */
class ReadmeIT {

    private static final Path README = Halo.ROOT.resolve("README.md");
    private static final Path CI = Halo.ROOT.resolve(".ci/run");
    private static final String SET_UP = "src/main/scripts/setup.sh && ";
    private static final String TEST_COMMAND = "mvn verify";
    /** Commands a test may run: Halo's own, which take seconds. */
    private static final List<String> RUN_HERE = List.of(".mpj/bin/mpjrun.sh ", "java -jar target/halo.jar ");
    /** The README is one screenful of reading to a first run, not a manual: the rest is in docs/. */
    private static final int MAX_README_CHARS = 12_000;
    private static final Pattern RUN_DIRECTORY = Pattern.compile("(?m)^Run directory: (\\S+)$");
    /**
     * A line's tokens; group 1 is what a run measures or dates (a number with a decimal point,
     * or six digits or more as in a run directory's date and time), which may differ from run
     * to run. Other numbers (ranks, exit statuses, option values) must be as shown.
     */
    private static final Pattern MEASURED = Pattern.compile("(\\d+\\.\\d+|\\d{6,})|\\d+|^ +| +|[^\\d ]+");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#:]+)(#[^)]*)?\\)");

    /** One {@code $} line of a console block and the lines shown after it. */
    private record Example(String command, List<String> output) {
    }

    @Test
    void isShortAndItsLinksLeadToFiles() throws IOException {
        String readme = Files.readString(README);
        assertTrue(readme.length() <= MAX_README_CHARS, "README.md has " + readme.length() + " characters");
        Matcher link = LINK.matcher(readme);
        while (link.find()) {
            assertTrue(Files.exists(Halo.ROOT.resolve(link.group(1))), "README links to " + link.group(1));
        }
    }

    @Test
    void everyCommandShownIsRunHereOrIsTheTestCommandCiRuns() throws IOException {
        List<Example> examples = examples(Files.readString(README));
        assertFalse(examples.isEmpty(), "no console block in README.md");
        for (Example example : examples) {
            String command = withoutSetUp(example.command());
            if (command.equals(TEST_COMMAND)) {
                assertTrue(Files.readString(CI).lines().anyMatch(line -> line.strip().equals(example.command())),
                        ".ci/run does not run the README's test command: " + example.command());
            } else {
                assertTrue(runsHere(command), "README.md shows a command no test runs: " + example.command());
            }
        }
    }

    /** One test per distinct command, checked against every output the README shows for it. */
    @TestFactory
    Stream<DynamicTest> commandsPrintWhatTheReadmeShows() throws IOException {
        String readme = Files.readString(README);
        Map<String, List<List<String>>> shown = new LinkedHashMap<>();
        for (Example example : examples(readme)) {
            String command = withoutSetUp(example.command());
            if (runsHere(command)) {
                shown.computeIfAbsent(command, c -> new ArrayList<>()).add(example.output());
            }
        }
        List<String[]> files = runDirectoryFiles(readme);
        return shown.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(),
                () -> runAndCompare(entry.getKey(), entry.getValue(), files)));
    }

    private static void runAndCompare(String command, List<List<String>> outputs, List<String[]> files)
            throws IOException, InterruptedException {
        String printed = runInProjectRoot(command);
        Matcher runDirectory = RUN_DIRECTORY.matcher(printed);
        Path directory = runDirectory.find() ? Halo.ROOT.resolve(runDirectory.group(1)) : null;
        try {
            for (List<String> output : outputs) {
                if (!output.isEmpty()) {
                    assertTrue(shape(output).matcher(printed).matches(), "$ " + command + "\nprinted:\n" + printed
                            + "\nREADME.md shows:\n" + String.join("\n", output));
                }
            }
            if (directory != null) {
                assertHolds(directory, command, files);
            }
        } finally {
            if (directory != null) {
                deleteTree(directory);
            }
        }
    }

    /** The files of the README's run-directory table, as (name, what it says first). */
    private static List<String[]> runDirectoryFiles(String readme) {
        String section = readme.substring(readme.indexOf("## A first run"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        List<String[]> files = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\| ([^|]*)\\|").matcher(section);
        while (row.find()) {
            files.add(new String[] {row.group(1), row.group(2).strip()});
        }
        assertFalse(files.isEmpty(), "no run-directory table under '## A first run' in README.md");
        return files;
    }

    /**
     * Every file of the table is in the run's directory; {@code rank-N} stands for each rank,
     * and a row that starts with a program's name ("diff2d: ...") is for that program only.
     */
    private static void assertHolds(Path directory, String command, List<String[]> files) {
        Matcher np = Pattern.compile("-np (\\d+)").matcher(command);
        int ranks = np.find() ? Integer.parseInt(np.group(1)) : 1;
        for (String[] file : files) {
            Matcher program = Pattern.compile("^(\\w+):").matcher(file[1]);
            if (program.find() && !command.contains(" " + program.group(1))) {
                continue;
            }
            for (int rank = 0; rank < (file[0].contains("rank-N") ? ranks : 1); rank++) {
                Path path = directory.resolve(file[0].replace("rank-N", "rank-" + rank));
                assertTrue(Files.isRegularFile(path), "README.md names " + file[0] + "; the run left no " + path);
            }
        }
    }

    /**
     * The lines shown as a pattern: measured numbers may differ ({@link #MEASURED}), and so may
     * the width of the spaces that align a table; a line {@code ...} is any number of lines.
     */
    private static Pattern shape(List<String> shown) {
        StringBuilder regex = new StringBuilder();
        for (String line : shown) {
            if (line.strip().equals("...")) {
                regex.append("(?:[^\\n]*\\n)*?");
                continue;
            }
            Matcher token = MEASURED.matcher(line);
            while (token.find()) {
                String t = token.group();
                if (token.group(1) != null) {
                    regex.append("\\d+(?:\\.\\d+)?");
                } else if (t.isBlank()) {
                    regex.append(token.start() == 0 ? " *" : " +");
                } else {
                    regex.append(Pattern.quote(t));
                }
            }
            regex.append("\\n");
        }
        return Pattern.compile(regex.toString());
    }

    private static List<Example> examples(String readme) {
        List<Example> examples = new ArrayList<>();
        boolean inConsole = false;
        for (String line : readme.lines().toList()) {
            if (line.startsWith("```")) {
                inConsole = !inConsole && line.strip().equals("```console");
            } else if (inConsole && line.startsWith("$ ")) {
                examples.add(new Example(line.substring(2).strip(), new ArrayList<>()));
            } else if (inConsole && !examples.isEmpty()) {
                examples.get(examples.size() - 1).output().add(line);
            }
        }
        return examples;
    }

    private static String withoutSetUp(String command) {
        return command.startsWith(SET_UP) ? command.substring(SET_UP.length()) : command;
    }

    private static boolean runsHere(String command) {
        return RUN_HERE.stream().anyMatch(command::startsWith);
    }

    /** {@code bash -c COMMAND} in the project root, stderr with stdout as a terminal shows them. */
    private static String runInProjectRoot(String command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("readme-command", ".txt");
        try {
            Process process = new ProcessBuilder("bash", "-c", command).directory(Halo.ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail("no end within 120 s: " + command + "\nprinted so far:\n" + Files.readString(output));
            }
            String printed = Files.readString(output).replace("\r", "");
            return printed.isEmpty() || printed.endsWith("\n") ? printed : printed + "\n";
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Deletes a run's directory, and runs/ too when the run was the only thing in it. */
    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        try (Stream<Path> left = Files.list(directory.getParent())) {
            if (left.findAny().isEmpty()) {
                Files.delete(directory.getParent());
            }
        }
    }
}
