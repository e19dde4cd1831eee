package org.loyaltyengine.engine.infrastructure.rules;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

import org.loyaltyengine.engine.domain.ruleset.RuleSetRepository;
import org.loyaltyengine.engine.domain.ruleset.RuleSetVersion;
import org.loyaltyengine.rules.CompiledRuleSet;
import org.loyaltyengine.rules.RuleSetCompiler;
import org.loyaltyengine.rules.RuleSetInvalidException;
import org.loyaltyengine.rules.RuleSource;

/**
 * The live rule set of every programme, compiled at start-up so that the first sale does not pay for the first
 * KieBase build (STACK.md, T10). A publish replaces a programme's entry in one step: a decision in flight keeps
 * the set it started with, the next one uses the new set.
 */
@Singleton
@Startup
@DependsOn("DemoProgrammeSeeder")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class RuleSetRegistry {

    private static final Logger LOG = Logger.getLogger(RuleSetRegistry.class.getName());

    private final Map<String, CompiledRuleSet> live = new ConcurrentHashMap<>();
    private final RuleSetCompiler compiler = new RuleSetCompiler(RuleSetRegistry.class.getClassLoader());

    @Inject
    RuleSetRepository ruleSets;

    @PostConstruct
    void loadPublished() {
        for (RuleSetVersion version : ruleSets.findPublished()) {
            long started = System.nanoTime();
            live.put(version.programme().code(), compile(version));
            LOG.info(() -> "Rule set " + version.label() + " compiled in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms and serving");
        }
    }

    /** Loads and compiles the programme's published version (a new programme's first one). */
    public void load(String programmeCode) {
        ruleSets.findPublished(programmeCode).ifPresent(version -> live.put(programmeCode, compile(version)));
    }

    /** The compiled live rule set of a programme. */
    public CompiledRuleSet liveSet(String programmeCode) {
        CompiledRuleSet set = live.get(programmeCode);
        if (set == null) {
            throw new IllegalStateException("Programme " + programmeCode + " has no published rule set");
        }
        return set;
    }

    /** Compiles a stored version; a stored version compiled when it was saved, so failing now is a defect. */
    public CompiledRuleSet compile(RuleSetVersion version) {
        List<RuleSource> sources = version.files().stream()
                .map(file -> new RuleSource(file.path(), file.content())).toList();
        try {
            return compiler.compile(version.label(), sources);
        } catch (RuleSetInvalidException e) {
            throw new IllegalStateException("Stored rule set " + version.label() + " does not compile: "
                    + e.getMessage(), e);
        }
    }
}
