package dev.parley.transport.realtime;

import java.security.SecureRandom;

/** Identifiers shaped like OpenAI's: a prefix and 21 base-62 characters. */
public final class Ids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String next(String prefix) {
        StringBuilder b = new StringBuilder(prefix.length() + 22).append(prefix).append('_');
        for (int i = 0; i < 21; i++) b.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        return b.toString();
    }
}
