package dev.parley.embedded.models;

import java.util.List;

/** The models Parley's embedded engines use. */
public final class EmbeddedModels {

    /** Silero VAD v5 (ONNX), from the npm package {@code @ricky0123/vad-web}. Installs a single file. */
    public static final ModelSpec SILERO_VAD_V5 = new ModelSpec(
            "silero-vad-v5",
            "Silero VAD v5",
            new Source.NpmTarball("@ricky0123/vad-web", "0.0.31"),
            "d1a211cf1a2ed26297da52cc08de79e75d79838a274bfc6de546feb1f828c940",
            5_471_324L,
            new Extract.File("package/dist/silero_vad_v5.onnx"));

    /** Vosk small US English model, from the Maven artifact {@code com.alphacephei:vosk-model-en}. Installs a directory. */
    public static final ModelSpec VOSK_EN_US = new ModelSpec(
            "vosk-model-en-us-0.3.45",
            "Vosk English model",
            new Source.MavenArtifact("com.alphacephei", "vosk-model-en", "0.3.45", "aar"),
            "8a5792fccaf873b4745dbd1b3fe19d8a77a15898e806674020eea820424771cd",
            41_185_783L,
            new Extract.Directory("assets/model-en-us/"));

    /** All embedded models. */
    public static final List<ModelSpec> ALL = List.of(SILERO_VAD_V5, VOSK_EN_US);

    private EmbeddedModels() {}
}
