package org.loyaltyengine.engine.infrastructure.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.ruleset.RuleSetRepository;
import org.loyaltyengine.engine.domain.ruleset.RuleSetVersion;
import org.loyaltyengine.engine.infrastructure.cluster.ClusterCoordination;
import org.loyaltyengine.rules.CompiledRuleSet;
import org.loyaltyengine.rules.RuleSetCompiler;
import org.loyaltyengine.rules.RuleSetInvalidException;
import org.loyaltyengine.rules.RuleSource;

/**
 * The live rule set of every programme, compiled at start-up so that the first sale does not pay for the first
 * KieBase build (STACK.md, T10). The database says which version each programme serves
 * ({@code programme.live_rule_version}), and every decision reads it with the programme: a sale on any instance
 * after a publish on another is decided by the published version. So that it does not pay the compilation, the
 * publishing instance announces the version through the cluster ({@link ClusterCoordination}) and every instance
 * compiles it at once; a check every {@value #FOLLOW_SECONDS} seconds catches anything missed. A switch replaces a
 * programme's entry in one step: a decision in flight keeps the set it started with, the next one uses the new set.
 */
@Singleton
@Startup
@DependsOn({"DemoProgrammeSeeder", "ClusterCoordination"})
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class RuleSetRegistry {

    /** How often every instance checks the database for a version published elsewhere. */
    public static final int FOLLOW_SECONDS = 5;

    private static final Logger LOG = Logger.getLogger(RuleSetRegistry.class.getName());

    private final Map<String, CompiledRuleSet> compiled = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompiledRuleSet> eldest) {
            return size() > 16;
        }
    };
    private final RuleSetCompiler compiler = new RuleSetCompiler(RuleSetRegistry.class.getClassLoader());

    @Inject
    LiveRuleSets live;

    @Inject
    RuleSetRepository ruleSets;

    @Inject
    ClusterCoordination cluster;

    @PostConstruct
    void loadPublished() {
        cluster.onRulesPublished(announced -> follow());
        for (RuleSetVersion version : ruleSets.findPublished()) {
            if (version.version() == liveVersionOf(version)) {
                install(version);
            }
        }
        follow();
    }

    /** Follows the versions the database says are live; called on a schedule and after every publish. */
    @Schedule(hour = "*", minute = "*", second = "*/" + FOLLOW_SECONDS, persistent = false, info = "rule set follow")
    public synchronized void follow() {
        // One at a time, and with the installs of liveSet: an older snapshot's pruning never drops a set installed
        // after it was read.
        try {
            Map<String, RuleSetRepository.LiveVersion> versions = ruleSets.liveVersions();
            for (Map.Entry<String, RuleSetRepository.LiveVersion> wanted : versions.entrySet()) {
                LiveRuleSets.Live current = live.get(wanted.getKey());
                RuleSetRepository.LiveVersion version = wanted.getValue();
                if (current == null || !current.serves(version.programmeId(), version.version())) {
                    ruleSets.find(wanted.getKey(), version.version()).ifPresent(this::install);
                }
            }
            live.keepOnly(versions.keySet());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not check which rule sets are live; serving the current ones", e);
        }
    }

    /** This instance's own publish or rollback: serve it here at once and tell the other instances. */
    public void published(String programmeCode) {
        follow();
        cluster.announceRules(programmeCode, liveVersion(programmeCode));
    }

    /**
     * The rule set the programme row (read in the caller's transaction) says is live: installed here first when
     * another instance published it and this one has not followed yet.
     */
    public CompiledRuleSet liveSet(Programme programme) {
        Integer wanted = programme.liveRuleVersion();
        LiveRuleSets.Live set = live.get(programme.code());
        if (wanted != null && (set == null || !set.serves(programme.id(), wanted))) {
            synchronized (this) {
                set = live.get(programme.code());
                if (set == null || !set.serves(programme.id(), wanted)) {
                    ruleSets.find(programme.code(), wanted).ifPresent(this::install);
                }
            }
        }
        return liveSet(programme.code());
    }

    /** The compiled live rule set of a programme, as this instance last followed it. */
    public CompiledRuleSet liveSet(String programmeCode) {
        LiveRuleSets.Live set = live.get(programmeCode);
        if (set == null) {
            throw new IllegalStateException("Programme " + programmeCode + " has no published rule set");
        }
        return set.rules();
    }

    /** The version number a programme serves on this instance, or 0 for none. */
    public int liveVersion(String programmeCode) {
        LiveRuleSets.Live set = live.get(programmeCode);
        return set == null ? 0 : set.version();
    }

    /** A stored version compiled (drafts for simulation, the live one); compiled once and kept for reuse. */
    public CompiledRuleSet compiled(RuleSetVersion version) {
        LiveRuleSets.Live current = live.get(version.programme().code());
        if (current != null && current.serves(version.programme().id(), version.version())) {
            return current.rules();
        }
        String key = key(version);
        synchronized (compiled) {
            CompiledRuleSet set = compiled.get(key);
            if (set != null) {
                return set;
            }
        }
        CompiledRuleSet set = compile(version);
        synchronized (compiled) {
            compiled.put(key, set);
        }
        return set;
    }

    /** Keeps a version compiled when it was saved ("DEMO v3"), for its simulation and publication. */
    public void remember(RuleSetVersion version, CompiledRuleSet set) {
        synchronized (compiled) {
            compiled.put(key(version), set);
        }
    }

    /** Forgets a deleted programme's rule sets on this instance (the others drop it at their next check). */
    public void forget(Programme programme) {
        live.forget(programme.code());
        String prefix = programme.id() + ":";
        synchronized (compiled) {
            compiled.keySet().removeIf(key -> key.startsWith(prefix));
        }
    }

    /** A compiled version's key: its programme's id, as a deleted programme's code may be given to a new one. */
    private static String key(RuleSetVersion version) {
        return version.programme().id() + ":" + version.label();
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

    private void install(RuleSetVersion version) {
        long started = System.nanoTime();
        CompiledRuleSet set = compiled(version);
        try {
            set.warmUp(version.programme().code());
        } catch (RuntimeException e) {
            // A rule that throws on made-up facts is the rules' business; real decisions report it.
            LOG.log(Level.FINE, "Warm-up of " + version.label() + " failed", e);
        }
        live.put(version.programme(), version.version(), set);
        LOG.info(() -> "Rule set " + version.label() + " serving (ready in "
                + (System.nanoTime() - started) / 1_000_000 + " ms)");
    }

    private static int liveVersionOf(RuleSetVersion version) {
        Integer wanted = version.programme().liveRuleVersion();
        return wanted == null ? version.version() : wanted;
    }
}
