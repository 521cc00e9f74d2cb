package halo.io;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes output files in order, either at once on the caller's thread or, in the background,
 * on one thread of its own, so that encoding a PNG or forcing a file to disk keeps no rank
 * waiting. {@link #finish} waits for everything queued and reports the first failure.
 *
 * <p>At most {@value #MAX_QUEUED} writes are queued at a time, the one being written among them:
 * each holds a copy of a field, and when the disk is slower than the time steps,
 * {@link #submit} waits for the oldest rather than let memory grow with every snapshot.
 */
public final class OutputQueue implements AutoCloseable {

    static final int MAX_QUEUED = 2;

    /** Writes one file (or a few); may throw IOException. */
    @FunctionalInterface
    public interface Write {
        void run() throws IOException;
    }

    private final ExecutorService writer;
    private final Queue<Future<?>> queued = new ArrayDeque<>();

    /** @param background true: write on a thread of its own; false: write in {@link #submit}. */
    public OutputQueue(boolean background) {
        this.writer = background ? Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "halo-output");
            thread.setDaemon(true); // a failed run's JVM must not wait for it
            return thread;
        }) : null;
    }

    /** Queues {@code write}, or runs it now when not in the background. */
    public void submit(Write write) throws IOException {
        if (writer == null) {
            write.run();
            return;
        }
        while (queued.size() >= MAX_QUEUED) {
            awaitOldest();
        }
        queued.add(writer.submit(() -> {
            write.run();
            return null;
        }));
    }

    /** Waits until every queued write is done; throws the first one's failure. */
    public void finish() throws IOException {
        while (!queued.isEmpty()) {
            awaitOldest();
        }
    }

    /** Waits for the oldest queued write; throws its failure. */
    private void awaitOldest() throws IOException {
        try {
            queued.remove().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for output to be written", e);
        }
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.shutdownNow();
        }
    }
}
