package dev.parley.providers.http;

/**
 * Removes the client's secrets (and anything shaped like a key or bearer token) from what the server sent back
 * before anything above it can put it in a message or a log line: the response's headers and an error response's
 * body. (A 2xx body is the payload, read from the exchange untouched.)
 */
final class Redaction implements Interceptor {
    private final Secret[] secrets;

    Redaction(Secret... secrets) {
        this.secrets = secrets.clone();
    }

    @Override
    public Response intercept(Chain chain) throws ApiException, InterruptedException {
        return chain.proceed(chain.request()).redacted(secrets);
    }
}
