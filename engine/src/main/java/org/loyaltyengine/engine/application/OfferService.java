package org.loyaltyengine.engine.application;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.ledger.AppliedRule;
import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.offer.MemberOffer;
import org.loyaltyengine.engine.domain.offer.MemberOfferStatus;
import org.loyaltyengine.engine.domain.offer.Offer;
import org.loyaltyengine.engine.domain.offer.OfferKind;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;
import org.loyaltyengine.engine.domain.ruleset.RuleSetRepository;
import org.loyaltyengine.engine.domain.sale.Sale;
import org.loyaltyengine.rules.EarningDecision;
import org.loyaltyengine.rules.RuleSetCompiler;
import org.loyaltyengine.rules.RuleSource;
import org.loyaltyengine.rules.decision.PointsAward;

/**
 * Personal offers: the managers' definitions, the offers a member holds (at the till and online), and their use
 * by a sale, exactly once: the sale holds the member's lock while it checks and consumes them.
 */
@ApplicationScoped
public class OfferService {

    /** The largest minimum spend an offer may ask for (its column keeps 15 digits before the point). */
    static final BigDecimal MAXIMUM_SPEND = new BigDecimal("999999999999999");

    /** The most an offer multiplies a category's points by. */
    static final int MAXIMUM_MULTIPLIER = 100;

    /**
     * What in DRL is not a rule's condition or action naming an offer: string literals (kept), comments and rule
     * names (dropped). A string literal is matched first, so a "//" or "/*" inside one is not taken for a comment.
     */
    private static final Pattern NOT_NAMING = Pattern.compile(
            "(\"(?:\\\\.|[^\"\\\\])*\")|/\\*.*?\\*/|//[^\\n]*|(?m)^\\s*rule\\s+\"[^\"]*\"", Pattern.DOTALL);

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Inject
    ProgrammeRepository programmes;

    @Inject
    MemberAccountService accounts;

    @Inject
    AuditTrail audit;

    @Inject
    RuleSetRepository ruleSets;

    @Inject
    Clock clock;

    /** What a manager sends to define an offer. */
    public record Definition(String code, String title, String kind, Long points, Integer multiplier,
                             String category, BigDecimal minimumSpend, Integer validDays, Integer holdoutPercent) {
    }

    /**
     * An offer as the back office lists it. {@code namedByLiveRules} says whether a rule of the programme's live
     * rule set names the offer's code: an offer no rule names is never given to anyone, whatever its definition.
     */
    public record OfferView(String code, String title, String kind, long points, int multiplier, String category,
                            String minimumSpend, int validDays, int holdoutPercent, boolean active, long open,
                            long used, long heldOut, boolean namedByLiveRules) {
    }

    /**
     * Defines an offer of the programme.
     *
     * @throws DomainException {@code offer_exists} (409) for a code already defined, {@code invalid_offer} (400) for
     *                         an offer that could never earn
     */
    @Transactional
    public OfferView define(Staff staff, String programmeCode, Definition definition) {
        staff.requireManages(programmeCode);
        Programme programme = programme(programmeCode);
        String code = definition.code() == null ? "" : definition.code().strip().toUpperCase(java.util.Locale.ROOT);
        if (!code.matches("[A-Z0-9][A-Z0-9_-]{0,31}")) {
            throw DomainException.invalid("code", "An offer code is 1 to 32 letters, digits, '-' or '_'");
        }
        if (definition.title() == null || definition.title().isBlank() || definition.title().length() > 200) {
            throw DomainException.invalid("title", "An offer needs a title of at most 200 characters");
        }
        OfferKind kind;
        try {
            kind = OfferKind.valueOf(definition.kind() == null ? "BONUS_POINTS" : definition.kind());
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("kind", "An offer's kind is BONUS_POINTS or CATEGORY_MULTIPLIER");
        }
        int validDays = definition.validDays() == null ? 30 : definition.validDays();
        if (validDays < 1 || validDays > 366) {
            throw DomainException.invalid("validDays", "An offer is valid for 1 to 366 days");
        }
        int holdout = definition.holdoutPercent() == null ? 10 : definition.holdoutPercent();
        if (holdout < 0 || holdout > 50) {
            throw DomainException.invalid("holdoutPercent", "The control group is 0 to 50 percent");
        }
        BigDecimal minimum = definition.minimumSpend() == null ? BigDecimal.ZERO : definition.minimumSpend();
        // In the programme's currency, to its minor unit, as the till's prices are: 10.005 SEK is no amount.
        int digits = Math.max(0, java.util.Currency.getInstance(programme.currency()).getDefaultFractionDigits());
        if (minimum.signum() < 0 || minimum.compareTo(MAXIMUM_SPEND) > 0
                || minimum.stripTrailingZeros().scale() > digits) {
            throw DomainException.invalid("minimumSpend", "A minimum spend is 0 to " + MAXIMUM_SPEND.toPlainString()
                    + " " + programme.currency() + ", with " + digits + " decimal(s) at most");
        }
        if (definition.category() != null && definition.category().strip().length() > 64) {
            throw DomainException.invalid("category", "A category is 64 characters at most");
        }
        int multiplier = definition.multiplier() == null ? 0 : definition.multiplier();
        if (multiplier < 0 || multiplier > MAXIMUM_MULTIPLIER) {
            throw DomainException.invalid("multiplier", "An offer multiplies points by 0 to " + MAXIMUM_MULTIPLIER);
        }
        long points = definition.points() == null ? 0 : definition.points();
        if (points < 0 || points > 1_000_000) {
            throw DomainException.invalid("points", "An offer gives 0 to 1,000,000 points");
        }
        if (find(programme, code) != null) {
            throw DomainException.conflict("offer_exists", "Programme " + programme.code() + " has an offer " + code);
        }
        Offer offer = new Offer(programme, code, definition.title().strip(), kind, points,
                multiplier, lowerCase(blankToNull(definition.category())),
                minimum, validDays, holdout, clock.instant());
        em.persist(offer);
        em.flush();
        OfferView defined = view(offer, liveRules(programme));
        record(staff, "OFFER_DEFINED", programme, offer, ProgrammeAdministration.described(defined));
        return defined;
    }

    /** The programme's offers with how many members hold, used and were held out of each. */
    @Transactional
    public List<OfferView> list(String programmeCode) {
        Programme programme = programme(programmeCode);
        String rules = liveRules(programme);
        return em.createQuery("select o from Offer o where o.programme = :p order by o.code", Offer.class)
                .setParameter("p", programme).getResultList().stream().map(offer -> view(offer, rules)).toList();
    }

    /**
     * Withdraws an offer (no new grants; offers already given stay usable) or puts it back. Asking for the state
     * the offer is in already changes nothing and adds nothing to the audit trail.
     */
    @Transactional
    public OfferView setActive(Staff staff, String programmeCode, String code, boolean active) {
        staff.requireManages(programmeCode);
        Programme programme = programme(programmeCode);
        Offer offer = find(programme, code);
        if (offer == null) {
            throw DomainException.notFound("offer_not_found", "No offer " + code + " in programme " + programmeCode);
        }
        if (offer.active() != active) {
            if (active) {
                offer.reinstate();
            } else {
                offer.withdraw();
            }
            record(staff, active ? "OFFER_REINSTATED" : "OFFER_WITHDRAWN", programme, offer, active
                    ? "Given again by the incentive rules" : "No longer given; members who hold it keep it until"
                    + " its last day");
        }
        return view(offer, liveRules(programme));
    }

    private void record(Staff staff, String action, Programme programme, Offer offer, String detail) {
        audit.record(new AuditEvent(clock.instant(), staff.name(), action, programme.code(), offer.code(), detail));
    }

    /** The programme's offers the incentive rules may give today. */
    public List<Offer> active(Programme programme) {
        return em.createQuery("select o from Offer o where o.programme = :p and o.active = 1 order by o.id",
                Offer.class).setParameter("p", programme).getResultList();
    }

    /**
     * Gives the member kept by a merge the duplicate's offers still to come: open ones not yet past their last day,
     * and the control group's holds (so the offer's response still counts them). One the member kept holds already,
     * from the same grant day or still open, stays with the duplicate: a customer holds an offer once.
     *
     * @return the public ids of the offers moved
     */
    public List<String> moveOnMerge(Member duplicate, Member kept, LocalDate today) {
        List<MemberOffer> held = em.createQuery("select mo from MemberOffer mo where mo.member = :m", MemberOffer.class)
                .setParameter("m", kept).getResultList();
        List<String> moved = new ArrayList<>();
        for (MemberOffer offer : em.createQuery("select mo from MemberOffer mo where mo.member = :m"
                        + " and mo.status in :waiting and mo.validUntil >= :day", MemberOffer.class)
                .setParameter("m", duplicate)
                .setParameter("waiting", List.of(MemberOfferStatus.OPEN, MemberOfferStatus.HELD_OUT))
                .setParameter("day", today).getResultList()) {
            // Held already: the same offer given the same day, or still within its validity in any state (used,
            // held out of, open): the customer has it once.
            boolean holds = held.stream().anyMatch(mine -> mine.offer().id().equals(offer.offer().id())
                    && (mine.grantedOn().equals(offer.grantedOn()) || !mine.validUntil().isBefore(today)));
            long open = held.stream().filter(mine -> mine.status() == MemberOfferStatus.OPEN
                    && !mine.validUntil().isBefore(today)).count() + moved.size();
            boolean capped = offer.status() == MemberOfferStatus.OPEN && open >= kept.programme().maxOpenOffers();
            if (!holds && !capped) {
                offer.moveTo(kept);
                moved.add(offer.publicId());
            }
        }
        return moved;
    }

    /** The offers the member can use on the day, soonest ending first. */
    public List<MemberOffer> usable(Member member, LocalDate day) {
        // Ordered here, not by the database: a member holds few open offers, and Derby's sorter is costly (see
        // JpaLedgerRepository.openLots).
        return em.createQuery("select mo from MemberOffer mo where mo.member = :m and mo.status = :open"
                        + " and mo.grantedOn <= :day and mo.validUntil >= :day", MemberOffer.class)
                .setParameter("m", member).setParameter("open", MemberOfferStatus.OPEN).setParameter("day", day)
                .getResultStream()
                .sorted(Comparator.comparing(MemberOffer::validUntil).thenComparing(MemberOffer::id))
                .toList();
    }

    /** The offers as the till and the customer site list them. */
    public List<CardSummary.OfferSummary> summaries(Member member) {
        Programme programme = member.programme();
        return usable(member, programme.today(clock.instant())).stream()
                .map(offer -> new CardSummary.OfferSummary(offer.publicId(), title(offer),
                        offer.validUntil().plusDays(1).atStartOfDay(programme.zone()).toInstant().toString()))
                .toList();
    }

    /**
     * Offers the rules chose for the member, newest first (the last {@value #GIVEN_SHOWN}), as staff see them: what
     * became of each (open, used, held out as control, lapsed), the rule that chose it and the segment the member
     * was in, so that a manager can answer "why did I get this offer", or "why not".
     */
    public List<GivenOffer> given(Member member) {
        LocalDate today = member.programme().today(clock.instant());
        return em.createQuery("select mo from MemberOffer mo where mo.member = :m order by mo.grantedOn desc,"
                        + " mo.id desc", MemberOffer.class).setParameter("m", member).setMaxResults(GIVEN_SHOWN)
                .getResultStream()
                .map(offer -> new GivenOffer(offer.publicId(), offer.offer().code(), title(offer),
                        offer.status() == MemberOfferStatus.OPEN && offer.validUntil().isBefore(today) ? "LAPSED"
                                : offer.status().name(), offer.grantedOn(), offer.validUntil(), offer.chosenBy(),
                        offer.segment()))
                .toList();
    }

    /** How many of a member's offers {@link #given} lists. */
    static final int GIVEN_SHOWN = 20;

    /** An offer given to a member (or held out of), for staff. */
    @Schema(name = "GivenOffer", description = "An offer the rules chose for the member, and what became of it")
    public record GivenOffer(String offerId, String code, String title, String status, LocalDate grantedOn,
                             LocalDate validUntil, String chosenBy, String segment) {
    }

    /** The offers each of the sales used (a simulation's replay decides them with them), by the sale's id. */
    public java.util.Map<Long, List<MemberOffer>> usedBy(List<Sale> sales) {
        java.util.Map<Long, List<MemberOffer>> used = new java.util.HashMap<>();
        for (int from = 0; from < sales.size(); from += 500) {
            List<Sale> some = sales.subList(from, Math.min(sales.size(), from + 500));
            for (MemberOffer offer : em.createQuery("select mo from MemberOffer mo where mo.usedBy in :sales",
                    MemberOffer.class).setParameter("sales", some).getResultList()) {
                used.computeIfAbsent(offer.usedBy().id(), id -> new java.util.ArrayList<>()).add(offer);
            }
        }
        return used;
    }

    /** The member's offers the sale used. */
    public List<MemberOffer> usedBy(Sale sale) {
        return em.createQuery("select mo from MemberOffer mo where mo.usedBy = :sale", MemberOffer.class)
                .setParameter("sale", sale).getResultList();
    }

    /**
     * Points of the bonus offers the sale used ({@link #usedBy}) whose minimum spend the customer no longer reaches
     * with what they keep of it: the sale's own award of each, which a return takes back whole. Category
     * multipliers go back with the lines they multiply ({@link #multipliersBack}).
     */
    public static long bonusesLost(List<MemberOffer> used, BigDecimal kept, List<AppliedRule> shares) {
        long lost = 0;
        for (MemberOffer offer : used) {
            Offer definition = offer.offer();
            if (definition.kind() == OfferKind.BONUS_POINTS && definition.minimumSpend().signum() > 0
                    && kept.compareTo(definition.minimumSpend()) < 0) {
                lost += awarded(offer, shares);
            }
        }
        return lost;
    }

    /**
     * The points of the category multiplier offers the sale used ({@link #usedBy}), which go back with the lines
     * of their category rather than with the sale's value: {@code [their awards, what of them the lines of their
     * category returned so far take back]}, rounded down.
     *
     * @param categoryValue the sale's value per category (lower case)
     * @param categoryBack  the value per category returned so far, this return's included
     */
    public static long[] multipliersBack(List<MemberOffer> used, Map<String, BigDecimal> categoryValue,
                                         Map<String, BigDecimal> categoryBack, List<AppliedRule> shares) {
        long apart = 0;
        long back = 0;
        for (MemberOffer offer : used) {
            if (offer.offer().kind() != OfferKind.CATEGORY_MULTIPLIER || offer.category() == null) {
                continue;
            }
            long points = awarded(offer, shares);
            String category = offer.category().toLowerCase(Locale.ROOT);
            BigDecimal spent = categoryValue.getOrDefault(category, BigDecimal.ZERO);
            if (points <= 0 || spent.signum() <= 0) {
                continue;
            }
            apart += points;
            back += BigDecimal.valueOf(points).multiply(categoryBack.getOrDefault(category, BigDecimal.ZERO))
                    .divide(spent, 0, RoundingMode.FLOOR).min(BigDecimal.valueOf(points)).longValueExact();
        }
        return new long[] {apart, back};
    }

    /** The points the sale's rules gave for the offer: its award ({@code offer:<CODE>}) among the applied rules. */
    private static long awarded(MemberOffer offer, List<AppliedRule> shares) {
        String award = offer.inUse().awardName();
        return shares.stream().filter(share -> share.rule().equals(award)).mapToLong(AppliedRule::points).sum();
    }

    /** The signed-in member's offers. */
    @Transactional
    public List<CardSummary.OfferSummary> summaries(String memberPublicId) {
        return summaries(accounts.require(memberPublicId));
    }

    /**
     * The member's offers a sale presents, checked; the caller holds the member's lock.
     *
     * @param day the sale's day in the programme's time zone: an offer is good for a purchase made while it was
     *            valid, however late the sale reaches the engine
     * @throws DomainException {@code offer_not_found} (422) for an id that is not an offer of this member,
     *                         {@code offer_used} (409) for an offer another sale used, {@code offer_expired} (422)
     *                         for one past its last day or not yet valid, {@code duplicate_offer} (400) for an
     *                         offer listed twice
     */
    public List<MemberOffer> presented(Member member, List<String> offerIds, LocalDate day) {
        if (offerIds.isEmpty()) {
            return List.of();
        }
        if (new HashSet<>(offerIds).size() != offerIds.size()) {
            throw DomainException.invalid("duplicate_offer", "offerIds", "An offer can be used once per sale");
        }
        List<MemberOffer> found = em.createQuery("select mo from MemberOffer mo where mo.publicId in :ids",
                MemberOffer.class).setParameter("ids", offerIds).getResultList();
        List<MemberOffer> presented = new ArrayList<>();
        for (String id : offerIds) {
            MemberOffer offer = found.stream().filter(o -> o.publicId().equals(id)).findFirst()
                    .filter(o -> o.member().id().equals(member.id()))
                    .filter(o -> o.status() != MemberOfferStatus.HELD_OUT)
                    .orElseThrow(() -> DomainException.unprocessable("offer_not_found", "offerIds",
                            "Offer " + id + " is not an offer of this member"));
            if (offer.status() == MemberOfferStatus.USED) {
                // On the programme's clock, as its days are (the receipt's time, not UTC's).
                java.time.ZoneId zone = member.programme().zone();
                throw DomainException.conflict("offer_used", "Offer " + id + " was used on " + offer.usedAt()
                        .atZone(zone).toLocalDateTime().truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                        .toString().replace('T', ' ') + " (" + zone.getId() + ")");
            }
            if (!offer.usableOn(day)) {
                throw DomainException.unprocessable("offer_expired", "offerIds", "Offer " + id + " is valid from "
                        + offer.grantedOn() + " to " + offer.validUntil() + "; the sale is of " + day);
            }
            presented.add(offer);
        }
        return presented;
    }

    /** The presented offers the rules applied: those with an award named after them. */
    public static List<MemberOffer> applied(List<MemberOffer> presented, EarningDecision decision) {
        Set<String> awarded = decision.awards().stream().map(PointsAward::rule).collect(Collectors.toSet());
        return presented.stream().filter(offer -> awarded.contains(offer.inUse().awardName())).toList();
    }

    /** Consumes the applied offers with the sale; the caller holds the member's lock. */
    public void consume(List<MemberOffer> applied, Sale sale, Instant now) {
        applied.forEach(offer -> offer.useBy(sale, now));
    }

    static String title(MemberOffer offer) {
        Offer definition = offer.offer();
        if (definition.kind() == OfferKind.CATEGORY_MULTIPLIER && offer.category() != null
                && definition.category() == null) {
            return definition.title() + " (" + offer.category() + ")";
        }
        return definition.title();
    }

    /**
     * The text of the programme's live rules where an incentive rule names the offers it gives as string literals
     * ({@code OfferDefinition( code == "WINBACK" )}): decision tables as the DRL they stand for, without comments
     * and rule names; empty without a live rule set. A rule that gives offers without naming them (binding the
     * code of any definition) is not seen, which the back office's wording ("names") allows for.
     */
    private String liveRules(Programme programme) {
        Integer live = programme.liveRuleVersion();
        if (live == null) {
            return "";
        }
        return ruleSets.find(programme.code(), live).map(version -> version.files().stream()
                        .map(file -> file.path().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
                                ? RuleSetCompiler.decisionTableToDrl(new RuleSource(file.path(), file.content()))
                                : file.content())
                        .map(drl -> NOT_NAMING.matcher(drl).replaceAll(found -> found.group(1) != null
                                ? java.util.regex.Matcher.quoteReplacement(found.group(1)) : " "))
                        .collect(Collectors.joining("\n")))
                .orElse("");
    }

    private OfferView view(Offer offer, String liveRules) {
        long open = 0;
        long used = 0;
        long heldOut = 0;
        // An offer given but lapsed unused is no longer open: it counts nowhere here.
        for (Object[] row : em.createQuery("select mo.status, count(mo) from MemberOffer mo where mo.offer = :o"
                        + " and (mo.status <> :open or mo.validUntil >= :today) group by mo.status", Object[].class)
                .setParameter("o", offer).setParameter("open", MemberOfferStatus.OPEN)
                .setParameter("today", offer.programme().today(clock.instant())).getResultList()) {
            long count = ((Number) row[1]).longValue();
            switch ((MemberOfferStatus) row[0]) {
                case OPEN -> open = count;
                case USED -> used = count;
                case HELD_OUT -> heldOut = count;
                default -> { }
            }
        }
        return new OfferView(offer.code(), offer.title(), offer.kind().name(), offer.points(), offer.multiplier(),
                offer.category(), offer.minimumSpend().stripTrailingZeros().toPlainString(), offer.validDays(),
                offer.holdoutPercent(), offer.active(), open, used, heldOut,
                liveRules.contains("\"" + offer.code() + "\""));
    }

    Offer find(Programme programme, String code) {
        return em.createQuery("select o from Offer o where o.programme = :p and o.code = :c", Offer.class)
                .setParameter("p", programme).setParameter("c", code == null ? "" : code.toUpperCase(
                        java.util.Locale.ROOT))
                .getResultStream().findFirst().orElse(null);
    }

    private Programme programme(String code) {
        return programmes.findByCode(code).orElseThrow(() -> DomainException.notFound("programme_not_found",
                "No programme " + code));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * A category in lower case, as the tills' lines are kept: an offer on "Coffee" pays on a line of "coffee"
     * (it never did while kept as typed).
     */
    private static String lowerCase(String category) {
        return category == null ? null : category.strip().toLowerCase(java.util.Locale.ROOT);
    }
}
