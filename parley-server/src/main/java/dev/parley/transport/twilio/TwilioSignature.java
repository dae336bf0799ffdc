package dev.parley.transport.twilio;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Twilio's request signature ({@code X-Twilio-Signature}): HMAC-SHA1, keyed with the account's auth token, of the
 * full URL Twilio requested followed by each POST parameter's name and value in the order of their names, in base64.
 * A request whose signature does not match did not come from Twilio (or was changed on the way).
 */
public final class TwilioSignature {
    private final byte[] authToken;

    public TwilioSignature(String authToken) {
        if (authToken == null || authToken.isBlank()) throw new IllegalArgumentException("no Twilio auth token");
        this.authToken = authToken.getBytes(StandardCharsets.UTF_8);
    }

    /** The signature of a request to {@code url} with these form parameters (none for a GET or a WebSocket). */
    public String sign(String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /** Whether {@code signature} is the request's; compared in constant time. */
    public boolean valid(String signature, String url, Map<String, String> params) {
        if (signature == null || signature.isBlank()) return false;
        return MessageDigest.isEqual(sign(url, params).getBytes(StandardCharsets.US_ASCII),
                signature.strip().getBytes(StandardCharsets.US_ASCII));
    }
}
