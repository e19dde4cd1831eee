package org.loyaltyengine.rules;

/**
 * A compile error of a rule set, placed where the author can find it.
 *
 * @param source  the path of the rule source in error
 * @param line    1-based line, or 0 when Drools gives none
 * @param column  0-based column, or 0 when Drools gives none
 * @param message what is wrong, in Drools' words
 */
public record RuleError(String source, int line, int column, String message) {
}
