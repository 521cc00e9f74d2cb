package halo.timing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A log file that grows by whole records, each written as it comes in one write, so that a
 * rank that fails keeps every record before its failure. A write that fails part-way (a full
 * disk) is cut back to the last whole record and the file takes no more: the run reports its
 * failure itself, and what is there reads.
 */
final class LineFile implements AutoCloseable {

    private final FileChannel channel;
    private long size;
    private boolean broken;

    private LineFile(FileChannel channel) throws IOException {
        this.channel = channel;
        this.size = channel.size();
    }

    /** Opens (creates, or appends to) {@code file}. */
    static LineFile open(Path file) throws IOException {
        return new LineFile(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
    }

    /** Appends one record, whole or not at all. */
    synchronized void append(byte[] record) {
        if (broken) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(record);
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            size += record.length;
        } catch (IOException e) {
            broken = true;
            try {
                channel.truncate(size);
            } catch (IOException ignored) {
                // the disk refuses even that: the half record stays, the records before it too
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            broken = true; // every record was written when it came: nothing is lost here
        }
    }
}
