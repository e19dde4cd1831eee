package org.loyaltyengine.engine.application;

import java.util.List;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.rules.RuleError;

/** A rule set edit that does not compile: 422 {@code rules_invalid} with every error's file, line and column. */
public class RulesInvalidException extends DomainException {

    private final transient List<RuleError> errors;

    public RulesInvalidException(List<RuleError> errors) {
        super(Kind.UNPROCESSABLE, "rules_invalid", errors.size() + " error(s) in the rule set; the live rule set"
                + " keeps serving. First: " + (errors.isEmpty() ? "" : describe(errors.get(0))), "files");
        this.errors = List.copyOf(errors);
    }

    public List<RuleError> errors() {
        return errors;
    }

    private static String describe(RuleError error) {
        return error.source() + " line " + error.line() + ", column " + error.column() + ": " + error.message();
    }
}
