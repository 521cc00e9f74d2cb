package halo.parallel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import mpi.Datatype;
import mpi.Intracomm;
import mpi.MPI;
import xdev.XDevException;

/**
 * MPJ Express ranks of COMM_WORLD. The only class of Halo that calls MPJ: in multicore mode
 * each rank loads it for itself, with its own copy of MPJ, and {@link Launch} finds it by name.
 * Every MPJ failure becomes a {@link CommunicationException}: MPJ's errors are all
 * {@code XDevException}s, of which {@code MPIException} is one, and {@code Request.Wait} passes
 * its device's own (a closed channel to a lost peer, say) through unwrapped.
 */
public final class MpjCommunicator implements Communicator {

    private static final Pattern PROTOCOL_SWITCH_LIMIT = Pattern.compile("#Protocol Switch Limit;(\\d{1,9});");
    private static final int BUFFER_SECTION_HEADER = 8;

    private final Intracomm world;
    private final String device;
    private final int rank;
    private final int size;
    private final long eagerMessageBytes;

    private MpjCommunicator(String device, long eagerMessageBytes) {
        this.world = MPI.COMM_WORLD;
        this.device = device;
        this.rank = world.Rank();
        this.size = world.Size();
        this.eagerMessageBytes = eagerMessageBytes;
    }

    /** MPI.Init on the arguments MPJ's starter gave (the user's own: {@link Launch#userArguments}). */
    public static MpjCommunicator init(String[] mpjArguments) {
        try {
            MPI.Init(mpjArguments);
            return new MpjCommunicator(mpjArguments[2], eagerMessageBytes(mpjArguments[1]));
        } catch (XDevException e) {
            throw new CommunicationException("MPI.Init", e);
        }
    }

    /**
     * niodev's protocol switch limit, from its configuration argument, less the section header
     * MPJ's buffer puts before the doubles (mpi.BasicType.packedSize); no limit where none is given.
     */
    private static long eagerMessageBytes(String configuration) {
        Matcher limit = PROTOCOL_SWITCH_LIMIT.matcher(configuration);
        return limit.find() ? Long.parseLong(limit.group(1)) - BUFFER_SECTION_HEADER : Long.MAX_VALUE;
    }

    @Override
    public long eagerMessageBytes() {
        return eagerMessageBytes;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public void send(double[] buffer, int offset, int count, int destination, int tag) {
        try {
            world.Send(buffer, offset, count, MPI.DOUBLE, destination, tag);
        } catch (XDevException e) {
            throw new CommunicationException("Send to rank " + destination, e);
        }
    }

    @Override
    public void receive(double[] buffer, int offset, int count, int source, int tag) {
        try {
            world.Recv(buffer, offset, count, MPI.DOUBLE, source, tag);
        } catch (XDevException e) {
            throw new CommunicationException("Recv from rank " + source, e);
        }
    }

    @Override
    public void sendReceive(double[] sendBuffer, int sendOffset, int destination,
                            double[] receiveBuffer, int receiveOffset, int source, int count, int tag) {
        try {
            world.Sendrecv(sendBuffer, sendOffset, count, MPI.DOUBLE, destination, tag,
                    receiveBuffer, receiveOffset, count, MPI.DOUBLE, source, tag);
        } catch (XDevException e) {
            throw new CommunicationException("Sendrecv with ranks " + destination + " and " + source, e);
        }
    }

    @Override
    public Request startSend(double[] buffer, int offset, int count, int destination, int tag) {
        try {
            return pending(world.Isend(buffer, offset, count, MPI.DOUBLE, destination, tag), "Isend to rank " + destination);
        } catch (XDevException e) {
            throw new CommunicationException("Isend to rank " + destination, e);
        }
    }

    @Override
    public Request startReceive(double[] buffer, int offset, int count, int source, int tag) {
        try {
            return pending(world.Irecv(buffer, offset, count, MPI.DOUBLE, source, tag), "Irecv from rank " + source);
        } catch (XDevException e) {
            throw new CommunicationException("Irecv from rank " + source, e);
        }
    }

    /** MPJ's request as a {@link Request}; {@code what} names it in an error. */
    static Request pending(mpi.Request request, String what) {
        return () -> {
            try {
                request.Wait();
            } catch (XDevException e) {
                throw new CommunicationException(what, e);
            }
        };
    }

    @Override
    public void gatherv(double[] sendBuffer, int sendOffset, int sendCount,
                        double[] receiveBuffer, int[] counts, int[] displacements, int root) {
        gatherv(sendBuffer, sendOffset, sendCount, receiveBuffer, counts, displacements, MPI.DOUBLE, root);
    }

    @Override
    public void gatherv(byte[] sendBuffer, int sendOffset, int sendCount,
                        byte[] receiveBuffer, int[] counts, int[] displacements, int root) {
        gatherv(sendBuffer, sendOffset, sendCount, receiveBuffer, counts, displacements, MPI.BYTE, root);
    }

    /** MPJ's buffers are Objects: an array of {@code type}'s elements. */
    private void gatherv(Object sendBuffer, int sendOffset, int sendCount, Object receiveBuffer, int[] counts,
                         int[] displacements, Datatype type, int root) {
        try {
            world.Gatherv(sendBuffer, sendOffset, sendCount, type, receiveBuffer, 0, counts, displacements, type, root);
        } catch (XDevException e) {
            throw new CommunicationException("Gatherv", e);
        }
    }

    @Override
    public int allMin(int value) {
        int[] in = {value};
        int[] out = new int[1];
        try {
            world.Allreduce(in, 0, out, 0, 1, MPI.INT, MPI.MIN);
        } catch (XDevException e) {
            throw new CommunicationException("Allreduce", e);
        }
        return out[0];
    }

    @Override
    public byte[] broadcast(byte[] bytes, int root) {
        try {
            int[] length = {rank == root ? bytes.length : 0};
            world.Bcast(length, 0, 1, MPI.INT, root);
            byte[] buffer = rank == root ? bytes : new byte[length[0]];
            world.Bcast(buffer, 0, length[0], MPI.BYTE, root);
            return buffer;
        } catch (XDevException e) {
            throw new CommunicationException("Bcast", e);
        }
    }

    @Override
    public void barrier() {
        try {
            world.Barrier();
        } catch (XDevException e) {
            throw new CommunicationException("Barrier", e);
        }
    }

    @Override
    public void close() {
        try {
            MPI.Finalize();
        } catch (XDevException e) {
            throw new CommunicationException("MPI.Finalize", e);
        }
    }
}
