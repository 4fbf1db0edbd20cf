package io.edgetune.inference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.internal.FileModelRegistry;
import io.edgetune.modelpackage.PackageLayout;
import io.edgetune.modelpackage.PackageVerifier;
import io.edgetune.inference.internal.SharedDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ModelRegistryTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private SharedDetector detector;
    private FramePool pool;

    @Before
    public void setUp() {
        detector = new SharedDetector("javacpp", EngineOptions.cpu(2), DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME));
        pool = new FramePool(2, TestAssets.WIDTH, TestAssets.HEIGHT);
    }

    @After
    public void tearDown() {
        detector.close();
    }

    private FileModelRegistry registry(String trustedKey) throws Exception {
        FileModelRegistry r = new FileModelRegistry(tmp.getRoot().toPath().resolve("models"), new PackageVerifier(trustedKey), detector);
        r.seedIfEmpty(TestAssets.dir());
        return r;
    }

    private Detections detectFrame300() throws Exception {
        Frame f = TestAssets.frame(pool, "cam", 300, TestAssets.frames(300).get(300));
        try {
            return detector.detect(f, List.of());
        } finally {
            f.release();
        }
    }

    @Test
    public void seedsInstallsActivatesAndRollsBack() throws Exception {
        FileModelRegistry r = registry(null);
        assertEquals("base-oidv4", r.activeVersion().orElseThrow());
        assertEquals(PackageLayout.sha256(TestAssets.model()), r.active().orElseThrow().sha256());
        assertEquals(24, r.active().orElseThrow().labels().size());
        assertTrue(r.activateAtStartup().isPresent());
        assertEquals("base-oidv4", detectFrame300().modelVersion());

        Path pkg = Packages.zip(Packages.directory(tmp.newFolder("v2pkg").toPath(), "v2", Packages.realModel(), null, null),
                tmp.getRoot().toPath().resolve("v2.zip"));
        ModelDescriptor v2 = r.install(pkg);
        assertEquals("v2", v2.version());
        assertEquals("base-oidv4", r.activeVersion().orElseThrow());
        assertEquals(0.5, v2.metrics().get("ap50"), 1e-9);
        assertTrue(Files.isRegularFile(r.versionDir("v2").resolve(PackageLayout.MODEL)));

        r.activate("v2");
        assertEquals("v2", detectFrame300().modelVersion());
        assertEquals(List.of("base-oidv4"), r.history());
        assertEquals(2, r.list().size());

        r.rollback();
        assertEquals("base-oidv4", r.activeVersion().orElseThrow());
        assertEquals("base-oidv4", detectFrame300().modelVersion());
        try {
            r.rollback();
            fail("nothing left to roll back to");
        } catch (ModelException expected) {
            assertTrue(expected.getMessage().contains("no previous"));
        }
        // state survives a restart
        FileModelRegistry again = registry(null);
        assertEquals("base-oidv4", again.activeVersion().orElseThrow());
        try {
            r.install(pkg);
            fail("same version twice");
        } catch (ModelException expected) {
            assertTrue(expected.getMessage().contains("already installed"));
        }
    }

    @Test
    public void corruptOrTruncatedModelsAreRejectedWhileTheOldOneKeepsServing() throws Exception {
        FileModelRegistry r = registry(null);
        r.activateAtStartup();
        byte[] model = Packages.realModel();
        int before = detectFrame300().detections().size();

        // truncated, with a manifest that matches the truncated bytes (so only the model check can catch it)
        byte[] truncated = Arrays.copyOf(model, model.length / 2);
        Path p1 = Packages.directory(tmp.newFolder("trunc").toPath(), "truncated", truncated, null, null);
        ModelException e1 = expectInstallFailure(r, p1);
        assertTrue(e1.getMessage(), e1.getMessage().contains("not a valid TFLite flatbuffer"));

        // garbage
        byte[] garbage = new byte[4096];
        new java.util.Random(1).nextBytes(garbage);
        ModelException e2 = expectInstallFailure(r, Packages.directory(tmp.newFolder("garbage").toPath(), "garbage", garbage, null, null));
        assertTrue(e2.getMessage(), e2.getMessage().contains("rejected"));

        // a good model whose bytes changed after the manifest was written
        byte[] flipped = model.clone();
        flipped[flipped.length / 3] ^= 0x55;
        ModelException e3 = expectInstallFailure(r, Packages.directory(tmp.newFolder("flip").toPath(), "flipped", flipped,
                PackageLayout.sha256(TestAssets.model()), null));
        assertTrue(e3.getMessage(), e3.getMessage().contains("SHA-256"));

        // damage on disk after install: activation refuses it, the running model stays
        r.install(Packages.directory(tmp.newFolder("v3").toPath(), "v3", model, null, null));
        Files.write(r.versionDir("v3").resolve(PackageLayout.MODEL), truncated);
        try {
            r.activate("v3");
            fail("damaged version activated");
        } catch (ModelException expected) {
            assertTrue(expected.getMessage().contains("corrupt or truncated"));
        }
        Detections after = detectFrame300();
        assertEquals("base-oidv4", after.modelVersion());
        assertEquals(before, after.detections().size());
        assertEquals("base-oidv4", r.activeVersion().orElseThrow());
        assertFalse(Files.exists(r.versionDir("truncated")));
    }

    @Test
    public void withATrustedKeyOnlyCorrectlySignedPackagesAreAccepted() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        KeyPair trusted = g.generateKeyPair();
        KeyPair other = g.generateKeyPair();
        String key = Base64.getEncoder().encodeToString(trusted.getPublic().getEncoded());
        FileModelRegistry r = registry(key);
        byte[] model = Packages.realModel();

        ModelException unsigned = expectInstallFailure(r, Packages.directory(tmp.newFolder("u").toPath(), "unsigned", model, null, null));
        assertTrue(unsigned.getMessage(), unsigned.getMessage().contains("unsigned"));
        ModelException wrong = expectInstallFailure(r, Packages.directory(tmp.newFolder("w").toPath(), "wrongkey", model, null, other.getPrivate()));
        assertTrue(wrong.getMessage(), wrong.getMessage().contains("does not match"));

        // signed correctly but the manifest edited afterwards
        Path tampered = Packages.directory(tmp.newFolder("t").toPath(), "tampered", model, null, trusted.getPrivate());
        String text = Files.readString(tampered.resolve(PackageLayout.MANIFEST));
        Files.writeString(tampered.resolve(PackageLayout.MANIFEST), text.replace("\"ap50\":0.5", "\"ap50\":0.9"));
        expectInstallFailure(r, tampered);

        ModelDescriptor ok = r.install(Packages.directory(tmp.newFolder("s").toPath(), "signed", model, null, trusted.getPrivate()));
        assertEquals("signed", ok.version());

        // the raw 32-byte form of the key is accepted too
        byte[] spki = trusted.getPublic().getEncoded();
        String raw = Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        assertTrue(new PackageVerifier(raw).hasTrustedKey());
    }

    private static ModelException expectInstallFailure(FileModelRegistry r, Path pkg) {
        try {
            r.install(pkg);
        } catch (ModelException e) {
            return e;
        }
        throw new AssertionError("package " + pkg + " was accepted");
    }
}
