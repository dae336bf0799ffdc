package dev.parley.providers.openai;

/**
 * OpenAI speech to text failed (a rejected key, a limit, a server error, a timeout, a broken stream, an utterance
 * too long to upload). Unchecked because {@code RecognitionStream.finish()} declares nothing; the message is fit to
 * show a user, names what to change (the key's variable, the model, the base URL) and never contains the key. The
 * cause, when there is one, is the classified {@link dev.parley.providers.http.ApiException}.
 */
public final class OpenAiSpeechException extends RuntimeException {
    public OpenAiSpeechException(String message, Throwable cause) {
        super(message, cause);
    }
}
