package halo.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class JitWarmUpTest {

    /** Rows so wide that the warm-up is still running when the test looks for its thread. */
    private static final int WIDE_ROWS = 100_000;

    /** The warm-up threads started from {@code group} (a thread inherits its starter's group). */
    private static List<Thread> warmUpThreads(ThreadGroup group) {
        Thread[] threads = new Thread[group.activeCount() + 8];
        int n = group.enumerate(threads);
        return Arrays.stream(threads, 0, n).filter(t -> t.getName().equals("halo-jit-warm-up")).toList();
    }

    /** Started by every rank of a JVM, it runs once; told to stop, it ends, and it keeps no JVM up. */
    @Test
    void oneDaemonThreadPerJvmThatEndsWhenStopped() throws Exception {
        // A copy of the class of this test's own: its statics are fresh, whatever other tests of
        // this JVM did with JitWarmUp (started it, stopped it).
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {JitWarmUp.class.getProtectionDomain().getCodeSource().getLocation()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> warmUp = loader.loadClass(JitWarmUp.class.getName());
            Class<?> kernels = loader.loadClass(Kernels.class.getName());
            Object scalar = kernels.getField(Kernels.SCALAR.name()).get(null);
            ThreadGroup group = new ThreadGroup("jit-warm-up-test");

            call(group, () -> warmUp.getMethod("startStencil", kernels, int.class).invoke(null, scalar, WIDE_ROWS));
            List<Thread> threads = warmUpThreads(group);
            call(group, () -> warmUp.getMethod("startIntegrand", kernels).invoke(null, scalar));
            warmUp.getMethod("stop").invoke(null);
            assertFalse(threads.isEmpty(), "no warm-up thread started");
            assertTrue(threads.size() <= 1, threads.toString());
            for (Thread thread : threads) {
                assertTrue(thread.isDaemon());
                thread.join(10_000);
                assertFalse(thread.isAlive());
            }
            assertEquals(List.of(), warmUpThreads(group).stream().filter(t -> !threads.contains(t)).toList());
        }
    }

    private interface Call {
        void run() throws ReflectiveOperationException;
    }

    /** Runs {@code call} on a thread of {@code group}, as a rank's thread would, and waits for it. */
    private static void call(ThreadGroup group, Call call) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread caller = new Thread(group, () -> {
            try {
                call.run();
            } catch (ReflectiveOperationException | RuntimeException e) {
                failure[0] = e;
            }
        }, "rank");
        caller.start();
        caller.join();
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
    }
}
