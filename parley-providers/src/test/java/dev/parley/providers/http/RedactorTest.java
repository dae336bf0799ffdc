package dev.parley.providers.http;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedactorTest {
    private static final String KEY = "sk-proj-Zx81QmP0aa77BcDeFgHiJkLmNoPqRsTuVwXyZ012345";

    @Test
    void theSecretItselfIsRemovedWherever() {
        Secret key = Secret.of("local-key-42");

        assertThat(Redactor.redact("Invalid key local-key-42, try again (local-key-42)", key))
                .isEqualTo("Invalid key [REDACTED], try again ([REDACTED])");
    }

    @Test
    void keyShapedStringsAndBearerTokensAreRemovedEvenIfNotOurs() {
        assertThat(Redactor.redact("Incorrect API key provided: " + KEY + "."))
                .isEqualTo("Incorrect API key provided: [REDACTED].");
        assertThat(Redactor.redact("header was Authorization: Bearer abc.def-ghi"))
                .isEqualTo("header was Authorization: Bearer [REDACTED]");
        assertThat(Redactor.redact("gsk_abcdefgh1234 and hf_ABCDEFGHijkl")).isEqualTo("[REDACTED] and [REDACTED]");
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        String text = "The model `gpt-4o-mini` does not exist or you do not have access to it. task-force sk-8";

        assertThat(Redactor.redact(text, Secret.none())).isEqualTo(text);
        assertThat(Redactor.redact((String) null)).isNull();
    }

    @Test
    void urlsLoseUserInfoQueryAndFragment() {
        assertThat(Redactor.redactUrl(URI.create("https://user:pw@example.com:8443/v1/chat?api-key=abc#x")))
                .isEqualTo("https://example.com:8443/v1/chat");
        assertThat(Redactor.redactUrl(URI.create("http://localhost:11434/v1"))).isEqualTo("http://localhost:11434/v1");
    }

    @Test
    void aSecretNeverPrintsItself() {
        Secret key = Secret.of("  " + KEY + "\n");

        assertThat(key.reveal()).isEqualTo(KEY);
        assertThat(key.toString()).isEqualTo("Secret[set]").doesNotContain(KEY);
        assertThat(Secret.of("   ").isPresent()).isFalse();
        assertThat(Secret.of(null)).isEqualTo(Secret.none());
        assertThat(Secret.none().toString()).isEqualTo("Secret[none]");
    }

    @Test
    void aKeyThatCannotBeAHeaderValueIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> Secret.of("sk-abc def-secretpart"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the API key contains a space, control or non-ASCII character at position 6 (of 21)")
                .message().doesNotContain("secretpart");
    }
}
