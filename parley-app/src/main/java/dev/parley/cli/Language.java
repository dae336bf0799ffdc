package dev.parley.cli;

import java.util.Locale;
import java.util.Map;

/**
 * The {@code --language} setting, a BCP-47 tag ({@code en}, {@code ru}, {@code de-DE}), and what each part of the
 * pipeline wants of it: OpenAI and Deepgram take it as it is, Google a tag with a region, the LLM an instruction to
 * answer in it, the voices its base language.
 */
record Language(String tag) {
    /** The region Google's recognisers expect for a bare language: the country where most of its speakers live. */
    private static final Map<String, String> REGIONS = Map.ofEntries(Map.entry("en", "US"), Map.entry("ru", "RU"),
            Map.entry("de", "DE"), Map.entry("fr", "FR"), Map.entry("es", "ES"), Map.entry("it", "IT"), Map.entry("pt", "BR"),
            Map.entry("nl", "NL"), Map.entry("pl", "PL"), Map.entry("uk", "UA"), Map.entry("tr", "TR"), Map.entry("sv", "SE"),
            Map.entry("da", "DK"), Map.entry("nb", "NO"), Map.entry("fi", "FI"), Map.entry("cs", "CZ"), Map.entry("ja", "JP"),
            Map.entry("ko", "KR"), Map.entry("zh", "CN"), Map.entry("hi", "IN"), Map.entry("ar", "SA"), Map.entry("he", "IL"),
            Map.entry("el", "GR"), Map.entry("hu", "HU"), Map.entry("ro", "RO"), Map.entry("id", "ID"), Map.entry("vi", "VN"));

    static Language parse(String code) {
        String c = code == null ? "" : code.strip().replace('_', '-');
        Locale l = Locale.forLanguageTag(c);
        if (c.isEmpty() || l.getLanguage().isEmpty() || !l.toLanguageTag().equalsIgnoreCase(c)) {
            throw new UserError("invalid setting: --language must be a BCP-47 tag such as en, ru or de-DE, not \"" + code + "\"");
        }
        return new Language(l.toLanguageTag());
    }

    /** The language without its region: {@code ru}. */
    String base() {
        return Locale.forLanguageTag(tag).getLanguage();
    }

    boolean english() {
        return base().equals("en");
    }

    /** With a region, as Google's recognisers and voices want it: {@code ru} → {@code ru-RU}. */
    String withRegion() {
        Locale l = Locale.forLanguageTag(tag);
        if (!l.getCountry().isEmpty()) return tag;
        String region = REGIONS.get(base());
        return region == null ? tag : base() + "-" + region;
    }

    /** Its name in English: {@code Russian}. */
    String name() {
        return Locale.forLanguageTag(base()).getDisplayLanguage(Locale.ENGLISH);
    }

    /** What the LLM is told so that it answers in this language; empty for English. */
    String answerInstruction() {
        return english() ? "" : "Always answer in " + name() + ".";
    }
}
