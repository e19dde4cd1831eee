package org.loyaltyengine.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import org.loyaltyengine.rules.CompiledRuleSet;
import org.loyaltyengine.rules.EarningDecision;
import org.loyaltyengine.rules.RuleSetCompiler;
import org.loyaltyengine.rules.fact.MemberProfile;
import org.loyaltyengine.rules.fact.Purchase;

/**
 * One 10-line basket decided by a rule set (a compiled KieBase reused, a session per decision, as the engine
 * does) and by the same decisions hand-coded, on one thread. Throughput and the latency distribution (p99).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@Threads(1)
public class RuleEvaluationBenchmark {

    @Param({"demo", "generated-200", "generated-2000"})
    public String ruleSet;

    private CompiledRuleSet rules;
    private HandCodedRules handCoded;
    private Purchase basket;
    private MemberProfile member;

    @Setup
    public void compile() throws Exception {
        rules = new RuleSetCompiler().compile(ruleSet, GeneratedRuleSets.named(ruleSet));
        handCoded = new HandCodedRules(ruleSet);
        basket = GeneratedRuleSets.basket();
        member = GeneratedRuleSets.member();
        long byRules = rules.decideEarning(basket, member, GeneratedRuleSets.TIERS).totalPoints();
        long byHand = handCoded.points(basket, member);
        if (byRules != byHand) {
            throw new IllegalStateException(ruleSet + ": rules give " + byRules + " points, hand-coded " + byHand);
        }
    }

    @Benchmark
    public EarningDecision drools() {
        return rules.decideEarning(basket, member, GeneratedRuleSets.TIERS);
    }

    @Benchmark
    public long handCoded() {
        return handCoded.points(basket, member);
    }
}
