package io.edgetune.annotator;

import java.util.Date;
import org.eclipse.kura.message.KuraPayload;

/** Sample payloads as the gateway's uploader builds them (docs/mqtt.md, "Samples"). */
final class Samples {

    private Samples() {
    }

    static KuraPayload payload(String camera, long seq, long ts, byte[] jpeg, String reason) {
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date(ts));
        p.addMetric("camera.id", camera);
        p.addMetric("frame.sequence", seq);
        p.addMetric("reason", reason);
        p.addMetric("width", RealAssets.WIDTH);
        p.addMetric("height", RealAssets.HEIGHT);
        p.addMetric("content.type", "image/jpeg");
        p.setBody(jpeg);
        return p;
    }
}
