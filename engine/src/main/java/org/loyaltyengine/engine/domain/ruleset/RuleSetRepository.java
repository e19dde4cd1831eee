package org.loyaltyengine.engine.domain.ruleset;

import java.util.List;

/** Where rule set versions are kept. */
public interface RuleSetRepository {

    /** The published version of every programme that has one. */
    List<RuleSetVersion> findPublished();

    void add(RuleSetVersion version);

    /** The programme's published version, if it has one. */
    java.util.Optional<RuleSetVersion> findPublished(String programmeCode);
}
