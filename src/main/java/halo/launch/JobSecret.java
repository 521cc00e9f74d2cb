package halo.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
    private static final String HMAC = "HmacSHA256";
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
     * Sets up the JDK's HMAC now: its first use in a JVM takes about a tenth of a second (the
     * security providers start), which a thread that waits anyway (the rendezvous before the
     * first rank calls, a rank's relay before MPJ's hello) takes off the ranks' way.
     */
    void prepare() {
        mac();
    }

    /** HMAC-SHA256 keyed with the secret over the parts, each preceded by its length. */
    byte[] mac(byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            for (byte[] part : parts) {
                mac.update(new byte[] {(byte) (part.length >>> 24), (byte) (part.length >>> 16),
                    (byte) (part.length >>> 8), (byte) part.length});
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + HMAC + ": " + e.getMessage(), e);
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
