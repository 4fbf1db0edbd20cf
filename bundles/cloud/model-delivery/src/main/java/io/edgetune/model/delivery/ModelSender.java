package io.edgetune.model.delivery;

import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.cloud.mqtt.codec.KuraTopics;
import io.edgetune.cloud.mqtt.codec.KuraTopics.Verb;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.paho.client.mqttv3.IMqttClient;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers model packages to gateways over EDGETUNE-V1 requests (docs/mqtt.md
 * section 6) through an MQTT client the caller owns and keeps connected.
 *
 * <p>A package goes as {@code POST models/upload/{id}} chunks, each with its
 * SHA-256, then {@code EXEC models/upload/{id}/commit}. The upload id is
 * derived from the package's hash, so a delivery that was cut off (broker
 * outage, gateway or bundle restart, a sender restart) continues where the
 * gateway's {@code GET models/upload/{id}} says it stopped. Every request has a
 * timeout; failed requests are retried with a growing pause, and the whole
 * delivery is bounded by {@link Options#deadline()} and can be cancelled.
 *
 * <p>Replies arrive on {@code $EDC/{account}/{client id}/EDGETUNE-V1/REPLY/#},
 * which the sender subscribes to itself with its own message listener (QoS 1),
 * again after every failed request since a broker restart may have dropped
 * the subscription. Blocking: call it on a worker thread. Thread safe; several
 * deliveries (to different gateways) may run at once.
 *
 * <p>A request counts as delivered when its reply comes, PUBACK or not; one
 * with neither within its timeout is a failed request like any other. Hand
 * it a client used for requests only (bulk traffic on the same connection
 * delays the replies and, on Moquette, can cost PUBACKs) with a bounded time
 * to wait ({@code MqttClient.setTimeToWait}): subscribing waits for a SUBACK.
 * An {@code MqttClient} without one gets the request timeout.
 *
 * <p>Replies are judged as Kura's dispatcher delivers them: by
 * {@code response.code} and named metrics ({@code not.found}, {@code received},
 * {@code versions}, {@code operation.*}), never by the text of a message or
 * body. A reply without a code counts as a failure.
 */
public final class ModelSender implements AutoCloseable {

    public static final String APP_ID = "EDGETUNE-V1";
    /** Reply metric of a 404: what is missing (upload, service, operation, ...). */
    private static final String NOT_FOUND = "not.found";
    private static final Logger LOG = LoggerFactory.getLogger(ModelSender.class);

    /**
     * @param chunkBytes     bytes per chunk; at most the gateway's {@code upload.chunk.max.bytes}
     * @param requestTimeout how long one chunk or status request waits for its reply
     * @param commitTimeout  how long the commit (and a URL install) waits: the gateway verifies and test-loads the model
     * @param maxRetries     failed requests in a row before the delivery gives up
     * @param deadline       the whole delivery
     */
    public record Options(int chunkBytes, Duration requestTimeout, Duration commitTimeout, int maxRetries, Duration deadline) {
        public Options {
            if (chunkBytes < 1024 || chunkBytes > (16 << 20)) {
                throw new IllegalArgumentException("chunkBytes must be 1 KiB .. 16 MiB: " + chunkBytes);
            }
            if (requestTimeout.toMillis() < 1 || commitTimeout.toMillis() < 1 || deadline.toMillis() < 1 || maxRetries < 0) {
                throw new IllegalArgumentException("timeouts must be positive and maxRetries not negative");
            }
        }

        public static Options defaults() {
            return new Options(256 * 1024, Duration.ofSeconds(20), Duration.ofMinutes(2), 8, Duration.ofMinutes(30));
        }

        public Options withChunkBytes(int n) {
            return new Options(n, requestTimeout, commitTimeout, maxRetries, deadline);
        }

        public Options withRequestTimeout(Duration d) {
            return new Options(chunkBytes, d, commitTimeout, maxRetries, deadline);
        }

        public Options withCommitTimeout(Duration d) {
            return new Options(chunkBytes, requestTimeout, d, maxRetries, deadline);
        }

        public Options withMaxRetries(int n) {
            return new Options(chunkBytes, requestTimeout, commitTimeout, n, deadline);
        }

        public Options withDeadline(Duration d) {
            return new Options(chunkBytes, requestTimeout, commitTimeout, maxRetries, d);
        }
    }

    /** Told after every chunk the gateway accepted (on the sending thread). */
    @FunctionalInterface
    public interface Progress {
        void chunkAccepted(String gateway, long received, long total);
    }

    private final IMqttClient client;
    private final String account;
    private final Options options;
    private final String replyFilter;
    private final String idPrefix = "md" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong requestCounter = new AtomicLong();
    private final AtomicLong cancelEpoch = new AtomicLong();
    private final Object pauses = new Object();
    private final Map<String, CompletableFuture<KuraPayload>> pending = new ConcurrentHashMap<>();
    private volatile boolean subscribed;

    public ModelSender(IMqttClient client, String account) {
        this(client, account, Options.defaults());
    }

    public ModelSender(IMqttClient client, String account, Options options) {
        KuraTopics.checkSegment(account);
        this.client = client;
        this.account = account;
        this.options = options;
        if (client instanceof MqttClient c && c.getTimeToWait() < 0) {
            // subscribing waits for the SUBACK, by default forever; a SUBACK can be lost like a PUBACK
            c.setTimeToWait(options.requestTimeout().toMillis());
            LOG.info("client {} had no time to wait; now {} ms", c.getClientId(), options.requestTimeout().toMillis());
        }
        this.replyFilter = KuraTopics.CONTROL_PREFIX + "/" + account + "/" + client.getClientId() + "/" + APP_ID + "/" + KuraTopics.REPLY + "/#";
    }

    public Options options() {
        return options;
    }

    /** The upload id used for a package: derived from its hash, so a later attempt resumes the same upload. */
    public static String uploadId(byte[] modelPackage) {
        return "pkg-" + ModelPackager.sha256Hex(modelPackage).substring(0, 40);
    }

    /** Sends the package in chunks, resuming what the gateway already holds, and commits it. */
    public DeliveryOutcome send(String gatewayId, byte[] modelPackage, boolean activate) {
        return send(gatewayId, modelPackage, activate, null);
    }

    public DeliveryOutcome send(String gatewayId, byte[] modelPackage, boolean activate, Progress progress) {
        return send(gatewayId, null, modelPackage, activate, progress);
    }

    /**
     * As {@link #send(String, byte[], boolean, Progress)}, activated for one camera of the gateway only (the
     * commit names it in metric {@code camera.id}); the gateway's other cameras keep their models. A null camera
     * activates the package as the gateway's default model.
     */
    public DeliveryOutcome send(String gatewayId, String cameraId, byte[] modelPackage, boolean activate, Progress progress) {
        KuraTopics.checkSegment(gatewayId);
        if (cameraId != null) {
            KuraTopics.checkSegment(cameraId);
        }
        if (modelPackage == null || modelPackage.length == 0) {
            throw new IllegalArgumentException("empty model package");
        }
        Delivery d = new Delivery(gatewayId, ModelPackager.versionOf(modelPackage));
        d.camera = cameraId;
        try {
            return upload(d, modelPackage, activate, progress);
        } catch (Stop s) {
            return d.outcome(false, s.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return d.outcome(false, "interrupted");
        }
    }

    /**
     * Asks the gateway to download the package from {@code url} (http or
     * https, reachable from the gateway) and install it. The gateway accepts
     * at once with an operation id and works in the background; this polls
     * {@code GET models/operations/{id}} until the operation ends, for up to
     * {@link Options#commitTimeout()}. The request itself is not repeated
     * (a second one would start a second download); lost polls are.
     */
    public DeliveryOutcome installFromUrl(String gatewayId, URI url, String sha256, boolean activate) {
        KuraTopics.checkSegment(gatewayId);
        Delivery d = new Delivery(gatewayId, null);
        KuraPayload p = new KuraPayload();
        p.addMetric("url", url.toString());
        p.addMetric("sha256", sha256.toLowerCase(Locale.ROOT));
        p.addMetric("activate", activate);
        try {
            Reply r = call(d, Verb.EXEC, p, options.requestTimeout(), "models", "install");
            if (r.code() != 200) {
                return d.outcome(false, r.message());
            }
            String op = r.string("operation.id");
            if (op == null) {
                return d.outcome(false, "the gateway accepted the install but named no operation.id");
            }
            long until = System.nanoTime() + options.commitTimeout().toNanos();
            long pause = 100;
            while (true) {
                Reply s = call(d, Verb.GET, new KuraPayload(), options.requestTimeout(), "models", "operations", op);
                if (s.code() == 200) {
                    d.failuresInRow = 0;
                    String state = s.string("operation.state");
                    if ("succeeded".equals(state) || "failed".equals(state)) {
                        Object code = s.payload().getMetric("operation.code");
                        d.lastCode = code instanceof Integer c ? c : 0;
                        if ("succeeded".equals(state)) {
                            d.version = s.string("version");
                            return d.outcome(true, activate ? "installed and activated" : "installed");
                        }
                        String why = s.string("operation.message");
                        return d.outcome(false, why == null ? "failed" : why);
                    }
                } else if (s.code() == 404 && "operation".equals(s.string(NOT_FOUND))) {
                    return d.outcome(false, "the gateway lost operation " + op + " (restarted?): " + s.message());
                } else {
                    d.failed(s, "operation status");
                }
                if (System.nanoTime() - until > 0) {
                    return d.outcome(false, "operation " + op + " not finished within " + options.commitTimeout().toSeconds() + " s");
                }
                synchronized (pauses) {
                    pauses.wait(pause); // cancel() wakes it
                }
                d.check();
                pause = Math.min(2000, pause * 2);
            }
        } catch (Stop s) {
            return d.outcome(false, s.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return d.outcome(false, "interrupted");
        }
    }

    /** Stops every delivery in progress; each returns an outcome "cancelled". Later deliveries run normally. */
    public void cancel() {
        cancelEpoch.incrementAndGet();
        synchronized (pauses) {
            pauses.notifyAll();
        }
        pending.values().forEach(f -> f.completeExceptionally(new CancellationException("cancelled")));
    }

    @Override
    public void close() {
        cancel();
        if (subscribed) {
            subscribed = false;
            try {
                client.unsubscribe(replyFilter);
            } catch (MqttException e) {
                LOG.debug("cannot unsubscribe {}: {}", replyFilter, e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ the upload

    private DeliveryOutcome upload(Delivery d, byte[] pkg, boolean activate, Progress progress) throws Stop, InterruptedException {
        String sha = ModelPackager.sha256Hex(pkg);
        String id = uploadId(pkg);
        long total = pkg.length;
        long offset = resumePoint(d, id, sha, total, 0);
        while (true) {
            while (offset < total) {
                int len = (int) Math.min(options.chunkBytes(), total - offset);
                byte[] chunk = Arrays.copyOfRange(pkg, (int) offset, (int) offset + len);
                KuraPayload p = new KuraPayload();
                p.addMetric("offset", offset);
                p.addMetric("total.size", total);
                p.addMetric("sha256", sha);
                p.addMetric("chunk.sha256", ModelPackager.sha256Hex(chunk));
                p.setBody(chunk);
                Reply r = call(d, Verb.POST, p, options.requestTimeout(), "models", "upload", id);
                if (r.published()) {
                    d.bytes += len;
                }
                if (r.code() == 200 && r.payload().getMetric("received") instanceof Long received) {
                    d.chunks++;
                    d.failuresInRow = 0;
                    offset = received;
                    if (progress != null) {
                        progress.chunkAccepted(d.gateway, offset, total);
                    }
                    continue;
                }
                d.failed(r, "chunk at " + offset);
                offset = resumePoint(d, id, sha, total, offset);
            }
            KuraPayload c = new KuraPayload();
            c.addMetric("activate", activate);
            if (d.camera != null) {
                c.addMetric("camera.id", d.camera);
            }
            Reply r = call(d, Verb.EXEC, c, options.commitTimeout(), "models", "upload", id, "commit");
            if (r.code() == 200) {
                d.version = r.string("version");
                return d.outcome(true, activate ? "installed and activated" : "installed");
            }
            if (r.code() == 400 || (r.code() == 404 && "service".equals(r.string(NOT_FOUND)))) {
                // the package was refused (its upload is gone) or there is nothing to install into; unless
                // the gateway lost part of the upload, retrying cannot help
                long held = status(d, id, sha, total);
                if (held < 0 || held == total) {
                    d.lastCode = r.code(); // the refusal, not the status request after it
                    return d.outcome(false, r.message());
                }
                d.failed(r, "commit");
                offset = held;
                continue;
            }
            // no reply (or the upload is gone): the commit may have gone through while we waited
            d.failed(r, "commit");
            long held = status(d, id, sha, total);
            if (held == -1) {
                if (d.version != null && installed(d, activate)) {
                    return d.outcome(true, activate ? "installed and activated" : "installed");
                }
                offset = 0;
            } else {
                offset = held == -2 ? total : held; // no answer: commit again
            }
        }
    }

    /** Where to continue: what the gateway holds; on no answer, where we were. */
    private long resumePoint(Delivery d, String id, String sha, long total, long current) throws Stop, InterruptedException {
        long held = status(d, id, sha, total);
        if (held == -2) {
            return current;
        }
        return Math.max(held, 0);
    }

    /**
     * GET models/upload/{id}: bytes held, -1 when the gateway has no such
     * upload, -2 when it did not answer. An upload of the same id for other
     * bytes is deleted.
     */
    private long status(Delivery d, String id, String sha, long total) throws Stop, InterruptedException {
        Reply r = call(d, Verb.GET, new KuraPayload(), options.requestTimeout(), "models", "upload", id);
        if (r.code() == 200 && r.payload().getMetric("received") instanceof Long held) {
            if (sha.equals(r.payload().getMetric("sha256")) && Long.valueOf(total).equals(r.payload().getMetric("total.size"))) {
                return held;
            }
            call(d, Verb.DEL, new KuraPayload(), options.requestTimeout(), "models", "upload", id);
            return -1;
        }
        if (r.code() == 404 && "upload".equals(r.string(NOT_FOUND))) {
            return -1;
        }
        d.failed(r, "status");
        return -2;
    }

    /** GET models: is the version installed (and active, when asked)? */
    private boolean installed(Delivery d, boolean activate) throws Stop, InterruptedException {
        Reply r = call(d, Verb.GET, new KuraPayload(), options.requestTimeout(), "models");
        if (r.code() != 200) {
            return false;
        }
        boolean present = r.string("versions") != null && Arrays.asList(r.string("versions").split("\n")).contains(d.version);
        String active = d.camera == null ? "active.version" : "active.version." + d.camera;
        return present && (!activate || d.version.equals(r.payload().getMetric(active)));
    }

    // ------------------------------------------------------------------ requests

    private record Reply(int code, String message, KuraPayload payload, boolean published) {
        String string(String metric) {
            Object v = payload == null ? null : payload.getMetric(metric);
            return v instanceof String s ? s : null;
        }
    }

    /** Stops a delivery: cancelled or out of time or out of retries. */
    private static final class Stop extends Exception {
        private static final long serialVersionUID = 1L;

        Stop(String message) {
            super(message, null, false, false);
        }
    }

    /** One delivery's counters. */
    private final class Delivery {
        final String gateway;
        /** The camera the package is activated for; null: the gateway default. */
        String camera;
        final long started = System.nanoTime();
        final long deadline = started + options.deadline().toNanos();
        final long epoch = cancelEpoch.get();
        String version;
        long bytes;
        int chunks;
        int retries;
        int failuresInRow;
        int lastCode;
        String lastMessage = "";

        Delivery(String gateway, String version) {
            this.gateway = gateway;
            this.version = version;
        }

        void check() throws Stop {
            if (cancelEpoch.get() != epoch) {
                throw new Stop("cancelled");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new Stop("no delivery within " + options.deadline().toSeconds() + " s (last: " + lastMessage + ")");
            }
        }

        /** Counts a failed request; gives up after too many in a row, else pauses before the next. */
        void failed(Reply r, String what) throws Stop, InterruptedException {
            retries++;
            failuresInRow++;
            LOG.info("delivery to {}: {} failed ({} {}), attempt {} of {}", gateway, what, r.code(), r.message(), failuresInRow,
                    options.maxRetries() + 1);
            if (failuresInRow > options.maxRetries()) {
                throw new Stop(what + " failed " + failuresInRow + " times, last: " + (r.code() == 0 ? "" : r.code() + " ") + r.message());
            }
            long pause = Math.min(5000, 200L << Math.min(failuresInRow - 1, 5));
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            long wait = Math.max(0, Math.min(pause, left));
            synchronized (pauses) {
                if (wait > 0 && cancelEpoch.get() == epoch) {
                    pauses.wait(wait); // cancel() wakes it
                }
            }
            check();
        }

        DeliveryOutcome outcome(boolean accepted, String message) {
            return new DeliveryOutcome(gateway, version, accepted, lastCode, message, bytes, chunks, retries,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    /**
     * One request and its reply. Never throws for transport trouble: no
     * connection or no reply in time is a reply with code 0.
     */
    private Reply call(Delivery d, Verb verb, KuraPayload request, Duration timeout, String... resources) throws Stop, InterruptedException {
        d.check();
        String requestId = idPrefix + "-" + requestCounter.incrementAndGet();
        request.addMetric(KuraTopics.REQUEST_ID, requestId);
        request.addMetric(KuraTopics.REQUESTER_CLIENT_ID, client.getClientId());
        CompletableFuture<KuraPayload> reply = new CompletableFuture<>();
        pending.put(requestId, reply);
        boolean published = false;
        try {
            ensureSubscribed();
            MqttMessage m = new MqttMessage(KuraPayloadCodec.encode(request));
            m.setQos(1);
            // Not MqttClient.publish: it waits for the PUBACK without limit, and a PUBACK can be lost on a
            // live connection (Moquette 0.17 drops it when the connection is backed up; Paho resends only
            // after a reconnect). The reply is what counts: it proves the request arrived, PUBACK or not.
            IMqttDeliveryToken token = client.getTopic(KuraTopics.request(account, d.gateway, APP_ID, verb, resources)).publish(m);
            published = true;
            long left = Math.min(timeout.toNanos(), d.deadline - System.nanoTime());
            KuraPayload p;
            try {
                p = reply.get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (!token.isComplete()) {
                    subscribed = false;
                    d.lastMessage = "no PUBACK and no reply within " + timeout.toMillis() + " ms";
                    return new Reply(0, d.lastMessage, null, true);
                }
                throw e;
            }
            int code = p.getMetric(KuraTopics.RESPONSE_CODE) instanceof Integer c ? c : 0;
            Object msg = p.getMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE);
            d.lastCode = code;
            d.lastMessage = msg == null ? "ok" : msg.toString();
            return new Reply(code, d.lastMessage, p, true);
        } catch (MqttException e) {
            subscribed = false;
            d.lastMessage = "cannot publish: " + e.getMessage();
            return new Reply(0, d.lastMessage, null, published);
        } catch (TimeoutException e) {
            subscribed = false; // a broker restart may have dropped it
            d.lastMessage = "no reply within " + timeout.toMillis() + " ms";
            return new Reply(0, d.lastMessage, null, true);
        } catch (ExecutionException | CancellationException e) {
            throw new Stop("cancelled");
        } finally {
            pending.remove(requestId);
        }
    }

    private void ensureSubscribed() throws MqttException {
        if (subscribed) {
            return;
        }
        synchronized (this) {
            if (!subscribed) {
                client.subscribe(replyFilter, 1, this::replyArrived);
                subscribed = true;
            }
        }
    }

    private void replyArrived(String topic, MqttMessage message) {
        String requestId = topic.substring(topic.lastIndexOf('/') + 1);
        CompletableFuture<KuraPayload> f = pending.get(requestId);
        if (f == null) {
            return; // a late reply to a request given up on, or someone else's
        }
        try {
            f.complete(KuraPayloadCodec.decode(message.getPayload()));
        } catch (RuntimeException e) {
            LOG.warn("unreadable reply on {}: {}", topic, e.getMessage());
        }
    }
}
