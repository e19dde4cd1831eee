package org.loyaltyengine.engine.application;

import java.security.SecureRandom;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Public identifiers of members and transactions ("m-4kq7...", "t-9zd2..."): random, so they reveal nothing of
 * the database's sequences (which jump after a restart, STACK.md T3) and cannot be guessed.
 */
@ApplicationScoped
public class PublicIds {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private final SecureRandom random = new SecureRandom();

    /** Whether the text has the form of an id this class hands out with the prefix given. */
    public static boolean wellFormed(String prefix, String text) {
        if (text == null || text.length() != prefix.length() + 16 || !text.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < text.length(); i++) {
            if (java.util.Arrays.binarySearch(ALPHABET, text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    public String next(String prefix) {
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < 16; i++) {
            id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }
}
