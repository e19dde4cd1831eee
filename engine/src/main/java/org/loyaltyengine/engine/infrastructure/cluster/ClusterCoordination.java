package org.loyaltyengine.engine.infrastructure.cluster;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedExecutorService;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;

/**
 * The cluster as the engine sees it, through the Hazelcast instance Payara Micro runs when it is clustered
 * ({@code --clusterName}; JNDI {@code payara/Hazelcast}). Nothing here is the truth: the database is. The grid only
 * decides which instance runs a scheduled job of a given period (the first to claim it in a distributed map), and
 * carries the news that a rule set was published, so every instance compiles it before its next sale; and it tells
 * which instances, by their names in the jobs' journal, are no longer members. An instance started with {@code
 * --nocluster} (the default launcher, the tests) is a cluster of one: it claims every job.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ClusterCoordination {

    private static final Logger LOG = Logger.getLogger(ClusterCoordination.class.getName());

    static final String JOB_RUNS = "loyalty-job-runs";
    static final String INSTANCES = "loyalty-instances";
    static final String RULES_TOPIC = "loyalty-rules-published";
    static final String KEYS_TOPIC = "loyalty-pos-keys-revoked";

    /** How long a claim waits for the grid's answer. */
    static final java.time.Duration CLAIM_WAIT = java.time.Duration.ofSeconds(5);

    @Resource
    ManagedExecutorService executor;

    /** Payara's Hazelcast member when clustered, null otherwise (set by {@link #join}; by hand in the tests). */
    HazelcastInstance grid;

    @PostConstruct
    void join() {
        try {
            HazelcastInstance instance = (HazelcastInstance) new InitialContext().lookup("payara/Hazelcast");
            if (instance != null && instance.getLifecycleService().isRunning()) {
                grid = instance;
                LOG.info(() -> "Clustered: " + grid.getCluster().getMembers().size() + " member(s) in Hazelcast"
                        + " cluster " + grid.getConfig().getClusterName());
            }
        } catch (NamingException | RuntimeException e) {
            LOG.log(Level.INFO, "Not clustered (Payara's Hazelcast is not running): this instance runs every"
                    + " scheduled job itself");
        }
    }

    /** Whether this instance is part of a Payara cluster. */
    public boolean clustered() {
        return grid != null;
    }

    /** How many instances the cluster has now (1 when not clustered). */
    public int members() {
        return grid == null ? 1 : grid.getCluster().getMembers().size();
    }

    /**
     * Claims a job's run for a period ("expiry", "2026-11-23T14:05:00Z"): {@code true} for exactly one instance of
     * the cluster, the first to ask; also {@code true} when the grid does not answer within {@link #CLAIM_WAIT} or
     * fails, and then the jobs' journal alone lets one instance run the period. The claim is kept two days, longer
     * than the jobs' default periods; the journal refuses a period's second run whatever the grid keeps (or
     * forgets, when the instances lose sight of each other). The jobs are idempotent, so an instance that dies
     * after claiming loses nothing: the next period's run catches up.
     */
    public boolean claim(String job, String period) {
        if (grid == null) {
            return true;
        }
        String key = job + "@" + period;
        try {
            IMap<String, String> runs = grid.getMap(JOB_RUNS);
            String me = grid.getCluster().getLocalMember().getUuid().toString();
            // A put waits for the instance that owns the key's partition: a frozen one holds it up until the others
            // drop it (60 s), and the timer with it. Past a few seconds the journal decides alone.
            return within(() -> runs.putIfAbsent(key, me, 2, TimeUnit.DAYS)) == null;
        } catch (TimeoutException e) {
            LOG.warning(() -> "The cluster did not answer the claim of " + key + " within " + CLAIM_WAIT.toSeconds()
                    + " s (an instance frozen?); the jobs' journal decides which instance runs it");
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not claim " + key + " in the cluster; the jobs' journal decides which"
                    + " instance runs it", e);
            return true;
        }
    }

    /**
     * Gives back a claim this instance made ({@link #claim}) and could not act on (the journal could not be written):
     * another instance's timer of the same period may then take it, instead of nobody running it. A failure only
     * leaves the claim in place; the next period is claimed afresh.
     */
    public void release(String job, String period) {
        if (grid == null) {
            return;
        }
        String key = job + "@" + period;
        try {
            String me = grid.getCluster().getLocalMember().getUuid().toString();
            within(() -> grid.<String, String>getMap(JOB_RUNS).remove(key, me));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not give back the claim of " + key + " in the cluster", e);
        }
    }

    /**
     * Enters this instance's name in the grid with its member, so that the others can tell when it is gone ({@link
     * #gone}). Waits up to {@link #CLAIM_WAIT} with {@code wait}, not at all without it (a name entered again after
     * a split brain's merge, when the member may have a new identity).
     */
    public void register(String instance, boolean wait) {
        if (grid == null) {
            return;
        }
        try {
            IMap<String, String> names = grid.getMap(INSTANCES);
            String me = grid.getCluster().getLocalMember().getUuid().toString();
            if (wait) {
                within(() -> names.put(instance, me));
            } else {
                names.putAsync(instance, me);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not enter instance " + instance + " in the cluster; it does so again at its"
                    + " next scheduled run", e);
        }
    }

    /**
     * Of the instance names given, those no member of the cluster answers to now: entered by a member that left
     * (killed, stopped, or cut off from this one) or never entered. Empty when this instance is not clustered (it
     * cannot tell), or when the grid does not answer within {@link #CLAIM_WAIT}.
     */
    public Set<String> gone(Collection<String> instances) {
        if (grid == null || instances.isEmpty()) {
            return Set.of();
        }
        try {
            IMap<String, String> names = grid.getMap(INSTANCES);
            Set<String> asked = new HashSet<>(instances);
            Map<String, String> members = within(() -> names.getAll(asked));
            Set<String> alive = grid.getCluster().getMembers().stream()
                    .map(member -> member.getUuid().toString())
                    .collect(Collectors.toSet());
            return asked.stream().filter(name -> !alive.contains(members.get(name)))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not ask the cluster which instances are gone", e);
            return Set.of();
        }
    }

    /** The grid's answer, waited for {@link #CLAIM_WAIT} at most on a managed thread. */
    private <T> T within(Callable<T> question) throws InterruptedException, ExecutionException, TimeoutException {
        return executor.submit(question).get(CLAIM_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Tells every instance that a programme's rule set version was published. */
    public void announceRules(String programme, int version) {
        if (grid != null) {
            try {
                grid.<String>getTopic(RULES_TOPIC).publish(programme + ":" + version);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not announce " + programme + " v" + version + "; the other instances"
                        + " find it in the database at their next sale", e);
            }
        }
    }

    /** Runs the action, on a managed thread, whenever any instance announces a published rule set. */
    public void onRulesPublished(Consumer<String> action) {
        if (grid == null) {
            return;
        }
        ITopic<String> topic = grid.getTopic(RULES_TOPIC);
        topic.addMessageListener(message -> executor.execute(() -> action.accept(message.getMessageObject())));
    }

    /**
     * Tells every instance that a till's key (its hash) was revoked, so that each forgets it at once instead of when
     * its cache of keys reads it again. Best effort: an instance that misses it refuses the key within the cache's
     * time all the same.
     */
    public void announceKeyRevoked(String keyHash) {
        if (grid != null) {
            try {
                grid.<String>getTopic(KEYS_TOPIC).publish(keyHash);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not announce a revoked POS key; the other instances refuse it once"
                        + " their cache of keys reads it again", e);
            }
        }
    }

    /** Runs the action, on a managed thread, whenever any instance announces a revoked key (its hash). */
    public void onKeyRevoked(Consumer<String> action) {
        if (grid == null) {
            return;
        }
        try {
            ITopic<String> topic = grid.getTopic(KEYS_TOPIC);
            topic.addMessageListener(message -> executor.execute(() -> action.accept(message.getMessageObject())));
        } catch (RuntimeException e) {
            // The tills keep working: a key revoked on another instance is refused here within the cache's 30 s.
            LOG.log(Level.WARNING, "Could not follow the cluster's news of revoked POS keys; this instance refuses"
                    + " a key revoked elsewhere once its cache of keys reads it again", e);
        }
    }
}
