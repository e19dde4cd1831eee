package org.loyaltyengine.engine.infrastructure.rules;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.rules.CompiledRuleSet;

/**
 * The compiled rule set each programme serves on this instance, read by every sale without a call through the EJB
 * container: {@link RuleSetRegistry} (a singleton EJB for its start-up and schedule) installs the sets here, and a
 * sale asks it only when the programme row names a version not installed yet.
 */
@ApplicationScoped
public class LiveRuleSets {

    /** The version a programme serves and its compiled rules. */
    record Live(int version, CompiledRuleSet rules) {
    }

    private final Map<String, Live> live = new ConcurrentHashMap<>();

    /** The installed set, if it is the version the programme row (read in the caller's transaction) names. */
    public Optional<CompiledRuleSet> current(Programme programme) {
        Live set = live.get(programme.code());
        Integer wanted = programme.liveRuleVersion();
        return set != null && (wanted == null || set.version() == wanted) ? Optional.of(set.rules())
                : Optional.empty();
    }

    Live get(String programmeCode) {
        return live.get(programmeCode);
    }

    void put(String programmeCode, int version, CompiledRuleSet rules) {
        live.put(programmeCode, new Live(version, rules));
    }
}
