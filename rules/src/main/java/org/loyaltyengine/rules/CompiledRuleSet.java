package org.loyaltyengine.rules;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.rule.ConsequenceException;
import org.kie.api.runtime.rule.FactHandle;
import org.loyaltyengine.rules.decision.OfferGrant;
import org.loyaltyengine.rules.decision.PointsAward;
import org.loyaltyengine.rules.decision.PointsCap;
import org.loyaltyengine.rules.decision.RedemptionRefusal;
import org.loyaltyengine.rules.decision.TierStanding;
import org.loyaltyengine.rules.fact.MemberProfile;
import org.loyaltyengine.rules.fact.OfferDefinition;
import org.loyaltyengine.rules.fact.OfferInUse;
import org.loyaltyengine.rules.fact.Purchase;
import org.loyaltyengine.rules.fact.RedemptionRequest;
import org.loyaltyengine.rules.fact.TierThreshold;
import org.loyaltyengine.rules.fact.Today;

/**
 * A compiled, immutable rule set. Safe to share between threads: every decision runs in a session of its own,
 * so one decision is made entirely by one rule set even while a newer one is being published.
 *
 * <p>Each decision throws {@link RuleFailedException}, naming the rule, when a rule fails as it runs.
 */
public final class CompiledRuleSet {

    /**
     * The most rule firings one decision may take. A sale of twenty lines under a few hundred rules fires a few
     * hundred times; a rule that keeps matching what it inserts or modifies would fire until the engine ran out of
     * memory, holding the member's lock, and every till's retry of that sale would take down the next instance.
     */
    static final int MAX_FIRINGS = 10_000;

    /** How Drools names the rule of a failing condition: {@code [Rule "name" in file.drl]}. */
    private static final Pattern RULE_IN_MESSAGE = Pattern.compile("Rule \"([^\"]+)\"");

    private final String label;
    private final KieBase kieBase;
    private final List<RuleSource> sources;

    /**
     * Built once: a session built without a configuration reads Drools' configuration files from the class path
     * every time, which in an application server's class loader costs far more than the decision itself.
     */
    private final KieSessionConfiguration sessionConfiguration;

    CompiledRuleSet(String label, KieBase kieBase, List<RuleSource> sources) {
        this.label = label;
        this.kieBase = kieBase;
        this.sources = List.copyOf(sources);
        this.sessionConfiguration = KieServices.Factory.get().newKieSessionConfiguration();
    }

    public String label() {
        return label;
    }

    /**
     * Makes one of each decision on made-up facts, so that the first real sale after a start or a publish does not
     * pay for loading and warming the session machinery (a till waits well under a second). Writes nothing.
     */
    public void warmUp(String programme) {
        MemberProfile member = new MemberProfile("m-warm-up", "-", LocalDate.of(2000, 1, 1), null, 0, 3,
                java.math.BigDecimal.TEN, 3, 3, 3, "loyal", "grocery", java.math.BigDecimal.ZERO);
        Purchase purchase = Purchase.of(programme, "-", "store", java.time.LocalDateTime.of(2000, 1, 1, 12, 0),
                "EUR", List.of(org.loyaltyengine.rules.fact.PurchaseLine.of("-", "grocery", 1,
                        java.math.BigDecimal.TEN)));
        for (int i = 0; i < 20; i++) {
            decideEarning(purchase, member, List.of(new TierThreshold("-", 0, 0)),
                    List.of(new OfferInUse("o-warm-up", "-", "BONUS_POINTS", 1, 0, null, java.math.BigDecimal.ONE)));
            decideRedemption(new RedemptionRequest(1, null, null, 10), member);
            decideOffers(member, List.of(new OfferDefinition("-", "-", "BONUS_POINTS", null)), LocalDate.of(2000, 1, 1));
        }
    }

    /**
     * Asks the redemption rules whether a member may spend points.
     *
     * @return the refusal of the first refusing rule, empty when the redemption may go ahead
     */
    public Optional<RedemptionRefusal> decideRedemption(RedemptionRequest request, MemberProfile member) {
        KieSession session = newSession();
        try {
            session.insert(request);
            session.insert(member);
            fire(session);
            return session.getObjects(RedemptionRefusal.class::isInstance).stream()
                    .map(RedemptionRefusal.class::cast)
                    .min(Comparator.comparing(RedemptionRefusal::rule));
        } catch (RuntimeException | StackOverflowError e) {
            throw failure(e, session);
        } finally {
            session.dispose();
        }
    }

    /**
     * The tier the member's standing reaches without a purchase: the yearly review.
     *
     * @return the tier reached, empty when the rule set has no tier rules
     */
    public Optional<TierStanding> decideTier(MemberProfile member, Collection<TierThreshold> tiers) {
        KieSession session = newSession();
        try {
            session.insert(member);
            tiers.forEach(session::insert);
            fire(session);
            return session.getObjects(TierStanding.class::isInstance).stream()
                    .map(TierStanding.class::cast)
                    .findFirst();
        } catch (RuntimeException | StackOverflowError e) {
            throw failure(e, session);
        } finally {
            session.dispose();
        }
    }

    /**
     * Asks the incentive rules which of the programme's offers the member should get today.
     *
     * @param member the member's profile, with their scores, segment and affinities
     * @param offers the programme's offers active today
     * @param today  the programme's date
     * @return the grants in the order the rules made them, one per offer code
     */
    public List<OfferGrant> decideOffers(MemberProfile member, Collection<OfferDefinition> offers, LocalDate today) {
        KieSession session = newSession();
        try {
            session.insert(member);
            session.insert(new Today(today));
            offers.forEach(session::insert);
            fire(session);
            List<FactHandle> handles = new ArrayList<>();
            for (FactHandle handle : session.getFactHandles()) {
                if (handle.getObject() instanceof OfferGrant) {
                    handles.add(handle);
                }
            }
            handles.sort(Comparator.comparingLong(FactHandle::getId));
            Map<String, OfferGrant> grants = new LinkedHashMap<>();
            for (FactHandle handle : handles) {
                OfferGrant grant = (OfferGrant) handle.getObject();
                grants.putIfAbsent(grant.offer(), grant);
            }
            return List.copyOf(grants.values());
        } catch (RuntimeException | StackOverflowError e) {
            throw failure(e, session);
        } finally {
            session.dispose();
        }
    }

    /**
     * Fires the rule set on a purchase.
     *
     * @param purchase the basket and where and when it was bought
     * @param member   the member's profile before this purchase
     * @param tiers    the programme's tiers, for the tier rules
     */
    public EarningDecision decideEarning(Purchase purchase, MemberProfile member, Collection<TierThreshold> tiers) {
        return decideEarning(purchase, member, tiers, List.of());
    }

    /**
     * Fires the rule set on a purchase that uses personal offers.
     *
     * @param offers the member's offers presented with the purchase, checked by the engine as theirs and open
     */
    public EarningDecision decideEarning(Purchase purchase, MemberProfile member, Collection<TierThreshold> tiers,
                                         Collection<OfferInUse> offers) {
        KieSession session = newSession();
        try {
            insertPurchase(session, purchase, member, tiers, offers);
            fire(session);
            // One pass over the session's facts; fact handle ids grow with insertion, so sorting the awards by
            // id lists them in the order the rules made them.
            List<FactHandle> awardHandles = new ArrayList<>();
            TierStanding standing = null;
            PointsCap cap = null;
            for (FactHandle handle : session.getFactHandles()) {
                Object fact = handle.getObject();
                if (fact instanceof PointsAward) {
                    awardHandles.add(handle);
                } else if (fact instanceof TierStanding reached) {
                    standing = reached;
                } else if (fact instanceof PointsCap decided && (cap == null || decided.maximum() < cap.maximum())) {
                    cap = decided;
                }
            }
            awardHandles.sort(Comparator.comparingLong(FactHandle::getId));
            List<PointsAward> awards = new ArrayList<>(awardHandles.size() + 1);
            long total = 0;
            PointsAward largest = null;
            for (FactHandle handle : awardHandles) {
                PointsAward award = (PointsAward) handle.getObject();
                awards.add(award);
                total += award.points();
                largest = largest == null || award.points() > largest.points() ? award : largest;
            }
            if (total > PointsAward.MOST) {
                // Each award is within the most, their sum is not (at most MAX_FIRINGS of them: no overflow).
                String rule = insertedBy(largest, purchase, member, tiers, offers);
                RuleLocation location = RuleLocation.of(rule, sources);
                throw new RuleFailedException(label, rule, location.source(), location.line(),
                        new IllegalStateException("the awards of one purchase add up to " + total + " points, beyond"
                                + " the " + PointsAward.MOST + " a purchase may earn; the largest, " + largest.points()
                                + " (\"" + largest.rule() + "\")"));
            }
            if (cap != null && total > cap.maximum()) {
                awards.add(new PointsAward(cap.rule(), cap.maximum() - total));
            }
            return new EarningDecision(label, awards, Optional.ofNullable(standing));
        } catch (RuntimeException | StackOverflowError e) {
            throw failure(e, session);
        } finally {
            session.dispose();
        }
    }

    private static void insertPurchase(KieSession session, Purchase purchase, MemberProfile member,
                                       Collection<TierThreshold> tiers, Collection<OfferInUse> offers) {
        session.insert(purchase);
        purchase.lines().forEach(session::insert);
        session.insert(member);
        tiers.forEach(session::insert);
        offers.forEach(session::insert);
    }

    /**
     * The rule whose action inserted the award (its name in the rule files, which an award's own name need not
     * be: a decision table's row names its award from a cell), found by deciding the purchase again, watched; only
     * when the decision fails, so a sale never pays for the watching.
     */
    private String insertedBy(PointsAward award, Purchase purchase, MemberProfile member,
                              Collection<TierThreshold> tiers, Collection<OfferInUse> offers) {
        KieSession session = kieBase.newKieSession(sessionConfiguration, null);
        try {
            String[] rule = {null};
            session.addEventListener(new org.kie.api.event.rule.DefaultRuleRuntimeEventListener() {
                @Override
                public void objectInserted(org.kie.api.event.rule.ObjectInsertedEvent event) {
                    if (rule[0] == null && award.equals(event.getObject()) && event.getRule() != null) {
                        rule[0] = event.getRule().getName();
                    }
                }
            });
            insertPurchase(session, purchase, member, tiers, offers);
            session.fireAllRules(MAX_FIRINGS);
            return rule[0] == null ? award.rule() : rule[0];
        } finally {
            session.dispose();
        }
    }

    /** A session that knows which rule's action runs, to name it when the action overflows the stack. */
    private KieSession newSession() {
        KieSession session = kieBase.newKieSession(sessionConfiguration, null);
        session.addEventListener(new Firing());
        return session;
    }

    /**
     * Fires the session's rules, at most {@link #MAX_FIRINGS} times.
     *
     * @throws RuleFailedException naming the rule that fired last, when the rules would fire on without end
     */
    private void fire(KieSession session) {
        if (session.fireAllRules(MAX_FIRINGS + 1) > MAX_FIRINGS) {
            // One firing more, watched, names the rule that keeps going; a decision that stops never pays for it.
            LastFired looping = new LastFired();
            session.addEventListener(looping);
            session.fireAllRules(1);
            RuleLocation location = RuleLocation.of(looping.rule, sources);
            throw new RuleFailedException(label, looping.rule, location.source(), location.line(),
                    new IllegalStateException("the rules fired " + MAX_FIRINGS + " times in one decision and would"
                            + " go on: a rule keeps matching what it inserts or modifies"));
        }
    }

    /**
     * The failure of a rule as it ran, named after the rule and placed in its file. A stack overflow (a method that
     * calls itself without end) is a rule's failure too: Drools lets it through unwrapped, and once it reaches here
     * the stack is unwound, so the decision fails alone instead of the request.
     */
    private RuleFailedException failure(Throwable e, KieSession session) {
        if (e instanceof RuleFailedException named) {
            return named;
        }
        String rule = null;
        for (Throwable cause = e; cause != null && rule == null; cause = cause.getCause() == cause ? null
                : cause.getCause()) {
            if (cause instanceof ConsequenceException consequence && consequence.getMatch() != null) {
                rule = consequence.getMatch().getRule().getName();
            } else if (cause.getMessage() != null) {
                Matcher named = RULE_IN_MESSAGE.matcher(cause.getMessage());
                rule = named.find() ? named.group(1) : null;
            }
        }
        if (rule == null) {
            rule = session.getAgendaEventListeners().stream().filter(Firing.class::isInstance)
                    .map(firing -> ((Firing) firing).rule).filter(Objects::nonNull).findFirst().orElse(null);
        }
        RuleLocation location = RuleLocation.of(rule, sources);
        return new RuleFailedException(label, rule, location.source(), location.line(), e);
    }

    /** Knows the rule whose action runs, between its firing and its end; none while conditions are evaluated. */
    private static final class Firing extends org.kie.api.event.rule.DefaultAgendaEventListener {

        private String rule;

        @Override
        public void beforeMatchFired(org.kie.api.event.rule.BeforeMatchFiredEvent event) {
            rule = event.getMatch().getRule().getName();
        }

        @Override
        public void afterMatchFired(org.kie.api.event.rule.AfterMatchFiredEvent event) {
            rule = null;
        }
    }

    /** Remembers the rule that fired last: the one that keeps going, when the rules would not stop. */
    private static final class LastFired extends org.kie.api.event.rule.DefaultAgendaEventListener {

        private String rule;

        @Override
        public void beforeMatchFired(org.kie.api.event.rule.BeforeMatchFiredEvent event) {
            rule = event.getMatch().getRule().getName();
        }
    }
}
