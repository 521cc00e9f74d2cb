package halo.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.ClosedChannelException;

import org.junit.jupiter.api.Test;
import xdev.XDevException;

class MpjCommunicatorTest {

    /** MPJ's Request.Wait throws its device's exception as it is, not wrapped in an MPIException. */
    @Test
    void aDeviceFailureWhileWaitingIsACommunicationFailureWithItsPeerLost() {
        mpi.Request lost = new mpi.Request((mpjdev.Request) null) {
            @Override
            public mpi.Status Wait() {
                throw new XDevException(new ClosedChannelException());
            }
        };
        Communicator.Request request = MpjCommunicator.pending(lost, "Irecv from rank 1");
        CommunicationException failure = assertThrows(CommunicationException.class, request::await);
        assertEquals("Irecv from rank 1 failed: java.nio.channels.ClosedChannelException", failure.getMessage());
        assertTrue(CommunicationException.isPeerLost(failure));
    }
}
