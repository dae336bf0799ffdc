package dev.parley.transport.twilio;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Phone calls through Twilio: {@code POST /v1/twilio/voice} is the number's voice webhook, answered with TwiML that
 * connects the call to a bidirectional Media Stream on {@code wss://HOST/v1/twilio} (served by {@link TwilioCall}).
 *
 * <p>Who may call: with Twilio's auth token ({@code TWILIO_AUTH_TOKEN}), the webhook and the stream's upgrade must
 * carry Twilio's signature ({@link TwilioSignature}); without it, they are open, unless the server requires a bearer
 * token for everything else ({@code --auth-token}), in which case they are refused: Twilio cannot send that token.
 */
public final class TwilioEndpoints {
    private static final Logger log = LoggerFactory.getLogger(TwilioEndpoints.class);
    public static final String VOICE = "/v1/twilio/voice";
    public static final String STREAM = "/v1/twilio";
    static final String DEFAULT_GREETING = "Hello, this is Parley. How can I help?";

    private final TwilioSignature signature;
    private final boolean closed;

    /**
     * @param authToken      Twilio's auth token, or null
     * @param serverRequires whether the server requires a bearer token for its other endpoints
     */
    public TwilioEndpoints(String authToken, boolean serverRequires) {
        this.signature = authToken == null || authToken.isBlank() ? null : new TwilioSignature(authToken);
        this.closed = signature == null && serverRequires;
    }

    public void register(RoutesConfig routes) {
        routes.post(VOICE, this::voice);
    }

    /** The voice webhook: TwiML that streams the call to this server, with the greeting to speak first. */
    void voice(Context ctx) {
        Map<String, String> form = new LinkedHashMap<>();
        ctx.formParamMap().forEach((k, v) -> form.put(k, v.isEmpty() ? "" : v.getFirst()));
        String refusal = refusal(ctx.header("X-Twilio-Signature"), requestUrl(ctx, false), form);
        if (refusal != null) {
            log.warn("refused a Twilio webhook from {}: {}", ctx.ip(), refusal);
            ctx.status(HttpStatus.FORBIDDEN).contentType("text/plain").result(refusal);
            return;
        }
        String greeting = ctx.queryParam("greeting") == null ? DEFAULT_GREETING : ctx.queryParam("greeting");
        String stream = "wss://" + host(ctx) + STREAM;
        log.info("call {} from {}: streaming to {}", form.getOrDefault("CallSid", "?"), form.getOrDefault("From", "?"), stream);
        ctx.contentType("text/xml").result(twiml(stream, greeting));
    }

    /**
     * Why a WebSocket upgrade to the stream is refused, or null: with Twilio's auth token, its signature of the
     * {@code wss:} URL must match.
     */
    public String upgradeRefusal(Context ctx) {
        return refusal(ctx.header("X-Twilio-Signature"), requestUrl(ctx, true), Map.of());
    }

    private String refusal(String signed, String url, Map<String, String> params) {
        if (closed) return "this server requires a bearer token, which Twilio cannot send: set TWILIO_AUTH_TOKEN so that Twilio's signature is checked instead";
        if (signature == null) return null;
        if (signed == null) return "no X-Twilio-Signature header";
        return signature.valid(signed, url, params) ? null : "the X-Twilio-Signature does not match " + url;
    }

    static String twiml(String streamUrl, String greeting) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Connect><Stream url=\"")
                .append(xml(streamUrl)).append("\">");
        if (!greeting.isBlank()) x.append("<Parameter name=\"greeting\" value=\"").append(xml(greeting)).append("\"/>");
        return x.append("</Stream></Connect></Response>\n").toString();
    }

    /**
     * The URL Twilio requested, as it signed it: behind a proxy that terminates TLS, the scheme and host it forwards
     * ({@code X-Forwarded-Proto}, {@code X-Forwarded-Host}).
     */
    static String requestUrl(Context ctx, boolean socket) {
        String proto = ctx.header("X-Forwarded-Proto");
        boolean secure = proto != null ? proto.strip().toLowerCase().startsWith("https") || proto.strip().toLowerCase().startsWith("wss")
                : ctx.scheme().equals("https") || ctx.scheme().equals("wss");
        String scheme = socket ? (secure ? "wss" : "ws") : (secure ? "https" : "http");
        String query = ctx.queryString();
        return scheme + "://" + host(ctx) + ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    private static String host(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Host");
        if (forwarded != null && !forwarded.isBlank()) return forwarded.split(",")[0].strip();
        return ctx.host();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
    }
}
