package io.edgetune.modelpackage;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import io.edgetune.modelpackage.testing.Zips;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The format end to end on the real model: what the cloud side builds, the
 * gateway's gate lets through and unpacks to the same descriptor; tampered,
 * unsigned, foreign-signed, truncated and oversized packages are refused
 * with a message that says why, before anything is unpacked.
 */
public class ModelPackagesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final KeyPair signer = PackageSigning.generateKeyPair();
    private final PackageVerifier gateway = new PackageVerifier(PackageSigning.trustedKeyText(signer.getPublic()));

    private static Path assets() {
        return Path.of(System.getProperty("edgetune.assets", System.getProperty("user.home") + "/.cache/edgetune"));
    }

    private static byte[] realModel() throws IOException {
        return Files.readAllBytes(assets().resolve("ssd_mobilenetv2_oidv4_fp16.tflite"));
    }

    private static List<String> realLabels() throws IOException {
        return Files.readAllLines(assets().resolve("oidv4_labelmap.txt"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).map(String::trim).toList();
    }

    private static ModelDescriptor descriptor(String version) throws IOException {
        return new ModelDescriptor(version, null, realLabels(), 300, 300, "ssd-mobilenet-v2:300", "base-oidv4",
                Map.of("ap50", 0.61), 1_795_000_000_123L, false);
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.getRoot().toPath().resolve(name), bytes);
    }

    /** Gate, unpack, verify and read, as the gateway's registry does. */
    private ModelDescriptor install(Path pkg, long limit, PackageVerifier verifier) throws Exception {
        PackageGate.check(pkg, limit, verifier);
        Path stage = tmp.newFolder().toPath();
        ModelPackages.unpack(pkg, stage, limit);
        ModelDescriptor d = Manifest.read(stage);
        verifier.verify(stage, d.version());
        assertEquals("the model's hash is the manifest's", d.sha256(), PackageLayout.sha256(stage.resolve(PackageLayout.MODEL)));
        return d;
    }

    private static ModelException refused(ThrowingRunnable r) {
        try {
            r.run();
        } catch (ModelException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("refused with " + e + " instead of a ModelException", e);
        }
        throw new AssertionError("accepted");
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    public void aBuiltPackageRoundTripsToTheSameDescriptor() throws Exception {
        byte[] model = realModel();
        ModelDescriptor d = descriptor("plaza-7");
        byte[] pkg = ModelPackages.build(model, d, signer.getPrivate());
        assertArrayEquals("same inputs, same bytes", pkg, ModelPackages.build(model, d, signer.getPrivate()));
        assertEquals("plaza-7", ModelPackages.versionOf(pkg));

        ModelDescriptor read = install(file("plaza-7.zip", pkg), PackageLayout.MAX_PACKAGE_BYTES, gateway);
        ModelDescriptor expected = new ModelDescriptor("plaza-7", PackageLayout.sha256Hex(model), d.labels(), 300, 300,
                "ssd-mobilenet-v2:300", "base-oidv4", Map.of("ap50", 0.61), 1_795_000_000_123L, false);
        assertEquals(expected, read);
        assertEquals("a descriptor read back writes the same manifest bytes", new String(Zips.unzip(pkg).get(PackageLayout.MANIFEST),
                StandardCharsets.UTF_8), new String(Manifest.bytes(read), StandardCharsets.UTF_8));
    }

    @Test
    public void optionalBuildsTravelInThePackageNamedBySignedHashes() throws Exception {
        byte[] model = realModel();
        byte[] int8 = Arrays.copyOf(model, 4096); // stand-in bytes: the format does not look inside the builds
        byte[] tpu = Arrays.copyOfRange(model, 4096, 8192);
        byte[] pkg = ModelPackages.build(model, int8, tpu, descriptor("plaza-8"), signer.getPrivate());
        ModelDescriptor read = install(file("plaza-8.zip", pkg), PackageLayout.MAX_PACKAGE_BYTES, gateway);
        assertTrue("carrying an Edge TPU build marks the descriptor", read.edgeTpu());
        Map<String, byte[]> files = Zips.unzip(pkg);
        assertArrayEquals(int8, files.get(PackageLayout.INT8_MODEL));
        assertArrayEquals(tpu, files.get(PackageLayout.EDGETPU_MODEL));
        Builds builds = Manifest.builds(Manifest.parse(new String(files.get(PackageLayout.MANIFEST), StandardCharsets.UTF_8)));
        assertEquals(PackageLayout.sha256Hex(int8), builds.int8Sha256());
        assertEquals(PackageLayout.sha256Hex(tpu), builds.edgeTpuSha256());

        byte[] floatAndInt8 = ModelPackages.build(model, int8, null, descriptor("plaza-9"), signer.getPrivate());
        Builds only = Manifest.builds(Manifest.parse(new String(Zips.unzip(floatAndInt8).get(PackageLayout.MANIFEST),
                StandardCharsets.UTF_8)));
        assertEquals(new Builds(PackageLayout.sha256Hex(int8), null), only);
        try {
            ModelPackages.build(model, null, tpu, descriptor("plaza-10"), signer.getPrivate());
            fail("an Edge TPU build without its int8 source was packaged");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("compiled from the int8 build"));
        }
    }

    @Test
    public void theManifestHasTheWireLayout() throws Exception {
        ModelDescriptor d = new ModelDescriptor("v1", "AB".repeat(32), List.of("???", "Person"), 300, 300, null, null,
                Map.of("ap50", 0.5, "nan", Double.NaN), 42L, true);
        String json = new String(ModelPackages.manifest(d, d.sha256()), StandardCharsets.UTF_8);
        assertEquals("{\"version\":\"v1\",\"sha256\":\"" + "ab".repeat(32) + "\",\"labels\":[\"???\",\"Person\"],"
                + "\"inputWidth\":300,\"inputHeight\":300,\"anchors\":null,\"baseVersion\":null,\"metrics\":{\"ap50\":0.5},"
                + "\"createdMillis\":42,\"edgeTpu\":true}", json);
    }

    @Test
    public void aTamperedManifestIsRefusedBeforeUnpacking() throws Exception {
        Map<String, byte[]> files = Zips.unzip(ModelPackages.build(realModel(), descriptor("v2"), signer.getPrivate()));
        String manifest = new String(files.get(PackageLayout.MANIFEST), StandardCharsets.UTF_8);
        assertTrue(manifest, manifest.contains("\"ap50\":0.61"));
        files.put(PackageLayout.MANIFEST, manifest.replace("\"ap50\":0.61", "\"ap50\":0.99").getBytes(StandardCharsets.UTF_8));
        Path pkg = file("tampered.zip", Zips.zip(files));
        ModelException e = refused(() -> PackageGate.check(pkg, PackageLayout.MAX_PACKAGE_BYTES, gateway));
        assertTrue(e.getMessage(), e.getMessage().contains("tampered.zip has a signature that does not match the trusted key"));
    }

    @Test
    public void aSwappedModelFailsItsHashEvenWithAGoodSignature() throws Exception {
        Map<String, byte[]> files = Zips.unzip(ModelPackages.build(realModel(), descriptor("v3"), signer.getPrivate()));
        byte[] other = files.get(PackageLayout.MODEL).clone();
        other[other.length / 2] ^= 1;
        files.put(PackageLayout.MODEL, other);
        Path pkg = file("swapped.zip", Zips.zip(files));
        PackageGate.check(pkg, PackageLayout.MAX_PACKAGE_BYTES, gateway); // the signature covers the manifest, which is intact
        Path stage = tmp.newFolder().toPath();
        ModelPackages.unpack(pkg, stage, PackageLayout.MAX_PACKAGE_BYTES);
        assertFalse("the manifest's hash no longer names the model",
                Manifest.read(stage).sha256().equals(PackageLayout.sha256(stage.resolve(PackageLayout.MODEL))));
    }

    @Test
    public void unsignedAndForeignSignedPackagesAreRefusedWhenAKeyIsTrusted() throws Exception {
        byte[] model = realModel();
        Path unsigned = file("unsigned.zip", ModelPackages.build(model, descriptor("v4"), null));
        ModelException e = refused(() -> PackageGate.check(unsigned, PackageLayout.MAX_PACKAGE_BYTES, gateway));
        assertEquals("model package unsigned.zip is unsigned but a trusted key is configured", e.getMessage());

        Path foreign = file("foreign.zip", ModelPackages.build(model, descriptor("v5"), PackageSigning.generateKeyPair().getPrivate()));
        e = refused(() -> PackageGate.check(foreign, PackageLayout.MAX_PACKAGE_BYTES, gateway));
        assertTrue(e.getMessage(), e.getMessage().contains("does not match the trusted key"));

        // a development gateway (no trusted key) takes the unsigned package
        assertEquals("v4", install(unsigned, PackageLayout.MAX_PACKAGE_BYTES, new PackageVerifier("")).version());
    }

    @Test
    public void aSignatureThatIsNotBase64IsRefusedAsUnreadable() throws Exception {
        Map<String, byte[]> files = Zips.unzip(ModelPackages.build(new byte[] {1, 2, 3}, descriptor("v6"), signer.getPrivate()));
        files.put(PackageLayout.SIGNATURE, "not*base64!".getBytes(StandardCharsets.US_ASCII));
        Path pkg = file("garbled.zip", Zips.zip(files));
        ModelException e = refused(() -> PackageGate.check(pkg, PackageLayout.MAX_PACKAGE_BYTES, gateway));
        assertTrue(e.getMessage(), e.getMessage().contains("signature unreadable"));
    }

    @Test
    public void aTruncatedPackageIsRefusedAsNotAValidZip() throws Exception {
        byte[] pkg = ModelPackages.build(realModel(), descriptor("v7"), signer.getPrivate());
        Path cut = file("cut.zip", Arrays.copyOf(pkg, pkg.length / 2));
        ModelException e = refused(() -> PackageGate.check(cut, PackageLayout.MAX_PACKAGE_BYTES, gateway));
        assertTrue(e.getMessage(), e.getMessage().startsWith("model package cut.zip is not a valid zip"));
    }

    @Test
    public void oversizedPackagesAreRefusedOnSizeAndOnDeclaredSize() throws Exception {
        byte[] model = realModel();
        Path pkg = file("big.zip", ModelPackages.build(model, descriptor("v8"), signer.getPrivate()));
        long onDisk = Files.size(pkg);
        ModelException e = refused(() -> PackageGate.check(pkg, onDisk - 1, gateway));
        assertEquals("model package big.zip is " + onDisk + " bytes, over the limit of " + (onDisk - 1), e.getMessage());

        // small on disk, but what the zip directory declares would unpack past the limit
        long limit = onDisk + 1;
        assertTrue("the model deflates", model.length > limit);
        e = refused(() -> PackageGate.check(pkg, limit, gateway));
        assertEquals("model package big.zip would unpack to more than " + limit + " bytes", e.getMessage());

        // and unpacking itself stops at the limit whatever the headers say
        Path stage = tmp.newFolder().toPath();
        try {
            ModelPackages.unpack(pkg, stage, limit);
            fail("unpacked past the limit");
        } catch (IOException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("model package larger than"));
        }
    }

    @Test
    public void manifestsAreReadWithinBounds() throws Exception {
        byte[] deep = ("{\"version\":" + "[".repeat(65) + "]".repeat(65) + "}").getBytes(StandardCharsets.UTF_8);
        Path pkg = file("deep.zip", Zips.zip(Map.of(PackageLayout.MANIFEST, deep, PackageLayout.SIGNATURE,
                PackageSigning.sign(deep, signer.getPrivate()).getBytes(StandardCharsets.US_ASCII), PackageLayout.MODEL, new byte[8])));
        ModelException e = refused(() -> install(pkg, PackageLayout.MAX_PACKAGE_BYTES, gateway));
        assertTrue(e.getMessage(), e.getMessage().contains("nested deeper than 64 levels"));
        // 64 levels are fine
        assertEquals(1, Manifest.parse("{\"a\":" + "[".repeat(63) + "]".repeat(63) + "}").size());

        for (String bad : new String[] {"", "[]", "{\"version\":\"v\"} {}", "{\"version\":NaN}", "{'version':'v'}"}) {
            try {
                Manifest.parse(bad);
                fail("parsed " + bad);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().startsWith("JSON: "));
            }
        }

        Path dir = tmp.newFolder().toPath();
        byte[] huge = new byte[Manifest.MAX_BYTES + 1];
        Arrays.fill(huge, (byte) ' ');
        Files.write(dir.resolve(PackageLayout.MANIFEST), huge);
        e = refused(() -> Manifest.read(dir));
        assertEquals("manifest.json is larger than " + Manifest.MAX_BYTES + " bytes", e.getMessage());

        Path bigEntry = file("big-manifest.zip", Zips.zip(Map.of(PackageLayout.MANIFEST, huge)));
        e = refused(() -> PackageGate.check(bigEntry, PackageLayout.MAX_PACKAGE_BYTES, new PackageVerifier(null)));
        assertTrue(e.getMessage(), e.getMessage().contains("manifest.json is larger than"));
    }

    @Test
    public void aManifestWithoutLabelsTakesThemFromLabelsTxtAndABadVersionIsRefused() throws Exception {
        Path dir = tmp.newFolder().toPath();
        Files.writeString(dir.resolve(PackageLayout.MANIFEST), "{\"version\":\"local-1\",\"inputWidth\":320}");
        Files.writeString(dir.resolve(PackageLayout.LABELS), "???\nPerson\n\n");
        ModelDescriptor d = Manifest.read(dir);
        assertEquals(List.of("???", "Person"), d.labels());
        assertEquals("height defaults to the width", 320, d.inputHeight());
        assertEquals(PackageLayout.DEFAULT_ANCHORS, d.anchors());

        Files.writeString(dir.resolve(PackageLayout.MANIFEST), "{\"version\":\"../etc\",\"labels\":[\"a\"]}");
        ModelException e = refused(() -> Manifest.read(dir));
        assertTrue(e.getMessage(), e.getMessage().contains("'version' missing or not a plain name"));
    }

    @Test
    public void keysRoundTripInEveryFormTheGatewayAccepts() {
        KeyPair kp = PackageSigning.generateKeyPair();
        assertArrayEquals(kp.getPrivate().getEncoded(),
                PackageSigning.privateKey(PackageSigning.privateKeyPem(kp.getPrivate())).getEncoded());
        assertArrayEquals(kp.getPublic().getEncoded(), PackageSigning.publicKey(kp.getPrivate()).getEncoded());
        byte[] spki = kp.getPublic().getEncoded();
        String raw = Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        assertArrayEquals(spki, PackageSigning.publicKey(raw).getEncoded());
        byte[] data = "manifest".getBytes(StandardCharsets.UTF_8);
        assertTrue(PackageSigning.verifies(data, PackageSigning.sign(data, kp.getPrivate()), PackageSigning.publicKey(raw)));
        assertFalse(PackageSigning.verifies(data, PackageSigning.sign(data, signer.getPrivate()), kp.getPublic()));
        try {
            new PackageVerifier("bm90IGEga2V5");
            fail("took a non-key as the trusted key");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("not a base64 Ed25519 key"));
        }
    }
}
