package halo.launch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import mpi.MPI;

/**
 * Test program for the launcher (not a test itself): every rank sends its rank number to
 * the next rank round a ring with Sendrecv, rank 0 gathers what each received and checks
 * it, then writes {@code ok <size> <received…>} to the file named by the first argument.
 * Any mistake throws, so the launcher's exit status is the verdict.
 *
 * <p>Also checks what the multicore launcher promises: a fresh copy of this class per
 * rank (static state per rank), the thread named after the rank.
 */
public final class ExchangeProgram {

    private static int started; // per rank: each rank has its own copy of this class

    private ExchangeProgram() {
    }

    public static void main(String[] args) throws Exception {
        String[] appArgs = MPI.Init(args);
        int rank = MPI.COMM_WORLD.Rank();
        int size = MPI.COMM_WORLD.Size();
        check(++started == 1, "rank " + rank + " shares static state with another rank");
        check(Thread.currentThread().getName().equals(Integer.toString(rank)),
                "rank " + rank + " runs in thread " + Thread.currentThread().getName());

        int right = (rank + 1) % size;
        int left = (rank + size - 1) % size;
        int[] sent = {rank};
        int[] received = {-1};
        MPI.COMM_WORLD.Sendrecv(sent, 0, 1, MPI.INT, right, 7, received, 0, 1, MPI.INT, left, 7);
        check(received[0] == left, "rank " + rank + " received " + received[0] + ", not " + left);

        int[] all = new int[size];
        MPI.COMM_WORLD.Gather(received, 0, 1, MPI.INT, all, 0, 1, MPI.INT, 0);
        if (rank == 0) {
            StringBuilder line = new StringBuilder("ok ").append(size);
            for (int r = 0; r < size; r++) {
                check(all[r] == (r + size - 1) % size, "rank " + r + " received " + all[r]);
                line.append(' ').append(all[r]);
            }
            if (appArgs.length > 0) {
                Files.writeString(Path.of(appArgs[0]), line + "\n", StandardCharsets.UTF_8);
            }
        }
        MPI.Finalize();
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
