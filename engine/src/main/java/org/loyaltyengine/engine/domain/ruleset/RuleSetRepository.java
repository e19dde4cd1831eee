package org.loyaltyengine.engine.domain.ruleset;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where rule set versions and their publication history are kept. */
public interface RuleSetRepository {

    /** The published version of every programme that has one. */
    List<RuleSetVersion> findPublished();

    void add(RuleSetVersion version);

    /** The programme's published version, if it has one. */
    Optional<RuleSetVersion> findPublished(String programmeCode);

    Optional<RuleSetVersion> find(String programmeCode, int version);

    /** The programme's versions, newest first. */
    List<RuleSetVersion> versions(String programmeCode);

    /** The number the programme's next version gets. */
    int nextVersionNumber(String programmeCode);

    void add(RuleSetPublication publication);

    /** The programme's publishes and rollbacks, newest first. */
    List<RuleSetPublication> publications(String programmeCode);

    /** Which version each programme serves, as the database says now. */
    Map<String, LiveVersion> liveVersions();

    /** The rule set version a programme serves, with the programme's own id: a code is reused by a new programme. */
    record LiveVersion(long programmeId, int version) {
    }
}
