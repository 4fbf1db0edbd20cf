package io.edgetune.capture.internal;

import org.eclipse.kura.KuraException;
import org.eclipse.kura.crypto.CryptoService;

/**
 * Turns a Password attribute as the component receives it into the clear text.
 * On Kura, Password attributes arrive AES-encrypted and Kura's
 * {@link CryptoService} decrypts them; standalone there is no CryptoService and
 * the value is the password itself.
 */
final class KuraPasswords {

    private KuraPasswords() {
    }

    /**
     * The clear text of {@code value}; {@code attribute} names it in the error.
     *
     * @param crypto Kura's CryptoService, or null when running without Kura
     * @throws IllegalArgumentException when Kura cannot decrypt the value; the
     *         message never contains the value
     */
    static String reveal(String value, CryptoService crypto, String attribute) {
        if (value == null || value.isEmpty() || crypto == null) {
            return value == null ? "" : value;
        }
        char[] clear;
        try {
            clear = crypto.decryptAes(value.toCharArray());
        } catch (KuraException | RuntimeException e) {
            throw new IllegalArgumentException(attribute + " could not be decrypted by Kura's CryptoService ("
                    + e.getClass().getSimpleName() + "); enter the password again in Kura's web console", e);
        }
        if (clear == null) {
            throw new IllegalArgumentException(attribute + " could not be decrypted by Kura's CryptoService (no result)");
        }
        return new String(clear);
    }
}
