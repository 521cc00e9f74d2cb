package halo.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import mpi.MPI;

/**
 * Test program for what mpjrun.sh does around the JVM (not a test itself). Every rank first
 * writes {@code rank R incubating MODULES} on stdout: the incubator modules its JVM has. Then,
 * by the first argument:
 * <ul>
 * <li>none: returns;</li>
 * <li>{@code stderr FILE}: rank 0 copies FILE's bytes to stderr, unchanged;</li>
 * <li>{@code exit N}: every rank calls {@code System.exit(N)};</li>
 * <li>{@code wait READY LINES}: rank 0 of each JVM adds a shutdown hook that writes the numbers
 *     1 to LINES, a line each, and then {@code hook done} to stderr, rank 0 creates the file READY, and
 *     every rank waits until its JVM is ended. READY names the test's directory, so the test
 *     finds the JVMs by their command lines.</li>
 * </ul>
 */
public final class JvmProbeProgram {

    private JvmProbeProgram() {
    }

    public static void main(String[] args) throws Exception {
        String[] appArgs = MPI.Init(args);
        int rank = MPI.COMM_WORLD.Rank();
        String incubating = ModuleLayer.boot().modules().stream().map(Module::getName)
                .filter(name -> name.startsWith("jdk.incubator.")).sorted().collect(Collectors.joining(" "));
        System.out.println("rank " + rank + " incubating " + incubating);
        System.out.flush();
        String mode = appArgs.length > 0 ? appArgs[0] : "";
        switch (mode) {
            case "stderr" -> {
                if (rank == 0) {
                    System.err.write(Files.readAllBytes(Path.of(appArgs[1])));
                    System.err.flush();
                }
            }
            case "exit" -> System.exit(Integer.parseInt(appArgs[1]));
            case "wait" -> waitToBeEnded(rank, Path.of(appArgs[1]), Integer.parseInt(appArgs[2]));
            default -> {
            }
        }
        MPI.Finalize();
    }

    private static void waitToBeEnded(int rank, Path ready, int lines) throws Exception {
        if (rank == 0) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                StringBuilder numbers = new StringBuilder(); // short lines, all in one write: the JVM
                for (int i = 1; i <= lines; i++) {        // ends with the pipe to the filter still full
                    numbers.append(i).append('\n');
                }
                System.err.print(numbers.append("hook done\n"));
                System.err.flush();
            }));
            Files.createFile(ready);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
