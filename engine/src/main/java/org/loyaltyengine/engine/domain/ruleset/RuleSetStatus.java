package org.loyaltyengine.engine.domain.ruleset;

/** Where a rule set version is in its life. */
public enum RuleSetStatus {
    /** Compiled and stored, not serving. */
    DRAFT,
    /** The programme's live rule set. */
    PUBLISHED,
    /** Was live once, replaced by a later publish or a rollback. */
    RETIRED
}
