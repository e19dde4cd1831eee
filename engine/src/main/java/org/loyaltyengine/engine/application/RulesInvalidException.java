package org.loyaltyengine.engine.application;

import java.util.List;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.rules.RuleError;

/**
 * A rule set that does not compile, or whose rules fail as they run (found by a simulation or by the trial before
 * publishing): 422 {@code rules_invalid} with every error's file, line and column, and the failing rule's name.
 */
public class RulesInvalidException extends DomainException {

    private final transient List<RuleError> errors;

    public RulesInvalidException(List<RuleError> errors) {
        super(Kind.UNPROCESSABLE, "rules_invalid", errors.size() + " error(s) in the rule set; the live rule set"
                + " keeps serving. First: " + (errors.isEmpty() ? "" : describe(errors.get(0))), "files");
        this.errors = List.copyOf(errors);
    }

    /** Rules that compile but fail as they run; the message says what was tried. */
    public RulesInvalidException(String message, List<RuleError> errors) {
        super(Kind.UNPROCESSABLE, "rules_invalid", message + (errors.isEmpty() ? "" : " First: "
                + describe(errors.get(0))), "version");
        this.errors = List.copyOf(errors);
    }

    public List<RuleError> errors() {
        return errors;
    }

    private static String describe(RuleError error) {
        return error.source() + " line " + error.line() + ", column " + error.column() + ": " + error.message();
    }
}
