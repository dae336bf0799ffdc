package dev.parley.embedded.tts;

import marytts.LocalMaryInterface;
import marytts.datatypes.MaryXML;
import marytts.exceptions.MaryConfigurationException;
import marytts.features.FeatureRegistry;
import marytts.features.TargetFeatureComputer;
import marytts.htsengine.HMMData;
import marytts.htsengine.HMMVoice;
import marytts.htsengine.HTSParameterGeneration;
import marytts.htsengine.HTSUttModel;
import marytts.modules.HTSEngine;
import marytts.modules.ModuleRegistry;
import marytts.modules.TargetFeatureLister;
import marytts.modules.synthesis.Voice;
import marytts.unitselection.select.Target;
import marytts.util.dom.MaryDomUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.traversal.TreeWalker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * MaryTTS's HMM synthesis driven step by step, as its own {@code HMMSynthesizer} does: the text to acoustic parameters
 * (MaryTTS's front end), the target features, the HMM parameters, then the vocoder on the caller's thread
 * ({@link BlockVocoder}). MaryTTS's own audio path runs the vocoder on a new thread per phrase and hands every sample
 * over a blocking queue as a boxed {@code Double}; this path does the same arithmetic without that, stops the vocoder
 * when the phrase is cancelled, and so costs less CPU per second of speech ({@code MaryTtsSynthesizerTest} and the
 * README's capacity figures).
 *
 * <p>Thread-safe: each call builds its own document, model, parameters and vocoder over the voice's read-only data;
 * the front end is asked through a {@link LocalMaryInterface} of its own, whose output type never changes.
 */
final class HmmSynthesis {
    private final LocalMaryInterface frontEnd;
    private final HMMVoice voice;
    private final TargetFeatureLister lister;
    private final String features;

    private HmmSynthesis(LocalMaryInterface frontEnd, HMMVoice voice, TargetFeatureLister lister) {
        this.frontEnd = frontEnd;
        this.voice = voice;
        this.lister = lister;
        this.features = voice.getHMMData().getFeatureDefinition().getFeatureNames();
    }

    /** For a voice MaryTTS has loaded; empty when it is not an HMM voice (those keep MaryTTS's own audio path). */
    static Optional<HmmSynthesis> of(String voiceName, Locale locale) throws MaryConfigurationException {
        if (!(Voice.getVoice(voiceName) instanceof HMMVoice hmm)) return Optional.empty();
        if (!(ModuleRegistry.getModule(TargetFeatureLister.class) instanceof TargetFeatureLister lister)) {
            return Optional.empty();
        }
        LocalMaryInterface frontEnd = new LocalMaryInterface();
        frontEnd.setVoice(voiceName);
        frontEnd.setLocale(locale);
        frontEnd.setOutputType("ACOUSTPARAMS");
        return Optional.of(new HmmSynthesis(frontEnd, hmm, lister));
    }

    int sampleRate() {
        return voice.getHMMData().getRate();
    }

    /**
     * Speaks {@code text} into {@code out} in blocks of {@code blockSamples} (the last may be shorter), each as soon as
     * the vocoder has made it; returns false when {@code cancelled} stopped it first.
     */
    boolean speak(String text, int blockSamples, Consumer<short[]> out, BooleanSupplier cancelled) throws Exception {
        Document doc = frontEnd.generateXML(text);
        List<Element> segmentsAndBoundaries = new ArrayList<>();
        TreeWalker tw = MaryDomUtils.createTreeWalker(doc, doc, MaryXML.PHONE, MaryXML.BOUNDARY);
        for (Element e; (e = (Element) tw.nextNode()) != null; ) segmentsAndBoundaries.add(e);
        if (segmentsAndBoundaries.isEmpty()) return true;
        if (cancelled.getAsBoolean()) return false;

        TargetFeatureComputer comp = FeatureRegistry.getTargetFeatureComputer(voice, features);
        List<Target> targets = lister.getListTargetFeatures(comp, segmentsAndBoundaries);
        HMMData data = voice.getHMMData();
        HTSUttModel model = new Models().of(targets, segmentsAndBoundaries, data);
        HTSParameterGeneration parameters = new HTSParameterGeneration();
        parameters.htsMaximumLikelihoodParameterGeneration(model, data);
        if (cancelled.getAsBoolean()) return false;
        return new BlockVocoder(blockSamples).vocode(parameters, data, out, cancelled);
    }

    /** MaryTTS's HTS engine, for the one step it does not make public: the utterance model of a target list. */
    private static final class Models extends HTSEngine {
        HTSUttModel of(List<Target> targets, List<Element> segmentsAndBoundaries, HMMData data) throws Exception {
            return processTargetList(targets, segmentsAndBoundaries, data);
        }
    }
}
