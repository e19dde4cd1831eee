package org.loyaltyengine.rules;

/**
 * An error of a rule set, placed where the author can find it: a compile error, or a rule that failed as it ran.
 *
 * @param source  the path of the rule source in error
 * @param line    1-based line (the row of a decision table), or 0 when it is not known
 * @param column  0-based column, or 0 when Drools gives none
 * @param message what is wrong, in Drools' words
 * @param rule    the name of the rule in error, or null when it is not known
 */
public record RuleError(String source, int line, int column, String message, String rule) {

    /** An error whose rule is not known (most compile errors). */
    public RuleError(String source, int line, int column, String message) {
        this(source, line, column, message, null);
    }
}
