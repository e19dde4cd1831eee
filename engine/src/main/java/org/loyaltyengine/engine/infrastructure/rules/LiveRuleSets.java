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

    /**
     * The version a programme serves and its compiled rules, with the programme's id: a programme deleted and
     * created again under the same code is another programme, whose version 1 is not the old one's.
     */
    record Live(long programmeId, int version, CompiledRuleSet rules) {

        boolean serves(long programme, int wanted) {
            return programmeId == programme && version == wanted;
        }
    }

    private final Map<String, Live> live = new ConcurrentHashMap<>();

    /** The installed set, if it is the version the programme row (read in the caller's transaction) names. */
    public Optional<CompiledRuleSet> current(Programme programme) {
        Live set = live.get(programme.code());
        Integer wanted = programme.liveRuleVersion();
        return set != null && set.programmeId() == programme.id() && (wanted == null || set.version() == wanted)
                ? Optional.of(set.rules()) : Optional.empty();
    }

    Live get(String programmeCode) {
        return live.get(programmeCode);
    }

    void put(Programme programme, int version, CompiledRuleSet rules) {
        live.put(programme.code(), new Live(programme.id(), version, rules));
    }

    /** Stops serving the programmes not among {@code codes} (deleted ones). */
    void keepOnly(java.util.Set<String> codes) {
        live.keySet().retainAll(codes);
    }

    void forget(String programmeCode) {
        live.remove(programmeCode);
    }
}
