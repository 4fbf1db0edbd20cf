package io.edgetune.cloud.mqtt.internal;

import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.cloud.mqtt.codec.KuraTopics;
import io.edgetune.cloud.mqtt.codec.KuraTopics.ControlTopic;
import io.edgetune.cloud.mqtt.codec.KuraTopics.Verb;
import io.edgetune.cloud.mqtt.codec.PayloadFormatException;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.cloudconnection.request.RequestHandler;
import org.eclipse.kura.cloudconnection.request.RequestHandlerContext;
import org.eclipse.kura.cloudconnection.request.RequestHandlerMessageConstants;
import org.eclipse.kura.message.KuraPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes control messages of this device: requests to the registered
 * {@link RequestHandler} of their app id, other messages to matching
 * subscribers. Never throws: every failure becomes an error reply or a log
 * line.
 *
 * <p>Replies are what Kura's own dispatcher publishes: the payload the
 * handler returned, unchanged apart from its timestamp, with the handler's
 * {@code response.code}; a thrown {@link KuraException} becomes 400
 * (BAD_REQUEST), 404 (NOT_FOUND) or 500 (any other code) with
 * {@code response.exception.message}. Handlers run on {@link #HANDLER_THREADS}
 * threads, as on Kura, so one slow request does not hold the others; routing
 * and subscriber deliveries stay on the caller's thread, in arrival order.
 */
final class RequestDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    /** Request handler threads: Kura's dispatcher runs handlers on two. */
    static final int HANDLER_THREADS = 2;

    /** Where replies go (the connection queues them in its outbox). */
    interface ReplySink {
        /** Queues a reply; throws when the payload cannot be encoded or stored. */
        void send(String topic, KuraPayload payload) throws KuraException;
    }

    /** Request id used in the reply topic when the request could not be read at all. */
    static final String UNREADABLE_REQUEST_ID = "error";

    private final String account;
    private final String clientId;
    private final Map<String, RequestHandler> handlers;
    private final List<MqttCloudConnection.SubscriberBinding> subscribers;
    private final ReplySink sink;
    private final Executor handlerThreads;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    RequestDispatcher(String account, String clientId, Map<String, RequestHandler> handlers,
                      List<MqttCloudConnection.SubscriberBinding> subscribers, ReplySink sink, Executor handlerThreads) {
        this.account = account;
        this.clientId = clientId;
        this.handlers = handlers;
        this.subscribers = subscribers;
        this.sink = sink;
        this.handlerThreads = handlerThreads;
    }

    long requests() {
        return requests.get();
    }

    long errors() {
        return errors.get();
    }

    void dispatch(String topic, byte[] bytes) {
        try {
            route(topic, bytes);
        } catch (Throwable e) {
            // a bug or a hostile message (even a StackOverflowError or an OutOfMemoryError): keep the worker alive
            LOG.error("Unexpected failure handling message on {}", topic, e);
        }
    }

    private void route(String topic, byte[] bytes) {
        ControlTopic ct = KuraTopics.parseControl(topic);
        if (ct == null || !ct.account().equals(account) || !ct.clientId().equals(clientId)
                || ct.appId().equals(KuraTopics.MQTT_APP)) {
            return;
        }
        String first = ct.rest().isEmpty() ? null : ct.rest().get(0);
        Verb verb = verb(first);
        if (verb == null && deliverToSubscribers(topic, bytes)) {
            return;
        }
        if (first == null || first.equals(KuraTopics.REPLY) || first.equals("NOTIFY")) {
            return; // our own replies and notifications come back through the wildcard subscription
        }
        RequestHandler handler = handlers.get(ct.appId());
        if (verb == null && handler == null) {
            return; // neither a request nor addressed to a known application
        }
        requests.incrementAndGet();

        KuraPayload request;
        try {
            request = KuraPayloadCodec.decode(bytes);
        } catch (PayloadFormatException e) {
            notice(ct.appId(), "malformed request payload on " + topic + ": " + e.getMessage(), topic);
            return;
        } catch (RuntimeException | StackOverflowError e) {
            // the codec's own refusals are PayloadFormatExceptions; anything else is still the payload's fault
            notice(ct.appId(), "malformed request payload on " + topic + ": " + e, topic);
            return;
        }
        Object requestId = request.getMetric(KuraTopics.REQUEST_ID);
        Object requester = request.getMetric(KuraTopics.REQUESTER_CLIENT_ID);
        if (!validSegment(requestId) || !validSegment(requester)) {
            notice(ct.appId(), "request on " + topic + " lacks a valid " + KuraTopics.REQUEST_ID + " and "
                    + KuraTopics.REQUESTER_CLIENT_ID + " (non-empty strings without '/', '+', '#')", topic);
            return;
        }
        String replyTopic = KuraTopics.reply(account, (String) requester, ct.appId(), (String) requestId);
        if (verb == null) {
            error(replyTopic, KuraTopics.RESPONSE_BAD_REQUEST, "unknown verb '" + first + "' (GET, PUT, POST, DEL, EXEC)");
            return;
        }
        if (handler == null) {
            error(replyTopic, KuraTopics.RESPONSE_NOT_FOUND, "no application '" + ct.appId() + "' on " + clientId);
            return;
        }
        List<String> args = List.copyOf(ct.rest().subList(1, ct.rest().size()));
        try {
            handlerThreads.execute(() -> invoke(handler, verb, ct.appId(), topic, args, request, (String) requestId,
                    (String) requester, replyTopic));
        } catch (RejectedExecutionException e) {
            error(replyTopic, KuraTopics.RESPONSE_ERROR, "too many requests waiting for a handler thread; retry later");
        }
    }

    /** Runs on a handler thread: calls the handler and queues its reply; never throws. */
    private void invoke(RequestHandler handler, Verb verb, String appId, String topic, List<String> args, KuraPayload request,
                        String requestId, String requester, String replyTopic) {
        try {
            Map<String, Object> props = new HashMap<>();
            props.put(RequestHandlerMessageConstants.ARGS_KEY.value(), args);
            props.put(KuraTopics.REQUEST_ID, requestId);
            props.put(KuraTopics.REQUESTER_CLIENT_ID, requester);
            KuraMessage message = new KuraMessage(request, props);
            Map<String, String> context = Map.of(KuraTopics.REQUEST_ID, requestId, KuraTopics.REQUESTER_CLIENT_ID, requester);
            RequestHandlerContext rc = new RequestHandlerContext(null, context);
            KuraMessage response;
            try {
                response = switch (verb) {
                    case GET -> handler.doGet(rc, message);
                    case PUT -> handler.doPut(rc, message);
                    case POST -> handler.doPost(rc, message);
                    case DEL -> handler.doDel(rc, message);
                    case EXEC -> handler.doExec(rc, message);
                };
            } catch (KuraException e) {
                // Kura's mapping: only BAD_REQUEST and NOT_FOUND have codes of their own
                int code = switch (e.getCode()) {
                    case BAD_REQUEST -> KuraTopics.RESPONSE_BAD_REQUEST;
                    case NOT_FOUND -> KuraTopics.RESPONSE_NOT_FOUND;
                    default -> KuraTopics.RESPONSE_ERROR;
                };
                error(replyTopic, code, e.getMessage());
                return;
            } catch (Throwable e) {
                // Kura answers a RuntimeException with a bare 500 and loses an Error with no reply at all; the
                // requester is better served by a 500 that says what happened, and this thread must survive
                LOG.warn("Request handler {} failed on {}", appId, topic, e);
                error(replyTopic, KuraTopics.RESPONSE_ERROR, "request handler failed: " + e);
                return;
            }
            KuraPayload reply = response == null ? null : response.getPayload();
            if (reply == null) {
                error(replyTopic, KuraTopics.RESPONSE_ERROR, "request handler " + appId + " returned no reply");
                return;
            }
            Object code = reply.getMetric(KuraTopics.RESPONSE_CODE);
            if (code == null) {
                // Kura would publish this reply without a code (and count the call as failed). Handlers written
                // for this runtime's earlier dispatcher, which set the code itself, left it out; adding 200 keeps
                // them answering here. EdgeTune's own handler always sets it, so it behaves the same on Kura.
                reply.addMetric(KuraTopics.RESPONSE_CODE, KuraTopics.RESPONSE_OK);
            } else if (!(code instanceof Integer c && c / 200 == 1)) {
                errors.incrementAndGet(); // Kura's test of success: code / 200 == 1
            }
            reply.setTimestamp(new Date()); // the one change Kura makes to a handler's reply
            try {
                sink.send(replyTopic, reply);
            } catch (KuraException | RuntimeException e) {
                LOG.warn("Reply of {} on {} cannot be sent: {}", appId, topic, e.getMessage());
                error(replyTopic, KuraTopics.RESPONSE_ERROR, "the reply could not be sent: " + e.getMessage());
            }
        } catch (Throwable e) {
            LOG.error("Unexpected failure handling request on {}", topic, e);
            try {
                error(replyTopic, KuraTopics.RESPONSE_ERROR, "internal error: " + e);
            } catch (Throwable again) {
                // nothing more to do; the thread lives on
            }
        }
    }

    private boolean deliverToSubscribers(String topic, byte[] bytes) {
        boolean matched = false;
        KuraPayload payload = null;
        for (MqttCloudConnection.SubscriberBinding b : subscribers) {
            if (!KuraTopics.matches(b.filter(), topic)) {
                continue;
            }
            matched = true;
            if (payload == null) {
                try {
                    payload = KuraPayloadCodec.decode(bytes);
                } catch (PayloadFormatException e) {
                    LOG.warn("Dropping undecodable message on {}: {}", topic, e.getMessage());
                    return true;
                }
            }
            Map<String, Object> props = new HashMap<>();
            props.put("topic", topic);
            try {
                b.listener().onMessageArrived(new KuraMessage(payload, props));
            } catch (Throwable e) {
                LOG.warn("Subscriber listener failed on {}", topic, e);
            }
        }
        return matched;
    }

    private void error(String replyTopic, int code, String message) {
        errors.incrementAndGet();
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date());
        p.addMetric(KuraTopics.RESPONSE_CODE, code);
        p.addMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE, message == null ? "" : message);
        LOG.info("Request refused with {}: {}", code, message);
        send(replyTopic, p);
    }

    private void send(String topic, KuraPayload p) {
        try {
            sink.send(topic, p);
        } catch (KuraException | RuntimeException e) {
            LOG.warn("Cannot queue reply on {}: {}", topic, e.getMessage());
        }
    }

    /** A request that names no reply address: answered on the device's own REPLY/error topic. */
    private void notice(String appId, String message, String topic) {
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date());
        p.addMetric(KuraTopics.RESPONSE_CODE, KuraTopics.RESPONSE_BAD_REQUEST);
        p.addMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE, message);
        p.addMetric("request.topic", topic);
        errors.incrementAndGet();
        LOG.info("Unanswerable request: {}", message);
        send(KuraTopics.reply(account, clientId, appId, UNREADABLE_REQUEST_ID), p);
    }

    private static Verb verb(String s) {
        if (s == null) {
            return null;
        }
        for (Verb v : Verb.values()) {
            if (v.name().equals(s)) {
                return v;
            }
        }
        return null;
    }

    private static boolean validSegment(Object o) {
        if (!(o instanceof String s)) {
            return false;
        }
        try {
            KuraTopics.checkSegment(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
