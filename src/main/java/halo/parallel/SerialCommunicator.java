package halo.parallel;

/** The one rank of a run started without MPJ Express: every collective is a copy. */
final class SerialCommunicator implements Communicator {

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public String device() {
        return "serial";
    }

    @Override
    public void send(double[] buffer, int offset, int count, int destination, int tag) {
        throw new IllegalStateException("a single rank has no one to send to");
    }

    @Override
    public void receive(double[] buffer, int offset, int count, int source, int tag) {
        throw new IllegalStateException("a single rank has no one to receive from");
    }

    @Override
    public void sendReceive(double[] sendBuffer, int sendOffset, int destination,
                            double[] receiveBuffer, int receiveOffset, int source, int count, int tag) {
        throw new IllegalStateException("a single rank has no neighbours");
    }

    @Override
    public Request startSend(double[] buffer, int offset, int count, int destination, int tag) {
        throw new IllegalStateException("a single rank has no one to send to");
    }

    @Override
    public Request startReceive(double[] buffer, int offset, int count, int source, int tag) {
        throw new IllegalStateException("a single rank has no one to receive from");
    }

    @Override
    public void gatherv(double[] sendBuffer, int sendOffset, int sendCount,
                        double[] receiveBuffer, int[] counts, int[] displacements, int root) {
        System.arraycopy(sendBuffer, sendOffset, receiveBuffer, displacements[0], sendCount);
    }

    @Override
    public void gatherv(byte[] sendBuffer, int sendOffset, int sendCount,
                        byte[] receiveBuffer, int[] counts, int[] displacements, int root) {
        System.arraycopy(sendBuffer, sendOffset, receiveBuffer, displacements[0], sendCount);
    }

    @Override
    public int allMin(int value) {
        return value;
    }


    @Override
    public byte[] broadcast(byte[] bytes, int root) {
        return bytes;
    }

    @Override
    public void barrier() {
    }

    @Override
    public void close() {
    }
}
