package halo.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The secret of one niodev job: 256 random bits from {@link SecureRandom}, known to the job's
 * launcher, its rendezvous and its ranks, and to nobody else. It never travels and is never
 * on a command line: the launcher hands it to each rank in the environment variable
 * {@value #VARIABLE} (readable by the job's own user and root only, as every process's
 * environment), under Slurm also in a file of mode 0600 in the job's private directory. A rank
 * proves it knows the secret with a keyed hash (HMAC-SHA256) of fresh random numbers, and the
 * rendezvous proves it back the same way (see {@link Admission}).
 */
public final class JobSecret {

    /** The environment variable that carries the secret, in hexadecimal, to every rank. */
    public static final String VARIABLE = "HALO_JOB_SECRET";
    static final int BYTES = 32;
    /** SHA-256's block: HMAC pads its key to this length. */
    private static final int BLOCK_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private JobSecret(byte[] key) {
        this.key = key;
    }

    /** A new secret. */
    public static JobSecret generate() {
        return new JobSecret(randomBytes(BYTES));
    }

    static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The secret written as {@link #hex()} gives it; null when {@code text} is not one. */
    public static JobSecret parse(String text) {
        if (text == null) {
            return null;
        }
        String hex = text.strip();
        if (hex.length() != 2 * BYTES || !hex.matches("[0-9a-fA-F]+")) {
            return null;
        }
        return new JobSecret(HexFormat.of().parseHex(hex));
    }

    /** The secret this process was given in {@value #VARIABLE}, or null. */
    public static JobSecret fromEnvironment() {
        return parse(System.getenv(VARIABLE));
    }

    /** For the environment of a rank (never for a command line). */
    public String hex() {
        return HexFormat.of().formatHex(key);
    }

    /** Writes the secret to {@code file}, readable and writable by this user only, whole or not at all. */
    public void writeTo(Path file) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(aside);
        Files.createFile(aside, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(aside, hex() + "\n", StandardCharsets.US_ASCII);
        Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Sets up the JDK's SHA-256 now: its first use in a JVM starts the security providers, tens
     * of milliseconds, which a thread that waits anyway (the rendezvous before the first rank
     * calls, a rank's relay before MPJ's hello) takes off the ranks' way.
     */
    void prepare() {
        mac();
    }

    /** HMAC-SHA256 keyed with the secret over the parts, each preceded by its length. */
    byte[] mac(byte[]... parts) {
        byte[][] framed = new byte[2 * parts.length][];
        for (int i = 0; i < parts.length; i++) {
            int length = parts[i].length;
            framed[2 * i] = new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
            framed[2 * i + 1] = parts[i];
        }
        return hmacSha256(key, framed);
    }

    /**
     * HMAC-SHA256 (RFC 2104) of the concatenated parts, built on the JDK's SHA-256 digest
     * rather than taken from {@code javax.crypto.Mac}: the first use of {@code javax.crypto}
     * in a JVM reads and parses the JDK's cryptography policy files, some 50 ms of CPU in each
     * rank JVM and in the launcher, on cores the ranks need while they start. The digest
     * comes from the provider that {@link SecureRandom} has already started. Checked against
     * RFC 4231's test vectors and against {@code Mac} (JobSecretTest).
     */
    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        MessageDigest sha256 = sha256();
        byte[] block = Arrays.copyOf(key.length > BLOCK_BYTES ? sha256.digest(key) : key, BLOCK_BYTES);
        byte[] innerPad = new byte[BLOCK_BYTES];
        byte[] outerPad = new byte[BLOCK_BYTES];
        for (int i = 0; i < BLOCK_BYTES; i++) {
            innerPad[i] = (byte) (block[i] ^ 0x36);
            outerPad[i] = (byte) (block[i] ^ 0x5c);
        }
        sha256.update(innerPad);
        for (byte[] part : parts) {
            sha256.update(part);
        }
        byte[] inner = sha256.digest();
        sha256.update(outerPad);
        return sha256.digest(inner);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256: " + e.getMessage(), e);
        }
    }

    /** Whether {@code mac} is the secret's HMAC of the parts (in constant time: nothing to learn from timing). */
    boolean verifies(byte[] mac, byte[]... parts) {
        return MessageDigest.isEqual(mac(parts), mac);
    }

    @Override
    public String toString() {
        return "JobSecret[hidden]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobSecret secret && MessageDigest.isEqual(key, secret.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }
}
