package org.eclipse.kura.crypto;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.BadPaddingException;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import org.eclipse.kura.KuraException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Kura's AES and hashing service, with Kura's signatures. On a gateway,
 * Password attributes reach components encrypted with it; EdgeTune only
 * calls {@link #decryptAes(char[])}. Provided by Kura, never by EdgeTune.
 */
@ProviderType
public interface CryptoService {

    char[] encryptAes(char[] value) throws KuraException;

    char[] decryptAes(char[] encryptedValue) throws KuraException;

    @Deprecated
    String encryptAes(String value) throws NoSuchAlgorithmException, NoSuchPaddingException, InvalidKeyException,
            IllegalBlockSizeException, BadPaddingException;

    @Deprecated
    String decryptAes(String encryptedValue) throws NoSuchAlgorithmException, NoSuchPaddingException,
            InvalidKeyException, IOException, IllegalBlockSizeException, BadPaddingException;

    default String sha1Hash(String s) throws NoSuchAlgorithmException, UnsupportedEncodingException {
        return hash(s, "SHA-1");
    }

    default String sha256Hash(String s) throws NoSuchAlgorithmException, UnsupportedEncodingException {
        return hash(s, "SHA-256");
    }

    String hash(String s, String algorithm) throws NoSuchAlgorithmException, UnsupportedEncodingException;

    String encodeBase64(String stringValue) throws NoSuchAlgorithmException, UnsupportedEncodingException;

    String decodeBase64(String encodedValue) throws NoSuchAlgorithmException, UnsupportedEncodingException;

    char[] getKeyStorePassword(String keyStorePath);

    void setKeyStorePassword(String keyStorePath, char[] password) throws KuraException;

    @Deprecated
    void setKeyStorePassword(String keyStorePath, String password) throws IOException;

    boolean isFrameworkSecure();
}
