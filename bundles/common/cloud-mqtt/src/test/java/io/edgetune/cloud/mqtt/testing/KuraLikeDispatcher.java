package io.edgetune.cloud.mqtt.testing;

import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.cloud.mqtt.codec.KuraTopics;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.kura.KuraErrorCode;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.cloudconnection.request.RequestHandler;
import org.eclipse.kura.cloudconnection.request.RequestHandlerContext;
import org.eclipse.kura.cloudconnection.request.RequestHandlerMessageConstants;
import org.eclipse.kura.cloudconnection.request.RequestHandlerRegistry;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A request dispatcher that behaves as Kura's does (KURA.md, "Request
 * handlers"), for proving a handler or a requester against Kura without a
 * Kura: it publishes the payload the handler returns unchanged (only the
 * timestamp is set) at QoS 0, judges success by {@code response.code / 200 == 1},
 * runs handlers on two threads, maps a KuraException to 400 (BAD_REQUEST),
 * 404 (NOT_FOUND) or 500 with {@code response.exception.message}, answers any
 * other Exception with a bare 500, and answers nothing when the request has
 * no request.id or requester.client.id, cannot be decoded, or the handler
 * throws an Error (Kura's executor swallows it).
 */
public final class KuraLikeDispatcher implements RequestHandlerRegistry, AutoCloseable {

    private final String account;
    private final String clientId;
    private final MqttClient client;
    private final Map<String, RequestHandler> handlers = new ConcurrentHashMap<>();
    private final ExecutorService handlerThreads;
    private final Set<String> threadsUsed = ConcurrentHashMap.newKeySet();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();

    public KuraLikeDispatcher(String brokerUrl, String account, String clientId) throws MqttException {
        this.account = account;
        this.clientId = clientId;
        AtomicInteger n = new AtomicInteger();
        this.handlerThreads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "kura-like-handler-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = new MqttClient(brokerUrl, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    // as Kura's DataService does after a broker restart; not on Paho's callback thread
                    Thread t = new Thread(KuraLikeDispatcher.this::subscribe, "kura-like-resubscribe");
                    t.setDaemon(true);
                    t.start();
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
                // Paho reconnects
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                arrived(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // QoS 0 replies
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(1000);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(500);
        client.connect(o);
        client.subscribe(KuraTopics.controlSubscription(account, clientId), 1);
    }

    private void subscribe() {
        try {
            client.subscribe(KuraTopics.controlSubscription(account, clientId), 1);
        } catch (MqttException e) {
            // the next reconnect tries again
        }
    }

    @Override
    public void registerRequestHandler(String id, RequestHandler handler) {
        handlers.put(id, handler);
    }

    @Override
    public void unregister(String id) {
        handlers.remove(id);
    }

    /** Replies whose response.code passed Kura's test (code / 200 == 1). */
    public long successes() {
        return successes.get();
    }

    /** Replies that failed it (missing code included). */
    public long failures() {
        return failures.get();
    }

    /** Requests that got no reply at all. */
    public long unanswered() {
        return unanswered.get();
    }

    /** Names of the handler threads that ran requests (at most two). */
    public Set<String> threadsUsed() {
        return Set.copyOf(threadsUsed);
    }

    private void arrived(String topic, byte[] bytes) {
        KuraTopics.ControlTopic ct = KuraTopics.parseControl(topic);
        if (ct == null || ct.rest().isEmpty() || ct.appId().equals(KuraTopics.MQTT_APP)) {
            return;
        }
        RequestHandler handler = handlers.get(ct.appId());
        if (handler == null || ct.rest().get(0).equals(KuraTopics.REPLY)) {
            return;
        }
        KuraPayload request;
        try {
            request = KuraPayloadCodec.decode(bytes);
        } catch (RuntimeException e) {
            unanswered.incrementAndGet(); // Kura wraps it as a body without request.id: no reply
            return;
        }
        handlerThreads.submit(() -> {
            call(handler, ct.appId(), ct.rest(), request);
            return null; // an Error thrown above ends in this future, unseen, as on Kura
        });
    }

    private void call(RequestHandler handler, String appId, List<String> rest, KuraPayload request) {
        threadsUsed.add(Thread.currentThread().getName());
        Object requestId = request.getMetric(KuraTopics.REQUEST_ID);
        Object requester = request.getMetric(KuraTopics.REQUESTER_CLIENT_ID);
        if (!(requestId instanceof String) || !(requester instanceof String)) {
            unanswered.incrementAndGet();
            return;
        }
        Map<String, Object> props = new HashMap<>();
        props.put(RequestHandlerMessageConstants.ARGS_KEY.value(), new ArrayList<>(rest.subList(1, rest.size())));
        KuraMessage message = new KuraMessage(request, props);
        RequestHandlerContext context = new RequestHandlerContext(null, Map.of());
        KuraMessage response;
        boolean answered = false;
        try {
            try {
                response = switch (rest.get(0)) {
                    case "GET" -> handler.doGet(context, message);
                    case "PUT" -> handler.doPut(context, message);
                    case "POST" -> handler.doPost(context, message);
                    case "DEL" -> handler.doDel(context, message);
                    case "EXEC" -> handler.doExec(context, message);
                    default -> bare(KuraTopics.RESPONSE_BAD_REQUEST);
                };
            } catch (KuraException e) {
                KuraPayload p = new KuraPayload();
                p.addMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE, e.getMessage());
                int code = e.getCode() == KuraErrorCode.BAD_REQUEST ? KuraTopics.RESPONSE_BAD_REQUEST
                        : e.getCode() == KuraErrorCode.NOT_FOUND ? KuraTopics.RESPONSE_NOT_FOUND : KuraTopics.RESPONSE_ERROR;
                p.addMetric(KuraTopics.RESPONSE_CODE, code);
                response = new KuraMessage(p);
            } catch (Exception e) {
                response = bare(KuraTopics.RESPONSE_ERROR);
            }
            Object code = response.getPayload().getMetric(KuraTopics.RESPONSE_CODE); // a null reply fails here, unanswered
            if (code instanceof Integer c && c / 200 == 1) {
                successes.incrementAndGet();
            } else {
                failures.incrementAndGet();
            }
            response.getPayload().setTimestamp(new Date());
            client.publish(KuraTopics.reply(account, (String) requester, appId, (String) requestId),
                    KuraPayloadCodec.encode(response.getPayload()), 0, false);
            answered = true;
        } catch (MqttException e) {
            // Kura logs a failed publish and moves on
        } finally {
            if (!answered) {
                unanswered.incrementAndGet();
            }
        }
    }

    private static KuraMessage bare(int code) {
        KuraPayload p = new KuraPayload();
        p.addMetric(KuraTopics.RESPONSE_CODE, code);
        return new KuraMessage(p);
    }

    public String clientId() {
        return clientId;
    }

    @Override
    public void close() throws MqttException {
        handlerThreads.shutdownNow();
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close(true);
    }
}
