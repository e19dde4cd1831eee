package org.loyaltyengine.rules;

/**
 * Levenshtein's distance: the letters to add, remove or change to make one word the other. The rule guard uses it
 * to name the member a misspelt one was meant to be, the engine to find members whose names differ by a typo.
 */
public final class EditDistance {

    private EditDistance() {
    }

    /** The distance between two words. */
    public static int between(String a, String b) {
        return between(a, b, Math.max(a.length(), b.length()));
    }

    /** The distance between two words, or {@code limit + 1} as soon as it exceeds the limit. */
    public static int between(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) {
            return limit + 1;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int best = current[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                best = Math.min(best, current[j]);
            }
            if (best > limit) {
                return limit + 1;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[b.length()], limit + 1);
    }
}
