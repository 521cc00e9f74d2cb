package halo.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class JitWarmUpTest {

    private static List<Thread> warmUpThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("halo-jit-warm-up")).toList();
    }

    /** Started by every rank of a JVM, it runs once; told to stop, it ends, and it keeps no JVM up. */
    @Test
    void oneDaemonThreadPerJvmThatEndsWhenStopped() throws InterruptedException {
        JitWarmUp.startStencil(Kernels.SCALAR, 266);
        List<Thread> threads = warmUpThreads();
        JitWarmUp.startIntegrand(Kernels.SCALAR);
        JitWarmUp.stop();
        assertTrue(threads.size() <= 1, threads.toString());
        for (Thread thread : threads) {
            assertTrue(thread.isDaemon());
            thread.join(10_000);
            assertFalse(thread.isAlive());
        }
        assertEquals(List.of(), warmUpThreads().stream().filter(t -> !threads.contains(t)).toList());
    }
}
