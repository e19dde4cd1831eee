package org.loyaltyengine.engine.application;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.Account;
import org.loyaltyengine.engine.domain.access.PosKey;
import org.loyaltyengine.engine.domain.access.Store;
import org.loyaltyengine.engine.domain.access.Role;
import org.loyaltyengine.engine.domain.card.Card;
import org.loyaltyengine.engine.domain.card.CardNumber;
import org.loyaltyengine.engine.domain.ledger.Channel;
import org.loyaltyengine.engine.domain.ledger.LedgerEntry;
import org.loyaltyengine.engine.domain.ledger.Provenance;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.PersonalDetails;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;
import org.loyaltyengine.engine.domain.programme.ProgrammeTerms;
import org.loyaltyengine.engine.domain.offer.Offer;
import org.loyaltyengine.engine.domain.offer.OfferKind;
import org.loyaltyengine.engine.domain.reward.Reward;
import org.loyaltyengine.engine.domain.reward.RewardRepository;
import org.loyaltyengine.engine.domain.ruleset.RuleFile;
import org.loyaltyengine.engine.domain.ruleset.RuleSetPublication;
import org.loyaltyengine.engine.domain.ruleset.RuleSetRepository;
import org.loyaltyengine.engine.domain.ruleset.RuleSetVersion;
import org.loyaltyengine.engine.infrastructure.security.ApiKeys;
import org.loyaltyengine.engine.infrastructure.security.PasswordHasher;
import org.loyaltyengine.rules.DemoRuleSet;

/** Seeds the demo programme of API.md ("Demo data") on an empty database, so a new user can try everything. */
@ApplicationScoped
public class DemoProgramme {

    public static final String CODE = "DEMO";
    private static final Logger LOG = Logger.getLogger(DemoProgramme.class.getName());

    @Inject
    ProgrammeRepository programmes;

    @Inject
    RuleSetRepository ruleSets;

    @Inject
    RewardRepository rewards;

    @jakarta.persistence.PersistenceContext(unitName = "loyalty")
    jakarta.persistence.EntityManager em;

    @Inject
    PointsPosting posting;

    @Inject
    AccessRepository access;


    @Inject
    EnrolmentService enrolment;

    @Inject
    Clock clock;

    /** Seeds the demo when the database holds no programme at all; returns whether it did. */
    @Transactional
    public boolean seedIfEmpty() {
        if (!programmes.findAll().isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        Programme demo = new Programme(new ProgrammeTerms(CODE, "Demo programme", "EUR", 730, 0,
                new BigDecimal("0.01"), 365, ZoneId.of("Europe/Paris")), now);
        // A till's typo (a price typed twice over) earns nothing: no sale of the demo's shops comes near this.
        demo.limitSaleTotal(new BigDecimal("10000.00"));
        demo.addTier("BRONZE", "Bronze", 0);
        demo.addTier("SILVER", "Silver", 1_000);
        demo.addTier("GOLD", "Gold", 5_000);
        programmes.add(demo);

        RuleSetVersion rules = new RuleSetVersion(demo, 1, DemoRuleSet.sources().stream()
                .map(source -> new RuleFile(source.path(), source.content())).toList(),
                "system", "The demo programme's rules as shipped", now);
        rules.publish(now);
        ruleSets.add(rules);
        demo.serve(1);
        ruleSets.add(new RuleSetPublication(demo, 1, RuleSetPublication.Action.PUBLISH, "system", now, "First version"));

        access.add(new Account("manager@demo.local", PasswordHasher.hash("manager-demo"), Role.MANAGER, CODE, null));
        access.add(new Account("auditor@demo.local", PasswordHasher.hash("auditor-demo"), Role.AUDITOR, CODE, null));
        access.add(new Store(demo, "S001", "Paris Rivoli", now));
        access.add(new Store(demo, "S002", "Lyon Part-Dieu", now));
        access.add(new PosKey(ApiKeys.hash("demo-pos-S001"), demo, "S001", "Demo till key, store S001", now));
        access.add(new PosKey(ApiKeys.hash("demo-pos-S002"), demo, "S002", "Demo till key, store S002", now));

        member(demo, "claire@demo.local", "claire-demo", "Claire", "Dubois", "2900000000018", "SILVER", 1_240, now);
        member(demo, "marc@demo.local", "marc-demo", "Marc", "Petit", "2900000000025", "BRONZE", 0, now);
        member(demo, "lina@demo.local", "lina-demo", "Lina", "Haddad", "2900000000032", "GOLD", 6_000, now);
        LOG.info("Seeded the demo programme DEMO on the empty database");
        return true;
    }

    /**
     * Adds what later versions of the demo hold to a demo database seeded by an earlier one: the coffee reward,
     * the personal offers the demo's incentive rules give, and the administrator's sign-in. Touches nothing when they are there, or when there is no demo programme.
     */
    @Transactional
    public void completeDemo() {
        Programme demo = programmes.findByCode(CODE).orElse(null);
        if (demo == null) {
            return;
        }
        Instant now = clock.instant();
        if (rewards.findByCode(demo, "r-coffee").isEmpty()) {
            rewards.add(new Reward(demo, "r-coffee", "A coffee", 250, null, null, now));
        }
        if (em.createQuery("select count(o) from Offer o where o.programme = :p", Long.class).setParameter("p", demo)
                .getSingleResult() == 0) {
            em.persist(new Offer(demo, "WINBACK", "200 bonus points on your next visit of 10 EUR or more",
                    OfferKind.BONUS_POINTS, 200, 0, null, new BigDecimal("10"), 30, 10, now));
            em.persist(new Offer(demo, "FAVOURITE2X", "Double points on your favourite aisle",
                    OfferKind.CATEGORY_MULTIPLIER, 0, 2, null, BigDecimal.ZERO, 14, 10, now));
            em.persist(new Offer(demo, "BIRTHDAY", "Happy birthday: 100 points on us", OfferKind.BONUS_POINTS, 100,
                    0, null, BigDecimal.ZERO, 31, 0, now));
            em.persist(new Offer(demo, "SECOND", "50 bonus points on your second visit of 20 EUR or more",
                    OfferKind.BONUS_POINTS, 50, 0, null, new BigDecimal("20"), 21, 10, now));
        }
        if (access.findAccount("admin@demo.local").isEmpty()) {
            access.add(new Account("admin@demo.local", PasswordHasher.hash("admin-demo"), Role.ADMIN, null, null));
        }
    }

    private void member(Programme demo, String email, String password, String firstName, String lastName,
                        String cardNumber, String tier, long openingPoints, Instant now) {
        Card card = enrolment.enrol(demo, new PersonalDetails(email, firstName, lastName, null),
                CardNumber.parse(cardNumber));
        Member member = card.member();
        demo.tier(tier).ifPresent(reached -> member.promoteTo(reached, now));
        access.add(new Account(email, PasswordHasher.hash(password), Role.CUSTOMER, CODE, member.publicId()));
        if (openingPoints > 0) {
            LedgerEntry opening = LedgerEntry.adjustment(member, openingPoints, true,
                    new Provenance(Channel.SYSTEM, null, "system", "Demo opening balance", now), now);
            LocalDate today = demo.today(now);
            posting.credit(opening, demo.availableOn(today), demo.expiresOn(today));
        }
    }
}
