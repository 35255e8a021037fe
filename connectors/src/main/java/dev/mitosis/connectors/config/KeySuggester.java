package dev.mitosis.connectors.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the declared key an operator most likely meant by an unknown one ({@code prot} for {@code port},
 * {@code old_shards} for {@code old.shards}), by edit distance with adjacent swaps counted as one edit.
 */
final class KeySuggester {

    private KeySuggester() {
    }

    /** The closest of {@code known}, if it is close enough to be a likely typo of {@code unknown}. */
    static Optional<String> suggest(String unknown, Collection<String> known) {
        String typed = unknown.toLowerCase(Locale.ROOT);
        int allowed = typed.length() <= 4 ? 1 : typed.length() <= 9 ? 2 : 3;
        return known.stream()
                .filter(candidate -> distance(typed, candidate.toLowerCase(Locale.ROOT)) <= allowed)
                .min(Comparator.comparingInt(candidate -> distance(typed, candidate.toLowerCase(Locale.ROOT))));
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
