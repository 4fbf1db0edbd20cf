package io.edgetune.capture.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.frame.CameraStatus;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.eclipse.kura.KuraErrorCode;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.crypto.CryptoService;
import org.junit.Test;

/**
 * The camera's Password attribute as Kura delivers it (AES-encrypted, decrypted
 * with Kura's CryptoService) and as the standalone runtime delivers it (clear).
 */
public class CameraPasswordTest {

    private static final String RTSP = "rtsp://10.0.0.5:554/stream1";

    @Test
    public void anEncryptedPasswordReachesTheCameraUriDecrypted() throws Exception {
        AesCrypto kura = new AesCrypto();
        String encrypted = new String(kura.encryptAes("s3cret:/@pw".toCharArray()));
        assertNotEquals("s3cret:/@pw", encrypted);

        CameraComponent c = camera(kura, encrypted);
        assertEquals("rtsp://admin:s3cret%3A%2F%40pw@10.0.0.5:554/stream1", c.settings().decoderLocation());
        assertFalse("the password must not reach status or logs", c.status().source().contains("s3cret"));
        c.deactivate();
    }

    @Test
    public void withoutACryptoServiceThePasswordIsPlainText() {
        CameraComponent c = camera(null, "plain pw");
        assertEquals("rtsp://admin:plain%20pw@10.0.0.5:554/stream1", c.settings().decoderLocation());
        c.deactivate();
    }

    @Test
    public void aValueThatDoesNotDecryptIsAClearConfigurationErrorNotACrash() {
        CameraComponent c = camera(new AesCrypto(), "not-encrypted-by-kura");
        assertNull("no settings from an undecryptable password", c.settings());
        CameraStatus s = c.status();
        assertEquals(CameraStatus.State.STOPPED, s.state());
        assertTrue(s.message(), s.message().contains("source.password could not be decrypted by Kura's CryptoService"));
        assertFalse(s.message(), s.message().contains("not-encrypted-by-kura"));
        c.deactivate();
    }

    @Test
    public void aPasswordEncryptedWithAnotherKeyIsRefusedToo() throws Exception {
        String foreign = new String(new AesCrypto().encryptAes("pw".toCharArray()));
        CameraComponent c = camera(new AesCrypto(), foreign);
        assertNull(c.settings());
        assertTrue(c.status().message().contains("could not be decrypted"));
        c.deactivate();
    }

    @Test
    public void anEmptyPasswordNeedsNoDecryption() {
        CameraComponent c = camera(new AesCrypto(), "");
        assertEquals("rtsp://admin@10.0.0.5:554/stream1", c.settings().decoderLocation());
        c.deactivate();
    }

    /** A disabled camera: settings are built (and checked) but no stream is opened. */
    private static CameraComponent camera(CryptoService crypto, String password) {
        CameraComponent c = new CameraComponent();
        c.crypto = crypto;
        c.activate(CameraComponentTest.config(Map.of("camera_id", "gate", "source_uri", RTSP, "enabled", false,
                "source_username", "admin", "source_password", password)));
        return c;
    }

    /** AES-GCM with a random key, Base64 text: a CryptoService as Kura's behaves for Password attributes. */
    static final class AesCrypto implements CryptoService {
        private final SecretKey key;
        private final SecureRandom random = new SecureRandom();

        AesCrypto() {
            try {
                KeyGenerator g = KeyGenerator.getInstance("AES");
                g.init(128);
                key = g.generateKey();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public char[] encryptAes(char[] value) throws KuraException {
            try {
                byte[] iv = new byte[12];
                random.nextBytes(iv);
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
                byte[] sealed = cipher.doFinal(new String(value).getBytes(StandardCharsets.UTF_8));
                return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array())
                        .toCharArray();
            } catch (GeneralSecurityException e) {
                throw new KuraException(KuraErrorCode.ENCODE_ERROR, e);
            }
        }

        @Override
        public char[] decryptAes(char[] encryptedValue) throws KuraException {
            try {
                byte[] all = Base64.getDecoder().decode(new String(encryptedValue));
                if (all.length < 12 + 16) {
                    throw new KuraException(KuraErrorCode.DECODER_ERROR, "too short");
                }
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
                return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8).toCharArray();
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new KuraException(KuraErrorCode.DECODER_ERROR, e);
            }
        }

        // (Kura's stream methods; no @Override so that the test compiles with either shape of the subset)
        public OutputStream aesEncryptingStream(OutputStream destination) {
            throw new UnsupportedOperationException();
        }

        public InputStream aesDecryptingStream(InputStream source) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String encryptAes(String value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String decryptAes(String encryptedValue) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String hash(String s, String algorithm) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String encodeBase64(String stringValue) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String decodeBase64(String encodedValue) {
            throw new UnsupportedOperationException();
        }

        @Override
        public char[] getKeyStorePassword(String keyStorePath) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setKeyStorePassword(String keyStorePath, char[] password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setKeyStorePassword(String keyStorePath, String password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isFrameworkSecure() {
            return false;
        }
    }
}
