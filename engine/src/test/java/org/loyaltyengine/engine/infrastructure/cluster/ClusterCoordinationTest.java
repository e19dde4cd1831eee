package org.loyaltyengine.engine.infrastructure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.concurrent.ManagedExecutorService;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * The cluster's coordination on two real Hazelcast members joined over loopback, as Payara Micro's instances join
 * (the same Hazelcast, 5.3.8): every period of a scheduled job is run by exactly one instance however many ask at
 * once, and a rule set published on one instance is announced to the other. (That a clustered Payara hands the
 * engine this member is shown by the reliability suite, whose rule publication check runs on two instances.)
 */
class ClusterCoordinationTest {

    private static final ExecutorService THREADS = Executors.newCachedThreadPool();
    private static HazelcastInstance first;
    private static HazelcastInstance second;
    private static String cluster;

    @BeforeAll
    static void twoInstancesJoin() {
        cluster = "loyalty-test-" + UUID.randomUUID();
        first = Hazelcast.newHazelcastInstance(config(cluster));
        second = Hazelcast.newHazelcastInstance(config(cluster));
        assertThat(second.getCluster().getMembers()).hasSize(2);
    }

    @AfterAll
    static void stop() {
        second.shutdown();
        first.shutdown();
        THREADS.shutdownNow();
    }

    @Test
    void eachPeriodOfAJobIsRunByExactlyOneInstanceHoweverManyAskAtOnce() throws Exception {
        List<ClusterCoordination> instances = List.of(coordination(first), coordination(second));
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Map<ClusterCoordination, AtomicInteger> byInstance = new ConcurrentHashMap<>();
        int periods = 200;
        CountDownLatch start = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> askers = new ArrayList<>();
        // Every instance's timer fires for every period, twice over, from threads of its own.
        for (ClusterCoordination instance : instances) {
            for (int thread = 0; thread < 4; thread++) {
                askers.add(THREADS.submit(() -> {
                    start.await();
                    for (int hour = 0; hour < periods; hour++) {
                        String period = "2026-12-04T" + hour;
                        if (instance.claim("expiry", period)) {
                            runs.computeIfAbsent(period, p -> new AtomicInteger()).incrementAndGet();
                            byInstance.computeIfAbsent(instance, i -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
        }
        start.countDown();
        for (java.util.concurrent.Future<?> asker : askers) {
            asker.get(60, TimeUnit.SECONDS);
        }

        assertThat(runs).hasSize(periods);
        assertThat(runs.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(instances.get(0).claim("expiry", "2026-12-04T0")).as("a period already run").isFalse();
        assertThat(instances.get(1).claim("tier-review", "2026-12-04T0")).as("another job's period").isTrue();
        assertThat(instances.get(0).claim("tier-review", "2026-12-04T0")).isFalse();
        assertThat(byInstance.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(periods);
    }

    @Test
    void aRuleSetPublishedOnOneInstanceIsAnnouncedToTheOther() throws Exception {
        BlockingQueue<String> heardBySecond = new LinkedBlockingQueue<>();
        coordination(second).onRulesPublished(heardBySecond::add);

        coordination(first).announceRules("DEMO", 7);

        assertThat(heardBySecond.poll(20, TimeUnit.SECONDS)).isEqualTo("DEMO:7");
    }

    @Test
    void anInstanceIsGoneOnceNoMemberOfTheClusterAnswersToItsName() throws Exception {
        HazelcastInstance third = Hazelcast.newHazelcastInstance(config(cluster));
        coordination(first).register("engine-1", true);
        coordination(third).register("engine-3", true);
        ClusterCoordination seenBySecond = coordination(second);
        List<String> names = List.of("engine-1", "engine-3", "engine-of-last-year");

        assertThat(seenBySecond.gone(names)).as("a name no member entered is gone").containsExactly(
                "engine-of-last-year");

        third.getLifecycleService().terminate(); // as kill -9 does: no leaving the cluster in good order
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (seenBySecond.gone(names).size() < 2 && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        assertThat(seenBySecond.gone(names)).containsExactly("engine-3", "engine-of-last-year");
        assertThat(coordination(first).gone(names)).containsExactly("engine-3", "engine-of-last-year");

        HazelcastInstance restarted = Hazelcast.newHazelcastInstance(config(cluster));
        try {
            coordination(restarted).register("engine-3", false); // as a run does, without waiting
            until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seenBySecond.gone(names).size() > 1 && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(seenBySecond.gone(names)).as("the name entered again by the restarted instance")
                    .containsExactly("engine-of-last-year");
        } finally {
            restarted.shutdown();
        }
    }

    @Test
    void anInstanceStartedWithoutAClusterRunsEveryJobItself() {
        ClusterCoordination alone = new ClusterCoordination();

        assertThat(alone.clustered()).isFalse();
        assertThat(alone.members()).isEqualTo(1);
        assertThat(alone.claim("expiry", "2026-12-04T01")).isTrue();
        assertThat(alone.claim("expiry", "2026-12-04T01")).as("no cluster, no memory: the job is idempotent")
                .isTrue();
        alone.register("engine", true);
        assertThat(alone.gone(List.of("engine", "another-engine"))).as("it cannot tell who is gone").isEmpty();
    }

    private static ClusterCoordination coordination(HazelcastInstance member) {
        ClusterCoordination coordination = new ClusterCoordination();
        coordination.grid = member;
        coordination.executor = (ManagedExecutorService) Proxy.newProxyInstance(
                ClusterCoordinationTest.class.getClassLoader(), new Class<?>[] {ManagedExecutorService.class},
                (proxy, method, args) -> method.invoke(THREADS, args));
        return coordination;
    }

    /** Loopback only, members found by TCP as {@code run-cluster.sh} has Payara find them; no multicast. */
    private static Config config(String cluster) {
        Config config = new Config();
        config.setClusterName(cluster);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.getNetworkConfig().setPort(5970).setPortAutoIncrement(true).setPortCount(4);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(List.of("127.0.0.1:5970", "127.0.0.1:5971",
                "127.0.0.1:5972", "127.0.0.1:5973"));
        return config;
    }
}
