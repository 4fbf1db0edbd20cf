package io.edgetune.cloud.mqtt.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The Kura/Kapua MQTT topic namespace and the metric names of its
 * request/response protocol.
 *
 * <pre>
 * data:     {account}/{client-id}/{app-id}/{app-topic...}
 * control:  $EDC/{account}/{client-id}/{app-id}/{app-topic...}
 * birth:    $EDC/{account}/{client-id}/MQTT/BIRTH   (also DC on clean disconnect, LWT as last will)
 * request:  $EDC/{account}/{client-id}/{APP-ID}/{GET|PUT|POST|DEL|EXEC}/{resources...}
 * reply:    $EDC/{account}/{requester-client-id}/{APP-ID}/REPLY/{request-id}
 * </pre>
 */
public final class KuraTopics {

    public static final String CONTROL_PREFIX = "$EDC";
    public static final String MQTT_APP = "MQTT";
    public static final String BIRTH = "BIRTH";
    /** Kura's app certificate: the BIRTH metrics again, sent when the request handlers change on a live connection. */
    public static final String APPS = "APPS";
    public static final String DISCONNECT = "DC";
    public static final String LAST_WILL = "LWT";
    public static final String REPLY = "REPLY";

    public static final String REQUEST_ID = "request.id";
    public static final String REQUESTER_CLIENT_ID = "requester.client.id";
    public static final String RESPONSE_CODE = "response.code";
    public static final String RESPONSE_EXCEPTION_MESSAGE = "response.exception.message";

    public static final int RESPONSE_OK = 200;
    public static final int RESPONSE_BAD_REQUEST = 400;
    public static final int RESPONSE_NOT_FOUND = 404;
    public static final int RESPONSE_ERROR = 500;

    /** Request verbs; DEL is Kura's spelling of DELETE. */
    public enum Verb { GET, PUT, POST, DEL, EXEC }

    private KuraTopics() {
    }

    public static String data(String account, String clientId, String appId, String appTopic) {
        return join(account, clientId, appId) + (appTopic == null || appTopic.isEmpty() ? "" : "/" + appTopic);
    }

    public static String control(String account, String clientId, String appId, String appTopic) {
        return CONTROL_PREFIX + "/" + data(account, clientId, appId, appTopic);
    }

    public static String birth(String account, String clientId) {
        return control(account, clientId, MQTT_APP, BIRTH);
    }

    public static String apps(String account, String clientId) {
        return control(account, clientId, MQTT_APP, APPS);
    }

    public static String disconnect(String account, String clientId) {
        return control(account, clientId, MQTT_APP, DISCONNECT);
    }

    public static String lastWill(String account, String clientId) {
        return control(account, clientId, MQTT_APP, LAST_WILL);
    }

    /** All control topics of one device (requests and cloud-to-device messages). */
    public static String controlSubscription(String account, String clientId) {
        return CONTROL_PREFIX + "/" + join(account, clientId) + "/#";
    }

    public static String request(String account, String clientId, String appId, Verb verb, String... resources) {
        StringBuilder sb = new StringBuilder(control(account, clientId, appId, verb.name()));
        for (String r : resources) {
            checkSegment(r);
            sb.append('/').append(r);
        }
        return sb.toString();
    }

    public static String reply(String account, String requesterClientId, String appId, String requestId) {
        checkSegment(requestId);
        return control(account, requesterClientId, appId, REPLY + "/" + requestId);
    }

    /** A topic under $EDC split into its parts; {@code rest} holds the segments after the app id. */
    public record ControlTopic(String account, String clientId, String appId, List<String> rest) {
    }

    /** Splits a control topic, or returns null when the topic is not of the form $EDC/a/c/app[/...]. */
    public static ControlTopic parseControl(String topic) {
        if (topic == null || !topic.startsWith(CONTROL_PREFIX + "/")) {
            return null;
        }
        String[] parts = topic.split("/", -1);
        if (parts.length < 4) {
            return null;
        }
        for (int i = 1; i < 4; i++) {
            if (parts[i].isEmpty()) {
                return null;
            }
        }
        List<String> rest = parts.length > 4
                ? Collections.unmodifiableList(new ArrayList<>(Arrays.asList(parts).subList(4, parts.length)))
                : List.of();
        return new ControlTopic(parts[1], parts[2], parts[3], rest);
    }

    /** True when an MQTT topic filter (with + and # wildcards) matches a topic name. */
    public static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    private static String join(String... segments) {
        StringBuilder sb = new StringBuilder();
        for (String s : segments) {
            checkSegment(s);
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(s);
        }
        return sb.toString();
    }

    /** A single topic level: non-empty, no '/', no wildcards. */
    public static void checkSegment(String s) {
        if (s == null || s.isEmpty() || s.indexOf('/') >= 0 || s.indexOf('+') >= 0 || s.indexOf('#') >= 0) {
            throw new IllegalArgumentException("invalid topic level '" + s + "'");
        }
    }
}
