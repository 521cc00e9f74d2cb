package halo.parallel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

import org.junit.jupiter.api.Test;

class CommunicationExceptionTest {

    /** How niodev reports a peer whose JVM is gone: MPIException ← XDevException ← ClosedChannelException. */
    @Test
    void aBrokenConnectionUnderACommunicationIsAPeerLost() {
        Exception device = new RuntimeException("xdev.XDevException", new ClosedChannelException());
        assertTrue(CommunicationException.isPeerLost(new CommunicationException("Isend to rank 1", device)));
        assertTrue(CommunicationException.isPeerLost(
                new IllegalStateException("worker", new CommunicationException("Recv from rank 0", new IOException()))));
    }

    @Test
    void otherFailuresAreTheirOwnCause() {
        assertFalse(CommunicationException.isPeerLost(new CommunicationException("Allreduce", new RuntimeException("bad"))));
        assertFalse(CommunicationException.isPeerLost(new java.io.UncheckedIOException(new IOException("disk full"))));
    }
}
