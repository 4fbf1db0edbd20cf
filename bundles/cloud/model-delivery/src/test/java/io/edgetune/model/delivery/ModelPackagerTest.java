package io.edgetune.model.delivery;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.modelpackage.PackageSigning;
import io.edgetune.modelpackage.testing.Zips;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ModelPackagerTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void keysRoundTripAndTheDerivedPublicKeyIsTheGatewaysTrustedKey() throws Exception {
        KeyPair kp = ModelPackager.generateKeyPair();
        PrivateKey fromPem = ModelPackager.privateKey(ModelPackager.privateKeyPem(kp.getPrivate()));
        PrivateKey fromBase64 = ModelPackager.privateKey(Base64.getEncoder().encodeToString(kp.getPrivate().getEncoded()));
        assertArrayEquals(kp.getPrivate().getEncoded(), fromPem.getEncoded());
        assertArrayEquals(kp.getPrivate().getEncoded(), fromBase64.getEncoded());

        PublicKey derived = ModelPackager.publicKey(fromPem);
        assertArrayEquals(kp.getPublic().getEncoded(), derived.getEncoded());
        String trusted = ModelPackager.trustedKeyText(fromPem);
        assertArrayEquals(kp.getPublic().getEncoded(), PackageSigning.publicKey(trusted).getEncoded());

        // what the packager signs, the gateway's key verifies
        byte[] data = "manifest".getBytes(StandardCharsets.UTF_8);
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(PackageSigning.publicKey(trusted));
        v.update(data);
        assertTrue(v.verify(Base64.getDecoder().decode(ModelPackager.sign(data, fromBase64))));

        for (String junk : new String[] {"", "bm90IGEga2V5", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"}) {
            try {
                ModelPackager.privateKey(junk);
                fail("accepted " + junk);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("key"));
            }
        }
    }

    @Test
    public void readsKeysWrittenByOpenssl() throws Exception {
        Path pem = tmp.getRoot().toPath().resolve("signing.pem");
        Path pub = tmp.getRoot().toPath().resolve("public.der");
        Process gen;
        try {
            gen = new ProcessBuilder("openssl", "genpkey", "-algorithm", "ed25519", "-out", pem.toString()).inheritIO().start();
        } catch (java.io.IOException noOpenssl) {
            // as the MQTT tests do with mosquitto: install it rather than skip
            Process apt = new ProcessBuilder("apt-get", "install", "-y", "-q", "openssl").inheritIO().start();
            assertEquals("openssl is not installed and 'apt-get install -y openssl' failed", 0, apt.waitFor());
            gen = new ProcessBuilder("openssl", "genpkey", "-algorithm", "ed25519", "-out", pem.toString()).inheritIO().start();
        }
        assertEquals(0, gen.waitFor());
        Process export = new ProcessBuilder("openssl", "pkey", "-in", pem.toString(), "-pubout", "-outform", "DER", "-out", pub.toString())
                .inheritIO().start();
        assertEquals(0, export.waitFor());
        PrivateKey key = ModelPackager.privateKey(Files.readString(pem));
        assertEquals(Base64.getEncoder().encodeToString(Files.readAllBytes(pub)), ModelPackager.trustedKeyText(key));
    }

    @Test
    public void packagesAreSignedDeterministicAndNameTheirModel() throws Exception {
        KeyPair kp = ModelPackager.generateKeyPair();
        byte[] model = Assets.model();
        ModelDescriptor d = new ModelDescriptor("plaza-2026-11-22", null, Assets.labels(), 300, 300, "ssd-mobilenet-v2:300", "base-oidv4",
                Map.of("ap50", 0.61), 1_795_000_000_000L, false);
        byte[] pkg = ModelPackager.build(model, d, kp.getPrivate());
        assertArrayEquals("same inputs, same bytes", pkg, ModelPackager.build(model, d, kp.getPrivate()));
        assertEquals("plaza-2026-11-22", ModelPackager.versionOf(pkg));
        assertTrue("the model deflates a little: " + pkg.length, pkg.length < model.length);

        Map<String, byte[]> files = Zips.unzip(pkg);
        assertEquals(List.of("manifest.json", "manifest.sig", "model.tflite"), List.copyOf(files.keySet()));
        assertArrayEquals(model, files.get("model.tflite"));
        String manifest = new String(files.get("manifest.json"), StandardCharsets.UTF_8);
        assertTrue(manifest, manifest.contains("\"sha256\":\"" + ModelPackager.sha256Hex(model) + "\""));
        assertTrue(manifest, manifest.contains("\"labels\":[\"???\","));
        assertTrue(manifest, manifest.contains("\"metrics\":{\"ap50\":0.61}"));
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(kp.getPublic());
        v.update(files.get("manifest.json"));
        assertTrue(v.verify(Base64.getDecoder().decode(files.get("manifest.sig"))));

        assertEquals(List.of("manifest.json", "model.tflite"), List.copyOf(Zips.unzip(ModelPackager.build(model, d, null)).keySet()));
        assertEquals(null, ModelPackager.versionOf(new byte[] {1, 2, 3}));
    }

    @Test
    public void descriptorsTheGatewayWouldRefuseAreRefusedHere() throws Exception {
        KeyPair kp = ModelPackager.generateKeyPair();
        byte[] model = {1, 2, 3, 4};
        List<ModelDescriptor> bad = List.of(
                new ModelDescriptor("a/b", null, List.of("???", "Person"), 300, 300, null, null, Map.of(), 0, false),
                new ModelDescriptor("", null, List.of("???", "Person"), 300, 300, null, null, Map.of(), 0, false),
                new ModelDescriptor("v1", null, List.of(), 300, 300, null, null, Map.of(), 0, false),
                new ModelDescriptor("v1", "00".repeat(32), List.of("???"), 300, 300, null, null, Map.of(), 0, false));
        for (ModelDescriptor d : bad) {
            try {
                ModelPackager.build(model, d, kp.getPrivate());
                fail("packaged " + d);
            } catch (IllegalArgumentException expected) {
                // the message names the problem
                assertTrue(expected.getMessage(), expected.getMessage().length() > 10);
            }
        }
        // labels with quotes and control characters survive as JSON
        byte[] m = ModelPackager.manifest(new ModelDescriptor("v1", null, List.of("a\"b", "c\\d\n"), 1, 1, null, null,
                Map.of("nan", Double.NaN), 0, false), "ab".repeat(32));
        String json = new String(m, StandardCharsets.UTF_8);
        assertTrue(json, json.contains("[\"a\\\"b\",\"c\\\\d\\n\"]") && json.contains("\"metrics\":{}"));
    }
}
