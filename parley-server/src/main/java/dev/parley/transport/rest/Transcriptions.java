package dev.parley.transport.rest;

import dev.parley.audio.PcmAudio;
import dev.parley.audio.Resampler;
import dev.parley.session.VoiceSession;
import dev.parley.stt.RecognitionStream;
import dev.parley.stt.SpeechRecognizer;
import dev.parley.stt.Transcript;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * {@code POST /v1/audio/transcriptions}: a WAV upload (at most {@link RestLimits#maxAudioBytes()}, decoded as it
 * arrives) resampled to the pipeline's 16 kHz and transcribed by the server's recogniser, answered in the format
 * asked for, or with {@code stream=true} as the events {@code transcript.text.delta} and {@code transcript.text.done}.
 */
final class Transcriptions {
    private static final Logger log = LoggerFactory.getLogger(Transcriptions.class);
    /** Audio fed to the recogniser per call: half a second. */
    private static final int FEED_SAMPLES = PcmAudio.PIPELINE_RATE / 2;

    private final Supplier<VoiceSession.Engines> engines;
    private final RestLimits limits;

    Transcriptions(Supplier<VoiceSession.Engines> engines, RestLimits limits) {
        this.engines = engines;
        this.limits = limits;
    }

    void handle(Context ctx) throws IOException {
        String boundary = MultipartReader.boundaryOf(ctx.header("Content-Type"));
        if (boundary == null) {
            throw ApiError.badRequest(null, "invalid_content_type", "send the audio as multipart/form-data (Content-Type: "
                    + "multipart/form-data; boundary=…) with the parts file and model");
        }
        long limit = limits.maxAudioBytes() + RestLimits.FORM_OVERHEAD;
        BoundedInput.checkDeclared(ctx.req().getContentLengthLong(), limit, "the upload");
        TranscriptionForm form = TranscriptionForm.read(new BoundedInput(ctx.req().getInputStream(), limit, "the upload"), boundary);
        Transcript t;
        try (EngineLease lease = EngineLease.open(engines)) {
            t = transcribe(lease.engines().stt(), Resampler.convert(form.audio(), PcmAudio.PIPELINE_RATE));
        }
        double seconds = form.audio().durationSeconds();
        log.debug("transcribed {} s of audio into {} characters", String.format("%.1f", seconds), t.text().length());
        if (form.stream()) {
            ResponseStream out = new ResponseStream(ctx, "text/event-stream");
            if (!t.isEmpty()) out.event(TranscriptFormats.deltaEvent(t.text()));
            out.event(TranscriptFormats.doneEvent(t));
            out.finish();
            return;
        }
        ctx.status(200).contentType(TranscriptFormats.contentType(form.format()))
                .result(TranscriptFormats.body(form.format(), t, seconds, form.languageName()));
    }

    private static Transcript transcribe(SpeechRecognizer stt, PcmAudio audio) {
        RecognitionStream stream = stt.open();
        try {
            short[] s = audio.samples();
            for (int at = 0; at < s.length; at += FEED_SAMPLES) {
                stream.accept(s, at, Math.min(FEED_SAMPLES, s.length - at));
            }
            return stream.finish();
        } catch (RuntimeException e) {
            log.warn("the recogniser failed: {}", e.getMessage());
            throw ApiError.engineFailed("the speech recogniser failed: " + e.getMessage());
        } finally {
            stream.close();
        }
    }
}
