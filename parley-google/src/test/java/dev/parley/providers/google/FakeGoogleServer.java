package dev.parley.providers.google;

import com.google.cloud.speech.v1.StreamingRecognizeRequest;
import com.google.cloud.speech.v1.StreamingRecognizeResponse;
import com.google.cloud.texttospeech.v1.ListVoicesRequest;
import com.google.cloud.texttospeech.v1.ListVoicesResponse;
import com.google.cloud.texttospeech.v1.StreamingSynthesizeRequest;
import com.google.cloud.texttospeech.v1.StreamingSynthesizeResponse;
import com.google.cloud.texttospeech.v1.SynthesizeSpeechRequest;
import com.google.cloud.texttospeech.v1.SynthesizeSpeechResponse;
import com.google.protobuf.Message;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Google Cloud Speech-to-Text v1 and Text-to-Speech v1 on a real local socket (gRPC over HTTP/2 through
 * grpc-netty-shaded, plaintext). The services are the published ones, method for method, as their protos declare
 * them ({@code google.cloud.speech.v1.Speech/StreamingRecognize}, {@code google.cloud.texttospeech.v1.TextToSpeech/
 * SynthesizeSpeech}, {@code …/StreamingSynthesize}, {@code …/ListVoices}), marshalled with the messages of Google's
 * proto artifacts; the generated {@code *Grpc} stub classes are not in the mirror, so the descriptors are built here
 * exactly as they would build them. Each test scripts the answers and reads back every request and whether the call
 * was cancelled.
 */
final class FakeGoogleServer implements AutoCloseable {

    static final String SPEECH = "google.cloud.speech.v1.Speech";
    static final String TTS = "google.cloud.texttospeech.v1.TextToSpeech";

    /** One {@code StreamingRecognize} call as the server saw it. */
    static final class SttCall {
        final List<StreamingRecognizeRequest> requests = new CopyOnWriteArrayList<>();
        final ByteArrayOutputStream audio = new ByteArrayOutputStream();
        final CountDownLatch halfClosed = new CountDownLatch(1);
        final CountDownLatch cancelled = new CountDownLatch(1);
        final ServerCallStreamObserver<StreamingRecognizeResponse> out;

        SttCall(ServerCallStreamObserver<StreamingRecognizeResponse> out) {
            this.out = out;
        }

        synchronized byte[] audioBytes() {
            return audio.toByteArray();
        }

        int audioMessages() {
            return (int) requests.stream().filter(r -> r.getStreamingRequestCase()
                    == StreamingRecognizeRequest.StreamingRequestCase.AUDIO_CONTENT).count();
        }

        boolean awaitCancelled() throws InterruptedException {
            return cancelled.await(10, TimeUnit.SECONDS);
        }
    }

    /** How the fake answers a recognition call. */
    interface SttScript {
        /** After each request was recorded. */
        default void onRequest(SttCall call, StreamingRecognizeRequest request) {
        }

        /** When the client half-closed (the audio has ended). */
        void onHalfClose(SttCall call);
    }

    /** One {@code StreamingSynthesize} call as the server saw it. */
    static final class TtsStream {
        final List<StreamingSynthesizeRequest> requests = new CopyOnWriteArrayList<>();
        final CountDownLatch cancelled = new CountDownLatch(1);
        final ServerCallStreamObserver<StreamingSynthesizeResponse> out;

        TtsStream(ServerCallStreamObserver<StreamingSynthesizeResponse> out) {
            this.out = out;
        }

        boolean awaitCancelled() throws InterruptedException {
            return cancelled.await(10, TimeUnit.SECONDS);
        }
    }

    /** One unary {@code SynthesizeSpeech} call as the server saw it. */
    record TtsUnary(SynthesizeSpeechRequest request, ServerCallStreamObserver<SynthesizeSpeechResponse> out,
                    CountDownLatch cancelled) {
        boolean awaitCancelled() throws InterruptedException {
            return cancelled.await(10, TimeUnit.SECONDS);
        }
    }

    final List<SttCall> sttCalls = new CopyOnWriteArrayList<>();
    final List<TtsStream> ttsStreams = new CopyOnWriteArrayList<>();
    final List<TtsUnary> ttsCalls = new CopyOnWriteArrayList<>();
    final List<ListVoicesRequest> listVoicesRequests = new CopyOnWriteArrayList<>();
    final List<Metadata> headers = new CopyOnWriteArrayList<>();

    volatile SttScript stt = call -> call.out.onCompleted();
    /** When set, recognition calls read only their first request until the test calls {@code out.request(n)}. */
    volatile boolean holdAudio;
    volatile java.util.function.Consumer<TtsUnary> unary = call -> call.out().onCompleted();
    volatile java.util.function.Consumer<TtsStream> streaming = call -> call.out.onCompleted();
    volatile java.util.function.BiConsumer<ListVoicesRequest, StreamObserver<ListVoicesResponse>> listVoices =
            (req, out) -> {
                out.onNext(ListVoicesResponse.getDefaultInstance());
                out.onCompleted();
            };

    private final Server server;

    FakeGoogleServer() throws IOException {
        ServerInterceptor recordHeaders = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata h,
                                                              ServerCallHandler<Q, A> next) {
                headers.add(h);
                return next.startCall(call, h);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(ServerInterceptors.intercept(speechService(), recordHeaders))
                .addService(ServerInterceptors.intercept(ttsService(), recordHeaders))
                .build()
                .start();
    }

    /** {@code localhost:PORT}, for {@link GoogleConfig#withPlaintextEndpoint}. */
    String endpoint() {
        return "localhost:" + server.getPort();
    }

    GoogleConfig config() {
        return GoogleConfig.defaults().withPlaintextEndpoint(endpoint());
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <Q extends Message, A extends Message> MethodDescriptor<Q, A> method(
            String service, String name, MethodDescriptor.MethodType type, Q request, A response) {
        return MethodDescriptor.<Q, A>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response))
                .build();
    }

    private ServerServiceDefinition speechService() {
        var recognize = method(SPEECH, "StreamingRecognize", MethodDescriptor.MethodType.BIDI_STREAMING,
                StreamingRecognizeRequest.getDefaultInstance(), StreamingRecognizeResponse.getDefaultInstance());
        return ServerServiceDefinition.builder(SPEECH)
                .addMethod(recognize, ServerCalls.asyncBidiStreamingCall(responses -> {
                    var out = (ServerCallStreamObserver<StreamingRecognizeResponse>) responses;
                    SttCall call = new SttCall(out);
                    out.setOnCancelHandler(call.cancelled::countDown);
                    if (holdAudio) {
                        out.disableAutoRequest();
                        out.request(1);
                    }
                    sttCalls.add(call);
                    return new StreamObserver<StreamingRecognizeRequest>() {
                        @Override
                        public void onNext(StreamingRecognizeRequest r) {
                            synchronized (call) {
                                call.requests.add(r);
                                call.audio.writeBytes(r.getAudioContent().toByteArray());
                            }
                            stt.onRequest(call, r);
                        }

                        @Override
                        public void onError(Throwable t) {
                            call.cancelled.countDown();
                        }

                        @Override
                        public void onCompleted() {
                            call.halfClosed.countDown();
                            stt.onHalfClose(call);
                        }
                    };
                }))
                .build();
    }

    private ServerServiceDefinition ttsService() {
        var synthesize = method(TTS, "SynthesizeSpeech", MethodDescriptor.MethodType.UNARY,
                SynthesizeSpeechRequest.getDefaultInstance(), SynthesizeSpeechResponse.getDefaultInstance());
        var stream = method(TTS, "StreamingSynthesize", MethodDescriptor.MethodType.BIDI_STREAMING,
                StreamingSynthesizeRequest.getDefaultInstance(), StreamingSynthesizeResponse.getDefaultInstance());
        var voices = method(TTS, "ListVoices", MethodDescriptor.MethodType.UNARY,
                ListVoicesRequest.getDefaultInstance(), ListVoicesResponse.getDefaultInstance());
        return ServerServiceDefinition.builder(TTS)
                .addMethod(synthesize, ServerCalls.asyncUnaryCall((req, responses) -> {
                    var out = (ServerCallStreamObserver<SynthesizeSpeechResponse>) responses;
                    TtsUnary call = new TtsUnary(req, out, new CountDownLatch(1));
                    out.setOnCancelHandler(call.cancelled()::countDown);
                    ttsCalls.add(call);
                    unary.accept(call);
                }))
                .addMethod(stream, ServerCalls.asyncBidiStreamingCall(responses -> {
                    var out = (ServerCallStreamObserver<StreamingSynthesizeResponse>) responses;
                    TtsStream call = new TtsStream(out);
                    out.setOnCancelHandler(call.cancelled::countDown);
                    ttsStreams.add(call);
                    return new StreamObserver<StreamingSynthesizeRequest>() {
                        @Override
                        public void onNext(StreamingSynthesizeRequest r) {
                            call.requests.add(r);
                        }

                        @Override
                        public void onError(Throwable t) {
                            call.cancelled.countDown();
                        }

                        @Override
                        public void onCompleted() {
                            streaming.accept(call);
                        }
                    };
                }))
                .addMethod(voices, ServerCalls.asyncUnaryCall((req, out) -> {
                    listVoicesRequests.add(req);
                    listVoices.accept(req, out);
                }))
                .build();
    }

    /** All header names the server received, lower case, over every call. */
    List<String> headerNames() {
        List<String> names = new ArrayList<>();
        for (Metadata m : headers) names.addAll(m.keys());
        return names;
    }
}
