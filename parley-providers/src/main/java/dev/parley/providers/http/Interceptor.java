package dev.parley.providers.http;

import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * One concern of an {@link HttpExchange}, in the manner of OkHttp's interceptors: it sees the request on its way
 * out ({@link Chain#proceed}) and the {@link Response} (or failure) on its way back, and may send again
 * ({@link RetryInterceptor}), turn a response into an {@link ApiException} ({@link ErrorMapping},
 * {@link EventStreamCheck}) or clean it ({@link Redaction}). The last link sends the request; the chain returns once
 * a 2xx response began, whose body is then read from the exchange (failures there are final: nothing is retried
 * after the response began).
 */
@FunctionalInterface
public interface Interceptor {

    /** The response to {@code chain}'s request, passing it on with {@link Chain#proceed}. */
    Response intercept(Chain chain) throws ApiException, InterruptedException;

    /** The rest of the chain, as seen by one interceptor. */
    interface Chain {
        /** The request as it reached this interceptor. */
        HttpRequest request();

        /** Hands {@code request} to the next interceptor (the last one sends it) and returns what came back. */
        Response proceed(HttpRequest request) throws ApiException, InterruptedException;

        /**
         * Waits {@code delay}, cut short when the exchange is closed (or its caller's cancel condition holds);
         * false when it was cut short.
         */
        boolean pause(Duration delay) throws InterruptedException;
    }
}
