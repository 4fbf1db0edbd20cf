package io.edgetune.model.delivery;

import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.frame.CameraService;
import io.edgetune.api.model.ModelRegistry;
import io.edgetune.api.motion.MotionService;
import io.edgetune.api.upload.SamplingService;
import io.edgetune.cloud.mqtt.internal.ConnectionSettings;
import io.edgetune.cloud.mqtt.internal.MqttCloudConnection;
import io.edgetune.cloud.mqtt.testing.KuraLikeDispatcher;
import io.edgetune.commands.internal.DeliverySettings;
import io.edgetune.commands.internal.EdgeTuneRequestHandler;
import io.edgetune.commands.internal.SnapshotSource;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.internal.FileModelRegistry;
import io.edgetune.inference.internal.SharedDetector;
import io.edgetune.modelpackage.PackageVerifier;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway end as it runs on a device: the real cloud connection, the real
 * EDGETUNE-V1 handler and the real model registry with the TFLite detector,
 * trusting one Ed25519 key. {@link #restart()} is a gateway restart: a new
 * connection and handler on the same disk.
 */
/** The gateway's side of model delivery: the real handler and model registry behind the standalone or a Kura-like dispatcher. */
final class GatewaySide implements AutoCloseable, EdgeTuneRequestHandler.Services {

    static final String ACCOUNT = "edgetune";
    static final String GATEWAY = "pi-1";

    final Path root;
    final DeliverySettings delivery;
    final SharedDetector detector;
    final FileModelRegistry registry;
    private final String brokerUrl;
    private MqttCloudConnection connection;
    private KuraLikeDispatcher kura;
    private EdgeTuneRequestHandler handler;
    /** Serve requests through a dispatcher that behaves like Kura's instead of the standalone connection. */
    volatile boolean kuraLike;

    GatewaySide(Path root, String brokerUrl, String trustedKey, DeliverySettings delivery) throws Exception {
        this(root, brokerUrl, trustedKey, delivery, false);
    }

    GatewaySide(Path root, String brokerUrl, String trustedKey, DeliverySettings delivery, boolean kuraLike) throws Exception {
        this.kuraLike = kuraLike;
        this.root = root;
        this.brokerUrl = brokerUrl;
        this.delivery = delivery.withUploadDir(root.resolve("partial"));
        detector = new SharedDetector("javacpp", EngineOptions.cpu(2), DetectorSettings.defaults());
        registry = new FileModelRegistry(root.resolve("models"), new PackageVerifier(trustedKey), detector);
        registry.seedIfEmpty(Assets.dir());
        registry.activateAtStartup().orElseThrow();
        start();
    }

    synchronized void start() throws Exception {
        handler = new EdgeTuneRequestHandler(this, 5000, 0.9f, delivery);
        if (kuraLike) {
            kura = new KuraLikeDispatcher(brokerUrl, ACCOUNT, GATEWAY);
            kura.registerRequestHandler(EdgeTuneRequestHandler.APP_ID, handler);
            return;
        }
        connection = new MqttCloudConnection(ConnectionSettings.from(Map.of("broker.url", brokerUrl, "account.name", ACCOUNT,
                "client.id", GATEWAY, "reconnect.min.delay.ms", 100, "reconnect.max.delay.ms", 500)),
                root.resolve("outbox"), "test");
        connection.registerRequestHandler(EdgeTuneRequestHandler.APP_ID, handler);
        connection.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!connection.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!connection.isConnected()) {
            throw new AssertionError("gateway did not connect to " + brokerUrl);
        }
    }

    synchronized void stop() {
        if (connection != null) {
            connection.stop(3000);
            connection = null;
        }
        if (kura != null) {
            try {
                kura.close();
            } catch (Exception e) {
                // broker gone already
            }
            kura = null;
        }
        if (handler != null) {
            handler.close();
            handler = null;
        }
    }

    /** The model the detector runs right now. */
    String runningModel() {
        return detector.status(0, 0).modelVersion();
    }

    Path partialUploads() {
        return delivery.uploadDir();
    }

    @Override
    public void close() {
        stop();
        detector.close();
    }

    @Override
    public ModelRegistry modelRegistry() {
        return registry;
    }

    @Override
    public MotionService motionService() {
        return null;
    }

    @Override
    public DetectorService detectorService() {
        return null;
    }

    @Override
    public Collection<CameraService> cameras() {
        return List.of();
    }

    @Override
    public SamplingService samplingService() {
        return null;
    }

    @Override
    public SnapshotSource snapshots() {
        return null;
    }

    @Override
    public Path workDirectory() {
        return root.resolve("work");
    }
}
