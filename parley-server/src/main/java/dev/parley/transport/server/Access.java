package dev.parley.transport.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Who may use the server: the bearer token the WebSocket and {@code /metrics} require (when one is configured), read
 * from an {@code Authorization} header or, for browsers, which cannot set headers on a WebSocket, from the
 * {@code openai-insecure-api-key.<token>} subprotocol; and which subprotocol is echoed back: only {@code realtime},
 * never the one carrying the token, which would otherwise be repeated in a response header that proxies log.
 */
final class Access {
    static final String SUBPROTOCOL = "realtime";
    private static final String KEY_PROTOCOL_PREFIX = "openai-insecure-api-key.";

    /** The token, or null: everyone may connect. */
    private final byte[] token;

    Access(String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    boolean required() {
        return token != null;
    }

    /** Whether a WebSocket upgrade with these headers may proceed. */
    boolean allowsSocket(String authorization, String protocols) {
        if (allowsBearer(authorization)) return true;
        if (protocols == null) return false;
        for (String p : protocols.split(",")) {
            p = p.trim();
            if (p.startsWith(KEY_PROTOCOL_PREFIX)
                    && MessageDigest.isEqual(token, p.substring(KEY_PROTOCOL_PREFIX.length()).getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    /** Whether an HTTP request with this {@code Authorization} header may proceed (always, without a token). */
    boolean allowsBearer(String authorization) {
        if (token == null) return true;
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(token, authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the client offered the {@code realtime} subprotocol, the only one the server accepts. */
    static boolean offersRealtime(String protocols) {
        return protocols != null && Arrays.stream(protocols.split(",")).map(String::trim).anyMatch(SUBPROTOCOL::equals);
    }

    /** Whether {@code host} only takes connections from this machine. */
    static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
