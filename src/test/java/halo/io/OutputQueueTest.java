package halo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class OutputQueueTest {

    @Test
    void aSubmitWaitsWhileTwoWritesAreQueued() throws Exception {
        CountDownLatch disk = new CountDownLatch(1);
        List<Integer> written = new CopyOnWriteArrayList<>();
        try (OutputQueue queue = new OutputQueue(true)) {
            queue.submit(() -> {
                await(disk);
                written.add(1);
            });
            queue.submit(() -> written.add(2));
            CountDownLatch third = new CountDownLatch(1);
            Thread submitter = new Thread(() -> {
                try {
                    queue.submit(() -> written.add(3));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                third.countDown();
            });
            submitter.start();
            assertFalse(third.await(300, TimeUnit.MILLISECONDS), "the third write waits for the first");
            disk.countDown();
            assertTrue(third.await(60, TimeUnit.SECONDS), "and goes on once it is written");
            submitter.join();
            queue.finish();
        }
        assertEquals(List.of(1, 2, 3), written);
    }

    @Test
    void aFailureInTheBackgroundIsThrownByALaterSubmitOrFinish() throws IOException {
        try (OutputQueue queue = new OutputQueue(true)) {
            queue.submit(() -> {
                throw new IOException("cannot write f: no space left on device");
            });
            queue.submit(() -> { });
            IOException e = assertThrows(IOException.class, () -> {
                queue.submit(() -> { });
                queue.finish();
            });
            assertEquals("cannot write f: no space left on device", e.getMessage());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
