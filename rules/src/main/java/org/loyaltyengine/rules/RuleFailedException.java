package org.loyaltyengine.rules;

/**
 * Thrown by {@link CompiledRuleSet} when a rule that compiled fails as it runs (a division by zero in its
 * consequence, a null in a condition): names the rule set, the rule and where the rule is written, so that a
 * manager can be told which rule to mend. Nothing the session decided is returned then.
 */
public final class RuleFailedException extends RuntimeException {

    private final String ruleSet;
    private final String rule;
    private final String source;
    private final int line;

    RuleFailedException(String ruleSet, String rule, String source, int line, Throwable cause) {
        super("Rule set " + ruleSet + ": rule " + (rule == null ? "(unknown)" : "\"" + rule + "\"")
                + " failed as it ran: " + describe(cause), cause);
        this.ruleSet = ruleSet;
        this.rule = rule;
        this.source = source;
        this.line = line;
    }

    /** The label of the rule set ("DEMO v3"). */
    public String ruleSet() {
        return ruleSet;
    }

    /** The failing rule's name, or null when Drools did not say. */
    public String rule() {
        return rule;
    }

    /** The path of the file the rule is written in, or "" when it could not be found. */
    public String source() {
        return source;
    }

    /** The 1-based line the rule starts on in {@link #source()} (the row of a decision table), or 0. */
    public int line() {
        return line;
    }

    /** What went wrong at the root, in the words of the exception that caused it ("ArithmeticException: / by zero"). */
    public String reason() {
        return describe(getCause());
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == null ? "?" : root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
