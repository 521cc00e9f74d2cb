package halo.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The job secret's HMAC-SHA256, built on the JDK's SHA-256, against RFC 4231 and against {@code javax.crypto.Mac}. */
class JobSecretTest {

    private static final HexFormat HEX = HexFormat.of();

    /** RFC 4231, test cases 1, 2, 3 and 6 (keys shorter than, and longer than, SHA-256's block). */
    @ParameterizedTest
    @CsvSource({
        "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b, 4869205468657265,"
                + " b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        "4a656665, 7768617420646f2079612077616e7420666f72206e6f7468696e673f,"
                + " 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, "
                + "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd,"
                + " 773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d20"
                + "48617368204b6579204669727374, 60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    })
    void matchesRfc4231(String key, String data, String expected) {
        assertEquals(expected, HEX.formatHex(JobSecret.hmacSha256(HEX.parseHex(key), HEX.parseHex(data))));
    }

    @Test
    void matchesTheJdksMacForKeysOfEveryLengthAroundTheBlockAndDataInParts() throws Exception {
        SplittableRandom random = new SplittableRandom(4231);
        for (int keyLength = 1; keyLength <= 130; keyLength++) { // SecretKeySpec refuses an empty key
            byte[] key = bytes(random, keyLength);
            byte[][] parts = {bytes(random, random.nextInt(200)), bytes(random, 0), bytes(random, random.nextInt(70))};
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            assertArrayEquals(mac.doFinal(), JobSecret.hmacSha256(key, parts), "key of " + keyLength + " bytes");
        }
    }

    /** What travels between ranks and the rendezvous: each part preceded by its length, keyed with the secret. */
    @Test
    void aSecretsMacFramesEachPartWithItsLength() throws Exception {
        JobSecret secret = JobSecret.generate();
        byte[] label = "check-in".getBytes(StandardCharsets.US_ASCII);
        byte[] nonce = bytes(new SplittableRandom(7), 32);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HEX.parseHex(secret.hex()), "HmacSHA256"));
        for (byte[] part : new byte[][] {label, nonce}) {
            mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array());
            mac.update(part);
        }
        byte[] expected = mac.doFinal();
        assertArrayEquals(expected, secret.mac(label, nonce));
        assertTrue(secret.verifies(expected, label, nonce));
        assertFalse(secret.verifies(expected, nonce, label));
        byte[] tampered = expected.clone();
        tampered[31] ^= 1;
        assertFalse(secret.verifies(tampered, label, nonce));
        assertFalse(JobSecret.generate().verifies(expected, label, nonce));
    }

    @Test
    void parsesOnlyWhatHexWrites() {
        JobSecret secret = JobSecret.generate();
        assertEquals(secret, JobSecret.parse(secret.hex()));
        assertEquals(secret, JobSecret.parse(" " + secret.hex().toUpperCase() + "\n"));
        assertNull(JobSecret.parse(secret.hex().substring(1)));
        assertNull(JobSecret.parse(secret.hex().replace(secret.hex().charAt(0), 'g')));
        assertNull(JobSecret.parse(null));
        assertFalse(secret.toString().contains(secret.hex()));
    }

    private static byte[] bytes(SplittableRandom random, int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
