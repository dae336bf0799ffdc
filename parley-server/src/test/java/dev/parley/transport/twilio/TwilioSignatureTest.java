package dev.parley.transport.twilio;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TwilioSignatureTest {
    /** Twilio's published example (its helper libraries test against it): auth token 12345. */
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";

    private static Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>(); // not in name order: the signature sorts them
        p.put("To", "+18005551212");
        p.put("CallSid", "CA1234567890ABCDE");
        p.put("From", "+14158675309");
        p.put("Digits", "1234");
        p.put("Caller", "+14158675309");
        return p;
    }

    @Test
    void twiliosPublishedExampleMatches() {
        TwilioSignature s = new TwilioSignature("12345");
        assertThat(s.sign(URL, params())).isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assertThat(s.valid("RSOYDt4T1cUTdK1PDd93/VVr8B8=", URL, params())).isTrue();
    }

    @Test
    void anyChangeFails() {
        TwilioSignature s = new TwilioSignature("12345");
        Map<String, String> changed = params();
        changed.put("Digits", "9999");
        assertThat(s.valid("RSOYDt4T1cUTdK1PDd93/VVr8B8=", URL, changed)).isFalse();
        assertThat(s.valid("RSOYDt4T1cUTdK1PDd93/VVr8B8=", URL + "&x=1", params())).isFalse();
        assertThat(new TwilioSignature("54321").valid("RSOYDt4T1cUTdK1PDd93/VVr8B8=", URL, params())).isFalse();
        assertThat(s.valid(null, URL, params())).isFalse();
        assertThat(s.valid("", URL, params())).isFalse();
        assertThatThrownBy(() -> new TwilioSignature(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
