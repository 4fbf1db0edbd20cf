package io.edgetune.capture.internal;

import io.edgetune.api.frame.CameraService;
import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FrameListener;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.eclipse.kura.crypto.CryptoService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera per factory configuration. Its configuration properties,
 * camera.id among them, become properties of the CameraService it registers.
 * A changed configuration reactivates the component (no @Modified), which
 * reopens the source with the new settings.
 *
 * <p>On Kura the source.password attribute arrives AES-encrypted and is
 * decrypted with Kura's CryptoService; standalone, without that service, it is
 * clear text. The reference is static and greedy: should the CryptoService come
 * (or change) after the camera started, the camera is reactivated with the
 * password decrypted by it, without a framework restart.
 */
@Designate(ocd = CameraConfig.class, factory = true)
@Component(name = CameraComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {CameraService.class, ConfigurableComponent.class})
public class CameraComponent implements CameraService, ConfigurableComponent {

    public static final String PID = "io.edgetune.capture.Camera";

    private static final Logger LOG = LoggerFactory.getLogger(CameraComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    CryptoService crypto;

    private final List<Subscriber> listeners = new CopyOnWriteArrayList<>();
    private volatile CameraSettings settings;
    private volatile CameraRunner runner;
    private volatile String configError;

    private record Subscriber(FrameListener listener, String cameraFilter) {
    }

    @Reference(service = FrameListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addFrameListener(FrameListener listener, Map<String, Object> properties) {
        listeners.add(new Subscriber(listener, cameraFilter(properties.get(FrameListener.CAMERA_ID))));
    }

    void removeFrameListener(FrameListener listener) {
        listeners.removeIf(s -> s.listener() == listener);
    }

    /** camera.id may come as a String or a one-element array; empty means every camera. */
    static String cameraFilter(Object value) {
        if (value instanceof String[] array) {
            value = array.length > 0 ? array[0] : null;
        }
        String s = value == null ? "" : value.toString().trim();
        return s.isEmpty() ? null : s;
    }

    @Activate
    void activate(CameraConfig config) {
        try {
            settings = CameraSettings.from(config,
                    KuraPasswords.reveal(config.source_password(), crypto, "camera " + config.camera_id() + ": source.password"));
        } catch (IllegalArgumentException e) {
            // keep the component (and its console entry) so the user can fix the setting
            configError = e.getMessage();
            LOG.error("camera configuration rejected: {}", e.getMessage());
            return;
        }
        configError = null;
        if (!settings.enabled()) {
            LOG.info("camera {} is disabled", settings.cameraId());
            return;
        }
        CameraRunner r = new CameraRunner(settings, this::deliver);
        runner = r;
        r.start();
        LOG.info("camera {} started on {}", settings.cameraId(), settings.displayLocation());
    }

    @Deactivate
    void deactivate() {
        CameraRunner r = runner;
        runner = null;
        if (r != null) {
            r.stop();
        }
    }

    private void deliver(Frame frame) {
        String id = frame.cameraId();
        for (Subscriber s : listeners) {
            if (s.cameraFilter() != null && !s.cameraFilter().equals(id)) {
                continue;
            }
            try {
                s.listener().onFrame(frame);
            } catch (RuntimeException e) {
                LOG.warn("frame listener {} failed on {}", s.listener().getClass().getName(), frame, e);
            }
        }
    }

    /** The settings in use (null before a valid configuration); for tests. */
    CameraSettings settings() {
        return settings;
    }

    @Override
    public String cameraId() {
        CameraSettings s = settings;
        return s == null ? null : s.cameraId();
    }

    @Override
    public CameraStatus status() {
        CameraRunner r = runner;
        if (r != null) {
            return r.status();
        }
        CameraSettings s = settings;
        String msg = configError != null ? "configuration rejected: " + configError : "disabled";
        return new CameraStatus(s == null ? null : s.cameraId(), CameraStatus.State.STOPPED, msg,
                s == null ? null : s.displayLocation(), 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public String toString() {
        return "Camera[" + Objects.toString(cameraId(), "?") + "]";
    }
}
