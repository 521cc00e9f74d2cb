package halo.launch;

import mpi.MPI;

/**
 * Test program for the launcher (not a test itself): rank 1 fails after MPI.Init.
 * The first argument says how, and what the other ranks do meanwhile:
 * <ul>
 * <li>{@code throw} (default): rank 1 throws; the others return without MPI.Finalize
 *     (which would wait for rank 1 forever), so nothing stays blocked;</li>
 * <li>{@code throw-while-others-wait}: rank 1 throws while the others wait forever for a
 *     message from it, as in a real failure (only for a launcher in its own JVM);</li>
 * <li>{@code exit N}: rank 1 calls {@code System.exit(N)} while the others wait.</li>
 * </ul>
 * With one rank there is no rank 1 and the program succeeds.
 */
public final class FailingProgram {

    private FailingProgram() {
    }

    public static void main(String[] args) throws Exception {
        String[] appArgs = MPI.Init(args);
        String mode = appArgs.length > 0 ? appArgs[0] : "throw";
        int rank = MPI.COMM_WORLD.Rank();
        MPI.COMM_WORLD.Barrier();
        if (rank == 1) {
            if (mode.equals("exit")) {
                System.exit(Integer.parseInt(appArgs[1]));
            }
            throw new IllegalStateException("rank 1 fails on purpose");
        }
        if (!mode.equals("throw")) {
            int[] never = new int[1];
            MPI.COMM_WORLD.Recv(never, 0, 1, MPI.INT, 1, 99); // rank 1 never sends
        }
        if (MPI.COMM_WORLD.Size() == 1) {
            MPI.Finalize();
        }
    }
}
