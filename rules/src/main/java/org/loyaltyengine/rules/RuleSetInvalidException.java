package org.loyaltyengine.rules;

import java.util.List;

/** Thrown by {@link RuleSetCompiler#compile} when a rule set does not compile; carries every error found. */
public final class RuleSetInvalidException extends Exception {

    private final transient List<RuleError> errors;

    public RuleSetInvalidException(List<RuleError> errors) {
        super(errors.size() + " error(s) in the rule set, first: " + (errors.isEmpty() ? "?" : errors.get(0)));
        this.errors = List.copyOf(errors);
    }

    public List<RuleError> errors() {
        return errors;
    }
}
