package io.edgetune.cloud.mqtt.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** Builds the TLS socket factory from the configured trust store (broker CA) and optional client key store. */
final class TlsSupport {

    private TlsSupport() {
    }

    static SSLSocketFactory socketFactory(ConnectionSettings s) {
        try {
            TrustManagerFactory tmf = null;
            if (!s.trustStorePath().isEmpty()) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(s.trustStorePath(), s.trustStorePassword()));
            }
            KeyManagerFactory kmf = null;
            if (!s.keyStorePath().isEmpty()) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(s.keyStorePath(), s.keyStorePassword()), s.keyStorePassword().toCharArray());
            }
            SSLContext ctx = SSLContext.getInstance(s.tlsProtocol());
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("TLS setup failed: " + e.getMessage(), e);
        }
    }

    /** PKCS#12 or JKS, detected by the KeyStore implementation. */
    private static KeyStore load(String path, String password) throws GeneralSecurityException, IOException {
        Path p = Path.of(path);
        if (!Files.isReadable(p)) {
            throw new IOException("key store " + path + " is not readable");
        }
        return KeyStore.getInstance(p.toFile(), password.toCharArray());
    }
}
