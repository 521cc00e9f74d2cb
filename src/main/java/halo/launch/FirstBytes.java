package halo.launch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** What the first bytes of a connection to the {@link Rendezvous} are, for its one-line refusals. */
final class FirstBytes {

    /** MPJ's hello as writeUTF sends it: a two-byte length, then the text. */
    private static final byte[] MPJ_HELLO = ByteBuffer.allocate(2 + Rendezvous.HELLO.length())
            .putShort((short) Rendezvous.HELLO.length()).put(Rendezvous.HELLO.getBytes(StandardCharsets.US_ASCII))
            .array();

    private FirstBytes() {
    }

    /** Why the bytes read so far cannot be a check-in, or null while they may be one. */
    static String wrong(ByteBuffer read) {
        if (startsWith(read, Admission.CHECK_IN_MAGIC)) {
            return null;
        }
        if (startsWith(read, MPJ_HELLO)) {
            return read.position() < MPJ_HELLO.length ? null
                    : "spoke MPJ Express's plain hello: only ranks started by Halo, with this job's secret, are admitted";
        }
        return said(read);
    }

    /** Whether the bytes read so far and {@code expected} agree as far as both go. */
    private static boolean startsWith(ByteBuffer read, byte[] expected) {
        int n = Math.min(read.position(), expected.length);
        for (int i = 0; i < n; i++) {
            if (read.get(i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** What a connection sent, quoted and cut to one short line. */
    static String said(ByteBuffer read) {
        if (read.position() == 0) {
            return "said nothing";
        }
        int start = read.position() > 2 && read.get(0) == 0 && (read.get(1) & 0xff) <= read.position() - 2 ? 2 : 0; // writeUTF
        StringBuilder text = new StringBuilder();
        for (int i = start; i < read.position() && text.length() < 40; i++) {
            int c = read.get(i) & 0xff;
            text.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\x%02x", c));
        }
        return "said '" + text + (read.position() - start > text.length() ? "…" : "") + "'";
    }
}
