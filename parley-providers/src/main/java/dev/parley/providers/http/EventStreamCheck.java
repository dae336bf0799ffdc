package dev.parley.providers.http;

import java.net.http.HttpHeaders;
import java.util.Locale;

/**
 * Refuses a 2xx response that is not a {@code text/event-stream} (a server that ignored {@code stream: true}); a
 * response with no type at all is taken at its word. Not retried: the same request would get the same answer.
 */
final class EventStreamCheck implements Interceptor {

    @Override
    public Response intercept(Chain chain) throws ApiException, InterruptedException {
        Response r = chain.proceed(chain.request());
        if (!isEventStream(r.headers())) {
            String type = r.headers().firstValue("content-type").orElse("none");
            throw new ApiException.StreamFailed(ApiException.StreamFailed.Reason.NOT_AN_EVENT_STREAM,
                    "Content-Type " + HttpErrors.shorten(type), null);
        }
        return r;
    }

    private static boolean isEventStream(HttpHeaders headers) {
        return headers.firstValue("content-type")
                .map(t -> t.toLowerCase(Locale.ROOT).strip().startsWith("text/event-stream"))
                .orElse(true);
    }
}
