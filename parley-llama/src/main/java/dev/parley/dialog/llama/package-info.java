/**
 * The local LLM brain: a GGUF model run in process by llama.cpp ({@code de.kherud:llama}).
 *
 * <p>Entry points: {@link dev.parley.dialog.llama.LlamaModelSource#resolve} (a path or an https URL into the model
 * cache), {@link dev.parley.dialog.llama.LlamaBrain#open} (one per process) and
 * {@link dev.parley.dialog.llama.LlamaBrain#newDialog()} (one per session).
 */
package dev.parley.dialog.llama;
