package org.loyaltyengine.engine.application;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.domain.card.Card;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.offer.MemberOffer;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;
import org.loyaltyengine.engine.domain.ruleset.RuleFile;
import org.loyaltyengine.engine.domain.ruleset.RuleSetPublication;
import org.loyaltyengine.engine.domain.ruleset.RuleSetRepository;
import org.loyaltyengine.engine.domain.ruleset.RuleSetStatus;
import org.loyaltyengine.engine.domain.ruleset.RuleSetVersion;
import org.loyaltyengine.engine.domain.sale.Receipt;
import org.loyaltyengine.engine.domain.sale.Sale;
import org.loyaltyengine.engine.domain.sale.SaleRepository;
import org.loyaltyengine.engine.infrastructure.rules.EarningRules;
import org.loyaltyengine.engine.infrastructure.rules.RuleSetRegistry;
import org.loyaltyengine.rules.CompiledRuleSet;
import org.loyaltyengine.rules.EarningDecision;
import org.loyaltyengine.rules.RuleError;
import org.loyaltyengine.rules.RuleFailedException;
import org.loyaltyengine.rules.RuleSetCompiler;
import org.loyaltyengine.rules.RuleSetInvalidException;
import org.loyaltyengine.rules.RuleSource;
import org.loyaltyengine.rules.fact.MemberProfile;
import org.loyaltyengine.rules.fact.OfferInUse;

/**
 * The rule set a programme's managers own: every valid edit is a new numbered draft with its author, time and
 * comment; drafts are simulated on given or past transactions, published (the database records which version is
 * live and every instance follows it) and rolled back. An edit that does not compile is refused with each
 * error's line and column, and the live set keeps serving; a version whose rules fail as they run is reported by
 * the simulation and refused at publishing, after trial decisions ({@link RuleSetTrial}).
 */
@ApplicationScoped
public class RuleSetAdministration {

    /** The most past sales one simulation replays. */
    public static final int MAX_REPLAY = 20_000;

    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.(drl|csv)");

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Inject
    ProgrammeRepository programmes;

    @Inject
    RuleSetRepository ruleSets;

    @Inject
    RuleSetRegistry registry;

    @Inject
    EarningRules earningRules;

    @Inject
    SaleRepository sales;

    @Inject
    CardService cards;

    @Inject
    RuleSetTrial trial;

    @Inject
    OfferService offers;

    @Inject
    org.loyaltyengine.engine.domain.ledger.LedgerRepository ledger;

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    private final RuleSetCompiler compiler = new RuleSetCompiler(RuleSetAdministration.class.getClassLoader());

    /** A version with its files: the live one when {@code version} is null. */
    @Transactional
    public VersionView get(Staff staff, String code, Integer version) {
        programme(staff, code);
        RuleSetVersion found = version == null
                ? ruleSets.findPublished(code).orElseThrow(() -> DomainException.notFound("rules_not_found",
                "Programme " + code + " has no published rule set"))
                : version(code, version);
        return view(found, true);
    }

    /**
     * Stores a new draft version after compiling it.
     *
     * @throws RulesInvalidException when a file does not compile; nothing is stored then
     */
    @Transactional
    public VersionView save(Staff staff, String code, List<FileContent> files, String comment) {
        return save(staff, code, files, comment, null);
    }

    /**
     * Stores a new draft version after compiling it, made from the version the editor was opened on.
     *
     * @param openedOn the version whose files the manager edited ({@code null}: the live one): a draft it is, the
     *                 version that draft was made from; publishing the new version while another than that is live
     *                 is refused ({@code draft_outdated}), as it would take back that version's changes
     * @throws RulesInvalidException when a file does not compile; nothing is stored then
     */
    @Transactional
    public VersionView save(Staff staff, String code, List<FileContent> files, String comment, Integer openedOn) {
        Programme programme = programme(staff, code);
        Integer madeFrom = openedOn == null ? null : version(code, openedOn).status() == RuleSetStatus.DRAFT
                ? version(code, openedOn).basedOn().orElse(null) : openedOn;
        if (files.isEmpty()) {
            throw DomainException.invalid("files", "A rule set needs at least one file");
        }
        List<RuleSource> sources = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            FileContent file = files.get(i);
            if (!PATH.matcher(file.path()).matches()) {
                throw DomainException.invalid("invalid_path", "files[" + i + "].path", "File " + file.path()
                        + " must be a relative path of letters, digits, - and _ ending in .drl or .csv");
            }
            sources.add(new RuleSource(file.path(), file.content()));
        }
        if (sources.stream().map(RuleSource::path).distinct().count() != sources.size()) {
            throw DomainException.invalid("files", "Two files have the same path");
        }
        // Compiled before the programme's row is locked: every sale of the programme needs that row (its key), so
        // it is locked only for the few statements that number and store the version. The number is taken again
        // under the lock; another save in between (rare) means compiling again under its new label.
        int number = ruleSets.nextVersionNumber(code);
        CompiledRuleSet compiled = compile(code, number, sources);
        em.lock(programme, LockModeType.PESSIMISTIC_WRITE);
        int numberNow = ruleSets.nextVersionNumber(code);
        if (numberNow != number) {
            number = numberNow;
            compiled = compile(code, number, sources);
        }
        Instant now = clock.instant();
        RuleSetVersion version = new RuleSetVersion(programme, number,
                files.stream().map(file -> new RuleFile(file.path(), file.content())).toList(), staff.name(),
                comment, now);
        // Only the editor's saves name what they were made from: a client of the contract that saves and publishes
        // (PUT, then publish {"version"}) publishes as it always did.
        version.basedOn(madeFrom);
        ruleSets.add(version);
        // Kept compiled, so that simulating and publishing the draft do not build it again.
        registry.remember(version, compiled);
        audit.record(new AuditEvent(now, staff.name(), "RULES_DRAFTED", code, code, "v" + version.version()
                + (comment == null ? "" : ": " + comment)));
        return view(version, true);
    }

    @Transactional
    public List<VersionView> versions(Staff staff, String code) {
        programme(staff, code);
        return ruleSets.versions(code).stream().map(version -> view(version, false)).toList();
    }

    @Transactional
    public List<PublicationView> history(Staff staff, String code) {
        programme(staff, code);
        return ruleSets.publications(code).stream().map(p -> new PublicationView(p.version(), p.action().name(),
                p.actor(), p.occurredAt(), p.comment())).toList();
    }

    /** What changed between two versions, file by file. */
    @Transactional
    public DiffView diff(Staff staff, String code, int from, int to) {
        programme(staff, code);
        Map<String, String> before = contents(version(code, from));
        Map<String, String> after = contents(version(code, to));
        List<FileDiff> files = new ArrayList<>();
        for (Map.Entry<String, String> file : before.entrySet()) {
            String changed = after.get(file.getKey());
            if (changed == null) {
                files.add(new FileDiff(file.getKey(), "REMOVED", LineDiff.of(file.getValue(), "")));
            } else if (!changed.equals(file.getValue())) {
                files.add(new FileDiff(file.getKey(), "CHANGED", LineDiff.of(file.getValue(), changed)));
            }
        }
        after.forEach((path, content) -> {
            if (!before.containsKey(path)) {
                files.add(new FileDiff(path, "ADDED", LineDiff.of("", content)));
            }
        });
        return new DiffView(code, from, to, files);
    }

    /** Makes a version live on every instance: this one at once, the others within seconds. */
    @Transactional
    public PublicationView publish(Staff staff, String code, int version, String comment) {
        return publish(staff, code, version, comment, false);
    }

    /**
     * Makes a version live, after its trial (see {@link RuleSetTrial}).
     *
     * @param earnsNothing the manager means the version to earn nothing (earning paused): without it, a version
     *                     that earns no point on any sale of its trial is refused, {@code earns_nothing} (422), as
     *                     the mistake it nearly always is (a draft left with only its package line)
     */
    @Transactional
    public PublicationView publish(Staff staff, String code, int version, String comment, boolean earnsNothing) {
        return publish(staff, code, version, comment, earnsNothing, false);
    }

    /**
     * @param replacesLive the manager means the version to replace the live one though it was made from another
     *                     (whose changes since it would be taken back): without it, {@code draft_outdated} (409)
     */
    @Transactional
    public PublicationView publish(Staff staff, String code, int version, String comment, boolean earnsNothing,
                                   boolean replacesLive) {
        return makeLive(staff, code, version, RuleSetPublication.Action.PUBLISH, comment, !earnsNothing,
                replacesLive);
    }

    private CompiledRuleSet compile(String code, int number, List<RuleSource> sources) {
        try {
            return compiler.compile(code + " v" + number, sources);
        } catch (RuleSetInvalidException e) {
            throw new RulesInvalidException(e.errors());
        }
    }

    /**
     * Goes back to the version that was live before the current one, one publication further back at each call
     * (v3, then v2, then v1), or to the version given.
     *
     * @throws DomainException {@code nothing_to_roll_back} (409) when no version was live before the current one
     */
    @Transactional
    public PublicationView rollback(Staff staff, String code, Integer version, String comment) {
        int target;
        if (version != null) {
            // A version that went live meanwhile is refused as already live, under the lock (makeLive).
            target = version;
            programme(staff, code);
            RuleSetVersion wanted = version(code, version);
            // Live once: a publication of it, or its time of publication (installs older than the publications).
            if (wanted.publishedAt() == null
                    && ruleSets.publications(code).stream().noneMatch(publication -> publication.version() == version)) {
                // A rollback skips the trial's check that the version earns: only to a version that served.
                throw DomainException.unprocessable("never_live", "version", "Version " + version + " of " + code
                        + " was never live, so there is nothing to roll back to: publish it (its trial then checks"
                        + " that it earns)");
            }
        } else {
            // Under the programme's lock: the version before is the one before what is live now, not before what
            // was live when another manager's publication, committed meanwhile, had not yet come.
            Programme programme = lockedProgramme(staff, code);
            Integer current = programme.liveRuleVersion();
            target = RuleSetPublication.versionBefore(ruleSets.publications(code))
                    .orElseThrow(() -> DomainException.conflict("nothing_to_roll_back", "Programme " + code
                            + " had no version live before version " + current + ", which stays live"));
        }
        // A rollback is the way back from a mistake, and goes through even to a version that earns nothing.
        return makeLive(staff, code, target, RuleSetPublication.Action.ROLLBACK, comment, false, true);
    }

    private PublicationView makeLive(Staff staff, String code, int number, RuleSetPublication.Action action,
                                     String comment, boolean mustEarn, boolean replacesLive) {
        staff.requireManages(code);
        // Compiled (when this instance has not yet) and tried before the programme's row is locked, as when saving.
        RuleSetVersion version = version(code, number);
        CompiledRuleSet compiled = registry.compiled(version);
        Instant now = clock.instant();
        RuleSetTrial.Outcome tried = trial.trial(version.programme(), compiled, now);
        List<RuleError> failures = tried.failures();
        if (!failures.isEmpty()) {
            throw new RulesInvalidException("Version " + number + " of " + code + " was not made live: "
                    + failures.size() + " rule(s) fail as they run on the trial decisions (latest sales, a made-up"
                    + " sale per tier); the live rule set keeps serving.", failures);
        }
        if (mustEarn && tried.sales() > 0 && tried.pointsEarned() == 0) {
            throw DomainException.unprocessable("earns_nothing", "version", "Version " + number + " of " + code
                    + " earns no point on any of the " + tried.sales() + " sales of its trial (the programme's latest"
                    + " and a made-up sale of 25.00 per tier), so it was not made live. Publish it with"
                    + " \"earnsNothing\": true if the programme means to stop earning.");
        }
        Programme programme = lockedProgramme(staff, code);
        // Its time once the lock is held, so that publications follow each other in time as they do in fact.
        Instant published = clock.instant();
        Integer previous = programme.liveRuleVersion();
        if (previous != null && previous == number) {
            throw DomainException.conflict("already_live", "Version " + number + " of " + code + " is already live");
        }
        Integer madeFrom = version.basedOn().orElse(null);
        if (!replacesLive && previous != null && madeFrom != null && !madeFrom.equals(previous)) {
            Optional<RuleSetPublication> last = ruleSets.publications(code).stream()
                    .filter(p -> p.version() == previous).findFirst();
            String by = last.map(p -> " (" + p.action().name().toLowerCase(java.util.Locale.ROOT) + " by "
                    + p.actor() + ")").orElse("");
            boolean rolledBack = previous < madeFrom
                    || last.map(p -> p.action() == RuleSetPublication.Action.ROLLBACK).orElse(false);
            throw DomainException.conflict("draft_outdated", "Version " + number + " was made from version "
                    + madeFrom + "; version " + previous + " is live now" + by + (rolledBack
                    ? ": the changes rolled back since are in version " + number + ", and publishing it would bring"
                    + " them back" : ", and its changes are not in version " + number + ": publishing it would take"
                    + " them back") + ". Make the change again on version " + previous + ", or publish with"
                    + " \"replacesLive\": true to replace version " + previous + " all the same.");
        }
        if (previous != null) {
            ruleSets.find(code, previous).ifPresent(RuleSetVersion::retire);
        }
        version.publish(published);
        programme.serve(number);
        ruleSets.add(new RuleSetPublication(programme, number, action, staff.name(), published, comment));
        audit.record(new AuditEvent(published, staff.name(), "RULES_" + action.name(), code, code, "v" + number
                + " live (was v" + previous + ")" + (comment == null ? "" : ": " + comment)));
        return new PublicationView(number, action.name(), staff.name(), published, comment);
    }

    /**
     * Runs a version against transactions without writing anything: the given ones, or the programme's sales that
     * occurred in a period. Each is decided by the version and by the live set, on the member as the till would see
     * them. Given transactions start from the member as they are now, and each sale then counts for the member's
     * next ones (a first purchase is first once; points bought in the batch may reach a tier), separately under
     * each set. A replayed sale is decided on the member as the engine knew them when it was recorded (their tier,
     * qualifying points, spend and purchases then; scores as they are now), so that the live set's figure is what
     * the sale earned, if the live set was live then; under the version, the points it gives more or less than the
     * live set count for the member's later sales in the period (a tier reached sooner or later).
     *
     * @throws RulesInvalidException (422) naming each rule that fails as it runs, with the first transaction it
     *                               failed on
     */
    @Transactional
    public Simulation simulate(Staff staff, String code, int number, List<SimulatedSale> given, Instant from,
                               Instant to) {
        Programme programme = programme(staff, code);
        CompiledRuleSet draft = registry.compiled(version(code, number));
        CompiledRuleSet live = registry.liveSet(programme);
        Instant now = clock.instant();
        List<Outcome> outcomes = new ArrayList<>();
        Map<String, String[]> tiers = new LinkedHashMap<>();
        RuleSetTrial.Failures failures = new RuleSetTrial.Failures();
        if (given != null && !given.isEmpty()) {
            // Each member's profile under each set, as the batch's sales leave it, and the offers they used.
            Map<String, MemberProfile[]> standing = new java.util.HashMap<>();
            java.util.Set<String> offersUsed = new java.util.HashSet<>();
            for (int i = 0; i < given.size(); i++) {
                SimulatedSale sale = given.get(i);
                Card card;
                try {
                    card = cards.forTill(code, sale.receipt().cardNumber());
                    // A card blocked or replaced before the sale's time earns nothing at the till: nor here.
                    card.requireUsableAt(sale.receipt().occurredAt());
                } catch (DomainException e) {
                    throw DomainException.invalid(e.code(), "transactions[" + i + "].cardNumber", "Transaction "
                            + (i + 1) + ": " + e.getMessage());
                }
                try {
                    SaleRecorder.checkReceipt(programme, sale.receipt(), now);
                } catch (DomainException e) {
                    // Checked as the till's sale is: a simulation in another currency earns nothing it can show.
                    throw new DomainException(e.kind(), e.code(), "Transaction " + (i + 1) + ": " + e.getMessage(),
                            "transactions[" + i + "]" + (e.field() == null ? "" : "." + e.field()));
                }
                List<OfferInUse> presented;
                try {
                    presented = offers.presented(card.member().current(), sale.offerIds(),
                            programme.today(sale.receipt().occurredAt())).stream().map(MemberOffer::inUse).toList();
                    // An offer is used once: a later sale of the batch presenting it is refused, as at the till.
                    for (String offerId : sale.offerIds()) {
                        if (!offersUsed.add(offerId.strip())) {
                            throw DomainException.conflict("offer_used", "Offer " + offerId.strip() + " is used by"
                                    + " an earlier transaction of this simulation");
                        }
                    }
                } catch (DomainException e) {
                    throw new DomainException(e.kind(), e.code(), "Transaction " + (i + 1) + ": " + e.getMessage(),
                            "transactions[" + i + "].offerIds");
                }
                Member member = card.member().current();
                MemberProfile[] profiles = standing.computeIfAbsent(member.publicId(), id -> {
                    MemberProfile now0 = earningRules.profile(programme, member, now);
                    return new MemberProfile[] {now0, now0};
                });
                Optional<Decided> decided = compare(programme, member, sale.receipt(), sale.offset(), presented,
                        null, draft, live, now, profiles[0], profiles[1], tiers, failures);
                decided.ifPresent(d -> {
                    outcomes.add(d.outcome());
                    // A sale from before the tier window counts as a purchase, but neither its points nor its
                    // spend count towards tiers (dated at the purchase, they are out of the window already).
                    boolean inWindow = !sale.receipt().occurredAt().isBefore(programme.tierWindowStart(now));
                    BigDecimal total = sale.receipt().total();
                    profiles[0] = after(programme, profiles[0], d.underLive(), total, inWindow);
                    profiles[1] = after(programme, profiles[1], d.underDraft(), total, inWindow);
                });
            }
        } else if (from != null && to != null) {
            if (!to.isAfter(from)) {
                throw DomainException.invalid("replayTo", "replayTo (" + to + ") is not after replayFrom (" + from + "): the period to replay ends after it starts");
            }
            List<Sale> replayed = sales.occurredBetween(programme, from, to, MAX_REPLAY + 1);
            if (replayed.size() > MAX_REPLAY) {
                // Refused rather than cut short: figures of the first days only, the rest of the chart at zero,
                // would read as a period in which nothing was sold.
                throw DomainException.unprocessable("replay_too_long", "replayTo", "The period holds more than "
                        + String.format(java.util.Locale.ENGLISH, "%,d", MAX_REPLAY) + " sales, the most one"
                        + " simulation replays; the first " + String.format(java.util.Locale.ENGLISH, "%,d",
                        MAX_REPLAY) + " reach " + replayed.get(MAX_REPLAY - 1).occurredAt() + ": simulate up to"
                        + " then, and the rest in another run");
            }
            // Each sale as the till sent it: its local time (the till's clock), and the member's offers it used, so
            // that the live set's figure is what the sale earned, and a change to an offer's rule shows. In the
            // order they were recorded, as the member's profile then was made of those before.
            Map<Long, List<MemberOffer>> used = offers.usedBy(replayed);
            List<Sale> inOrder = new ArrayList<>(replayed);
            inOrder.sort(java.util.Comparator.comparing(Sale::recordedAt).thenComparing(Sale::id));
            // What the version gives each member more (or less) than the live set, in qualifying points, and the
            // best tier it reached, over the period's sales so far.
            Map<String, long[]> draftAhead = new java.util.HashMap<>();
            Map<String, String> draftTier = new java.util.HashMap<>();
            for (Sale sale : inOrder) {
                Receipt receipt = new Receipt(sale.storeId(), sale.terminalId(), sale.receiptId(), sale.cardNumber(),
                        sale.occurredAt(), sale.currency(), sale.lines());
                ZoneOffset offset = sale.tillOffset()
                        .orElseGet(() -> programme.zone().getRules().getOffset(sale.occurredAt()));
                List<OfferInUse> inUse = used.getOrDefault(sale.id(), List.of()).stream().map(MemberOffer::inUse)
                        .toList();
                Member member = sale.member().current();
                // The account that recorded the sale (a duplicate merged since, maybe), as it stood then.
                MemberProfile then = profileWhenRecorded(programme, sale.member(), sale.recordedAt());
                long[] ahead = draftAhead.computeIfAbsent(member.publicId(), id -> new long[1]);
                String reached = draftTier.get(member.publicId());
                MemberProfile underDraftThen = ahead[0] == 0 && reached == null ? then : withStanding(then,
                        better(programme, then.tier(), reached == null ? then.tier() : reached),
                        Math.max(0, then.qualifyingPoints() + ahead[0]));
                compare(programme, member, receipt, offset, inUse, sale.publicId(), draft, live, now, then,
                        underDraftThen, tiers, failures).ifPresent(d -> {
                            outcomes.add(d.outcome());
                            ahead[0] += d.underDraft().totalPoints() - d.underLive().totalPoints();
                            d.underDraft().tierStanding().ifPresent(t -> draftTier.merge(member.publicId(), t.tier(),
                                    (a, b) -> better(programme, a, b)));
                        });
            }
            outcomes.sort(java.util.Comparator.comparing(Outcome::occurredAt));
        } else {
            throw DomainException.invalid("transactions", "Give transactions, or replayFrom and replayTo");
        }
        if (!failures.isEmpty()) {
            throw new RulesInvalidException("Version " + number + " of " + code + " fails as it runs: "
                    + failures.errors().size() + " rule(s) failed on the transactions simulated; mend them before"
                    + " publishing.", failures.errors());
        }
        long livePoints = outcomes.stream().mapToLong(Outcome::livePoints).sum();
        long draftPoints = outcomes.stream().mapToLong(Outcome::draftPoints).sum();
        List<TierChange> tierChanges = tiers.entrySet().stream()
                .filter(entry -> !entry.getValue()[0].equals(entry.getValue()[1]))
                .map(entry -> new TierChange(entry.getKey(), entry.getValue()[0], entry.getValue()[1])).toList();
        int liveVersion = programme.liveRuleVersion() == null ? 0 : programme.liveRuleVersion();
        return new Simulation(code, number, liveVersion, outcomes.size(), livePoints, draftPoints,
                draftPoints - livePoints, outcomes, tierChanges);
    }

    /** The member as the engine knew them just before a sale recorded at {@code recordedAt}. */
    private MemberProfile profileWhenRecorded(Programme programme, Member member, Instant recordedAt) {
        MemberProfile profile = EarningRules.profile(member, ledger.purchaseHistoryBefore(member,
                programme.tierWindowStart(recordedAt), recordedAt));
        return withStanding(profile, ledger.tierBefore(member, recordedAt), profile.qualifyingPoints());
    }

    /** The profile after a sale of {@code total} the decision earned on: one purchase more, its points, its tier. */
    private static MemberProfile after(Programme programme, MemberProfile before, EarningDecision decision,
                                       BigDecimal total, boolean inTierWindow) {
        String tier = decision.tierStanding().map(t -> better(programme, before.tier(), t.tier()))
                .orElse(before.tier());
        return new MemberProfile(before.memberId(), tier, before.joinedOn(), before.birthDate(),
                before.qualifyingPoints() + (inTierWindow ? decision.totalPoints() : 0), before.purchaseCount() + 1,
                inTierWindow ? before.qualifyingSpend().add(total) : before.qualifyingSpend(), before.recency(),
                before.frequency(), before.monetary(), before.segment(), before.favouriteCategory(),
                before.attritionRisk());
    }

    private static MemberProfile withStanding(MemberProfile profile, String tier, long qualifyingPoints) {
        return new MemberProfile(profile.memberId(), tier, profile.joinedOn(), profile.birthDate(), qualifyingPoints,
                profile.purchaseCount(), profile.qualifyingSpend(), profile.recency(), profile.frequency(),
                profile.monetary(), profile.segment(), profile.favouriteCategory(), profile.attritionRisk());
    }

    /** A transaction's outcome and the two decisions it was made of. */
    private record Decided(Outcome outcome, EarningDecision underLive, EarningDecision underDraft) {
    }

    /**
     * The transaction under both sets, each on its profile of the member; empty, with the failure kept, when a rule
     * of either fails as it runs.
     */
    private Optional<Decided> compare(Programme programme, Member member, Receipt receipt, ZoneOffset offset,
                                      List<OfferInUse> offersUsed, String transactionId, CompiledRuleSet draft,
                                      CompiledRuleSet live, Instant now, MemberProfile liveProfile,
                                      MemberProfile draftProfile, Map<String, String[]> tiers,
                                      RuleSetTrial.Failures failures) {
        EarningDecision underDraft;
        try {
            // A sale from before the tier window reaches no tier at the till (SaleRecorder.inTierWindow): nor here.
            underDraft = SaleRecorder.inTierWindow(programme, receipt, now,
                    earningRules.decide(draft, programme, draftProfile, receipt, offset, "store", offersUsed));
        } catch (RuleFailedException e) {
            failures.add(e, "transaction " + (transactionId == null ? "" : transactionId + ", ") + "receipt "
                    + receipt.receiptId());
            return Optional.empty();
        }
        EarningDecision underLive;
        List<SaleResult.RuleShare> liveShares;
        try {
            underLive = SaleRecorder.inTierWindow(programme, receipt, now,
                    earningRules.decide(live, programme, liveProfile, receipt, offset, "store", offersUsed));
            liveShares = shares(underLive);
        } catch (RuleFailedException e) {
            // The live set's failure is not the draft's: the draft (a fix of it, often) is still simulated, and the
            // outcome says the live set failed on this sale (no points under it: the till's sale was refused).
            underLive = new EarningDecision(live.label(), List.of(), Optional.empty());
            liveShares = List.of(new SaleResult.RuleShare("live set failed: "
                    + (e.rule() == null ? e.reason() : "rule " + e.rule()), 0));
        }
        // The tiers the members reach in the period or batch, from the one they hold now.
        String liveTier = underLive.tierStanding().map(s -> s.tier()).orElse(liveProfile.tier());
        String draftTier = underDraft.tierStanding().map(s -> s.tier()).orElse(draftProfile.tier());
        tiers.merge(member.publicId(), new String[] {better(programme, member.tierCode(), liveTier),
                better(programme, member.tierCode(), draftTier)}, (a, b) -> new String[] {
                        better(programme, a[0], b[0]), better(programme, a[1], b[1])});
        return Optional.of(new Decided(new Outcome(transactionId, receipt.receiptId(), receipt.cardNumber(),
                member.publicId(), receipt.occurredAt(), underLive.totalPoints(), underDraft.totalPoints(),
                underDraft.totalPoints() - underLive.totalPoints(), liveShares, shares(underDraft)), underLive,
                underDraft));
    }

    private static String better(Programme programme, String one, String other) {
        int a = programme.tier(one).map(t -> t.rank()).orElse(-1);
        int b = programme.tier(other).map(t -> t.rank()).orElse(-1);
        return b > a ? other : one;
    }

    private static List<SaleResult.RuleShare> shares(EarningDecision decision) {
        return decision.awards().stream().map(a -> new SaleResult.RuleShare(a.rule(), a.points())).toList();
    }

    private static Map<String, String> contents(RuleSetVersion version) {
        Map<String, String> files = new LinkedHashMap<>();
        version.files().forEach(file -> files.put(file.path(), file.content()));
        return files;
    }

    private RuleSetVersion version(String code, int number) {
        return ruleSets.find(code, number).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                "version_not_found", "Programme " + code + " has no rule set version " + number, "version"));
    }

    private Programme programme(Staff staff, String code) {
        staff.requireManages(code);
        return programmes.findByCode(code).orElseThrow(() -> DomainException.notFound("programme_not_found",
                "No programme " + code));
    }

    /** The programme, its row locked: rule set changes of one programme happen one after the other. */
    private Programme lockedProgramme(Staff staff, String code) {
        Programme programme = programme(staff, code);
        em.lock(programme, LockModeType.PESSIMISTIC_WRITE);
        return programme;
    }

    private VersionView view(RuleSetVersion version, boolean withFiles) {
        Integer live = version.programme().liveRuleVersion();
        return new VersionView(version.programme().code(), version.version(), version.status().name(),
                live != null && live == version.version(), version.author(), version.comment(), version.createdAt(),
                version.publishedAt(), version.basedOn().orElse(null), withFiles ? version.files().stream()
                .map(file -> new FileContent(file.path(), file.content())).toList() : null);
    }

    /** A file of a rule set: DRL, or a CSV decision table. */
    public record FileContent(String path, String content) {
    }

    /** A version of a programme's rule set. */
    public record VersionView(String programme, int version, String status, boolean live, String author,
                              String comment, Instant createdAt, Instant publishedAt, Integer basedOn,
                              List<FileContent> files) {
    }

    /** A publish or rollback. */
    public record PublicationView(int version, String action, String actor, Instant at, String comment) {
    }

    /** How one file changed between two versions. */
    public record FileDiff(String path, String change, String diff) {
    }

    /** What changed between two versions. */
    public record DiffView(String programme, int from, int to, List<FileDiff> files) {
    }

    /** A transaction to simulate: the till's receipt, its clock's offset, the member's offers it presents. */
    public record SimulatedSale(Receipt receipt, ZoneOffset offset, List<String> offerIds) {
    }

    /**
     * One transaction under both versions.
     *
     * @param occurredAt when the sale occurred, so that the back office can add the outcomes up per day of the
     *                   programme's calendar
     */
    @Schema(name = "SimulatedSale")
    public record Outcome(String transactionId, String receiptId, String cardNumber, String memberId,
                          Instant occurredAt, long livePoints, long draftPoints, long difference,
                          List<SaleResult.RuleShare> liveRules, List<SaleResult.RuleShare> draftRules) {
    }

    /** A member whose tier would be another under the draft. */
    public record TierChange(String memberId, String tierUnderLive, String tierUnderDraft) {
    }

    /** The simulation's report: per transaction and in total. */
    public record Simulation(String programme, int version, int liveVersion, int transactions, long livePoints,
                             long draftPoints, long difference, List<Outcome> outcomes, List<TierChange> tierChanges) {
    }
}
