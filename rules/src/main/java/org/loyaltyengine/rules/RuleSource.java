package org.loyaltyengine.rules;

import java.util.Locale;
import java.util.Objects;

/**
 * One file of a rule set: a DRL file or a CSV decision table, named by a relative path such as
 * {@code earning/base-earn.drl}. Compile errors are reported against this path.
 *
 * @param path    relative path; its extension ({@code .drl} or {@code .csv}) says how it is compiled
 * @param content the file's text
 */
public record RuleSource(String path, String content) {

    public RuleSource {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        if (path.isBlank() || path.startsWith("/") || path.contains("..")) {
            throw new IllegalArgumentException("A rule source path must be relative, was '" + path + "'");
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".drl") && !lower.endsWith(".csv")) {
            throw new IllegalArgumentException("A rule source is a .drl file or a .csv decision table, was '" + path + "'");
        }
    }
}
