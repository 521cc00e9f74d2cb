package halo.launch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import halo.launch.library.RankCounter;
import mpi.MPI;

/**
 * Test program for the launcher (not a test itself): every rank counts itself in
 * {@link RankCounter}; after a barrier rank 0 writes how many ranks its copy of RankCounter
 * saw (the rank count when the ranks share the library, 1 when each rank has its own copy)
 * and the name of the class loader of that copy to the file named by the first argument.
 */
public final class SharedLibraryProgram {

    private SharedLibraryProgram() {
    }

    public static void main(String[] args) throws Exception {
        String[] appArgs = MPI.Init(args);
        RankCounter.RANKS.incrementAndGet();
        MPI.COMM_WORLD.Barrier();
        if (MPI.COMM_WORLD.Rank() == 0) {
            Files.writeString(Path.of(appArgs[0]),
                    RankCounter.RANKS.get() + " " + RankCounter.class.getClassLoader().getName() + "\n",
                    StandardCharsets.UTF_8);
        }
        MPI.COMM_WORLD.Barrier();
        MPI.Finalize();
    }
}
