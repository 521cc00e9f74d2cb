import mpi.MPI;
import mpi.Request;

/**
 * What one halo exchange costs in MPJ Express itself, without Halo: ranks 2k and 2k+1 trade
 * {@code rows} rows of {@code cols} doubles as diff2d's ranks do (Irecv, Isend, then Wait on
 * both), over and over. Run by src/main/scripts/bench.sh through mpjrun.sh on each device:
 *
 * <pre>  mpjrun.sh -np 2 [-dev niodev] -cp target/bench/mpj MpjExchange ROWS COLS FIRST TOTAL</pre>
 *
 * Rank 0 prints two lines: {@code first_us} the mean time of an exchange over the first FIRST
 * exchanges of a fresh JVM (as many as a run of the course problem makes: MPJ's code still
 * interpreted, each multicore rank having its own copy of MPJ's classes), and {@code warm_us}
 * the mean over the last quarter of the TOTAL - FIRST exchanges that follow, once the JIT has
 * compiled that code.
 */
public final class MpjExchange {

    public static void main(String[] args) throws Exception {
        String[] own = MPI.Init(args);
        int rows = Integer.parseInt(own[0]);
        int cols = Integer.parseInt(own[1]);
        int first = Integer.parseInt(own[2]);
        int total = Integer.parseInt(own[3]);
        int rank = MPI.COMM_WORLD.Rank();
        int peer = rank ^ 1;
        if (peer >= MPI.COMM_WORLD.Size()) {
            throw new IllegalArgumentException("MpjExchange pairs rank 2k with 2k+1: -np must be even");
        }
        int count = rows * cols;
        double[] out = new double[count];
        double[] in = new double[count];
        MPI.COMM_WORLD.Barrier();
        long start = System.nanoTime();
        exchange(out, in, peer, first);
        long firstNanos = System.nanoTime() - start;
        int quarter = Math.max(1, (total - first) / 4);
        exchange(out, in, peer, total - first - quarter);
        start = System.nanoTime();
        exchange(out, in, peer, quarter);
        long warmNanos = System.nanoTime() - start;
        if (rank == 0) {
            System.out.println("first_us " + firstNanos / 1e3 / first);
            System.out.println("warm_us " + warmNanos / 1e3 / quarter);
        }
        MPI.Finalize();
    }

    private static void exchange(double[] out, double[] in, int peer, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            Request receive = MPI.COMM_WORLD.Irecv(in, 0, in.length, MPI.DOUBLE, peer, 7);
            Request send = MPI.COMM_WORLD.Isend(out, 0, out.length, MPI.DOUBLE, peer, 7);
            send.Wait();
            receive.Wait();
        }
    }
}
