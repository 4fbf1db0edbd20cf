package io.edgetune.liveview.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Login sessions of the page: random tokens in a cookie, bounded in number and lifetime. Thread-safe. */
final class Sessions {

    static final long LIFETIME_MILLIS = TimeUnit.HOURS.toMillis(12);
    private static final int MAX = 64;

    private final byte[] user;
    private final byte[] password;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> expiries = new ConcurrentHashMap<>();

    Sessions(String user, String password) {
        this.user = user.getBytes(StandardCharsets.UTF_8);
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    /** A new session token when user and password match, else null. */
    String login(String user, String password) {
        if (user == null || password == null) {
            return null;
        }
        // both compared, in constant time per length, so the answer time does not say which one was wrong
        boolean userOk = MessageDigest.isEqual(this.user, user.getBytes(StandardCharsets.UTF_8));
        boolean passwordOk = MessageDigest.isEqual(this.password, password.getBytes(StandardCharsets.UTF_8));
        if (!(userOk & passwordOk)) {
            return null;
        }
        long now = System.currentTimeMillis();
        expiries.values().removeIf(e -> e < now);
        if (expiries.size() >= MAX) {
            // the oldest session goes: a bounded map, whatever logs in how often
            expiries.entrySet().stream().min(Map.Entry.comparingByValue()).ifPresent(e -> expiries.remove(e.getKey()));
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        expiries.put(token, now + LIFETIME_MILLIS);
        return token;
    }

    boolean valid(String token) {
        if (token == null) {
            return false;
        }
        Long expiry = expiries.get(token);
        if (expiry == null) {
            return false;
        }
        if (expiry < System.currentTimeMillis()) {
            expiries.remove(token);
            return false;
        }
        return true;
    }

    void logout(String token) {
        if (token != null) {
            expiries.remove(token);
        }
    }
}
