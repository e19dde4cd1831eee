package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.Account;
import org.loyaltyengine.engine.domain.access.Role;
import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.domain.card.Card;
import org.loyaltyengine.engine.domain.card.CardNumber;
import org.loyaltyengine.engine.domain.card.CardRepository;
import org.loyaltyengine.engine.domain.ledger.Balance;
import org.loyaltyengine.engine.domain.ledger.LedgerEntry;
import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.ledger.EntryKind;
import org.loyaltyengine.engine.domain.ledger.PointsLot;
import org.loyaltyengine.engine.domain.ledger.Provenance;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
import org.loyaltyengine.engine.domain.member.PersonalDetails;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;
import org.loyaltyengine.engine.infrastructure.security.OpenSessions;
import org.loyaltyengine.engine.infrastructure.security.PasswordHasher;

/**
 * What programme staff do to members and cards: enrol, issue, block, activate and replace cards, merge duplicates,
 * adjust points. Every change is recorded with who made it, on the ledger when it moves points and in the audit
 * trail always; changes of points lock the member's row like a sale.
 */
@ApplicationScoped
public class MemberAdministration {

    @Inject
    ProgrammeRepository programmes;

    @Inject
    MemberRepository members;

    @Inject
    CardRepository cards;

    @Inject
    LedgerRepository ledger;

    @Inject
    AccessRepository access;

    @Inject
    AuditTrail audit;

    @Inject
    EnrolmentService enrolment;

    @Inject
    PointsPosting posting;

    @Inject
    TierPromotion tiers;

    @Inject
    OpenSessions sessions;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Inject
    MemberAccountService accounts;

    @Inject
    CustomerKnowledge knowledge;

    @Inject
    OfferService offers;

    @Inject
    org.loyaltyengine.engine.domain.sale.SaleRepository sales;

    @Inject
    org.loyaltyengine.engine.domain.ruleset.RuleSetRepository ruleSets;

    @Inject
    Clock clock;

    @jakarta.persistence.PersistenceContext(unitName = "loyalty")
    jakarta.persistence.EntityManager em;

    /** Enrols a member with a newly issued card (or the pre-printed card given), and a sign-in if a password is. */
    @Transactional
    public Enrolled enrol(Staff staff, String programmeCode, NewMember request) {
        return enrol(staff, programmeCode, request, null);
    }

    /** Enrols a member with their contact data and consents (a row of an import). */
    @Transactional
    public Enrolled enrol(Staff staff, String programmeCode, NewMember request, Contact contact) {
        staff.requireManages(programmeCode);
        Programme programme = programmes.findByCode(programmeCode).orElseThrow(() -> DomainException.notFound(
                "programme_not_found", "No programme " + programmeCode));
        String email = Member.emailKey(request.email());
        LocalDate born = request.birthDate();
        if (born != null && (born.isBefore(LocalDate.of(1900, 1, 1)) || !born.isBefore(programme.today(clock.instant())))) {
            throw DomainException.invalid("invalid_date", "birthDate", "A birth date is between 1900 and today, not "
                    + born);
        }
        members.findByEmail(programme, email).ifPresent(existing -> {
            throw new DomainException(DomainException.Kind.CONFLICT, "member_exists", "Programme " + programmeCode
                    + " already has member " + existing.publicId() + " with email " + email, "email");
        });
        CardNumber number = request.cardNumber() == null ? null : newCard(request.cardNumber());
        if (request.password() != null && access.findAccount(email).isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "account_exists", "An account signs in with "
                    + email + " already", "email");
        }
        Card card = enrolment.enrol(programme, new PersonalDetails(email, request.firstName().strip(),
                request.lastName().strip(), request.birthDate()), number);
        Member member = card.member();
        member.callOn(request.phone());
        if (contact != null) {
            member.postalAddress(contact.postalAddress());
            member.consent(contact.consentEmail(), contact.consentSms(), contact.consentPost());
            member.undeliverable(contact.emailUndeliverable(), contact.postUndeliverable());
        }
        if (request.password() != null) {
            access.add(new Account(email, PasswordHasher.hash(request.password()), Role.CUSTOMER, programmeCode,
                    member.publicId()));
        }
        record(staff, "MEMBER_ENROLLED", programmeCode, member.publicId(), "card " + card.number()
                + (request.password() != null ? ", with a sign-in" : ""));
        return new Enrolled(member.publicId(), programmeCode, card.number().value(), member.tierCode(),
                request.password() != null);
    }

    /**
     * Issues one more card to a member (several cards per member): {@code handedOver}, a pre-printed card given at
     * the desk, or a new number when null.
     *
     * @throws DomainException {@code card_exists} (409) for a card number issued already
     */
    @Transactional
    public CardView issueCard(Staff staff, String memberId, String handedOver) {
        // Locked, as a merge locks the members it moves cards from: a card issued now is never left behind on a
        // member merged meanwhile.
        Member member = members.lock(member(staff, memberId));
        member.requireActive(null);
        Card card = new Card(newCard(handedOver), member, clock.instant());
        cards.add(card);
        record(staff, "CARD_ISSUED", member.programme().code(), card.number().value(), "to member "
                + member.publicId());
        return view(card);
    }

    /** Blocks a lost or stolen card. */
    @Transactional
    public CardView block(Staff staff, String cardNumber, String reason) {
        Card card = lockedCard(staff, cardNumber);
        String before = card.status().name();
        card.block(reason.strip(), staff.name(), clock.instant());
        record(staff, "CARD_BLOCKED", card.member().programme().code(), card.number().value(), "status " + before
                + " -> BLOCKED: " + reason);
        return view(card);
    }

    /** Puts a blocked card back into use. */
    @Transactional
    public CardView activate(Staff staff, String cardNumber) {
        Card card = lockedCard(staff, cardNumber);
        card.member().current().requireActive(null);
        String before = card.status().name() + (card.statusReason() == null ? "" : " (" + card.statusReason() + ")");
        card.activate(staff.name(), clock.instant());
        record(staff, "CARD_ACTIVATED", card.member().programme().code(), card.number().value(), "status " + before
                + " -> ACTIVE");
        return view(card);
    }

    /** Replaces a card by a new one on the same account. */
    @Transactional
    public CardView replace(Staff staff, String cardNumber, String reason, String handedOver) {
        Card old = lockedCard(staff, cardNumber);
        Member holder = old.member().current();
        holder.requireActive(null);
        old.moveTo(holder); // the same member, unless a merge moved the card after it was read: the new card too
        Card replacement = old.replaceWith(newCard(handedOver), reason, staff.name(), clock.instant());
        cards.add(replacement);
        record(staff, "CARD_REPLACED", old.member().programme().code(), old.number().value(), "by "
                + replacement.number() + (reason == null ? "" : ": " + reason));
        record(staff, "CARD_ISSUED", old.member().programme().code(), replacement.number().value(), "replacing "
                + old.number());
        CardView view = view(replacement);
        return new CardView(view.cardNumber(), view.status(), view.memberId(), old.number().value(), null);
    }

    /**
     * Merges a duplicate into a member: the duplicate's points move by transfer entries on both ledgers (each lot
     * keeps its expiry day), its cards and sign-ins move to the member, the better of the two tiers is kept, and
     * tier qualification counts the duplicate's entries from now on. Nothing already written is changed.
     */
    @Transactional
    public Merged merge(Staff staff, String targetId, String fromId) {
        if (targetId.equals(fromId)) {
            throw DomainException.unprocessable("merge_invalid", "from", "A member cannot be merged into itself");
        }
        Member target = member(staff, targetId);
        Member from = members.findByPublicId(fromId)
                .filter(found -> staff.programmeScope() == null
                        || staff.programmeScope().equals(found.programme().code()))
                .orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "member_not_found",
                        "No member " + fromId, "from"));
        // Lock in id order, so that two merges of the same pair cannot deadlock.
        if (target.id() < from.id()) {
            target = members.lock(target);
            from = members.lock(from);
        } else {
            from = members.lock(from);
            target = members.lock(target);
        }
        // The duplicates merged into the duplicate before name the member kept from now on, as it does.
        List<Member> duplicates = members.duplicatesOf(from);
        from.mergeInto(target, duplicates);
        Instant now = clock.instant();
        LocalDate today = target.programme().today(now);
        String reason = "Duplicate member " + from.publicId() + " merged into " + target.publicId();
        Provenance provenance = new Provenance(staff.channel(), null, staff.name(), reason, now);
        List<PointsLot> lots = ledger.openLots(from, today);
        long moved = lots.stream().mapToLong(PointsLot::remaining).sum();
        if (moved > 0) {
            List<PointsPosting.LotShape> shapes = lots.stream()
                    .map(lot -> new PointsPosting.LotShape(lot.remaining(), lot.availableOn(), lot.expiresOn(),
                            lot.saleOfPoints()))
                    .toList();
            posting.consume(LedgerEntry.mergeTransfer(from, -moved, target.publicId(), provenance, now), lots);
            posting.credit(LedgerEntry.mergeTransfer(target, moved, from.publicId(), provenance, now), shapes);
        }
        long owed = from.pointsOwed();
        if (owed > 0) {
            from.repay(owed);
            ledger.append(LedgerEntry.mergeTransfer(from, owed, target.publicId(), provenance, now));
            posting.debit(LedgerEntry.mergeTransfer(target, -owed, from.publicId(), provenance, now), today,
                    List.of(), true);
        }
        target.keepBetterTierOf(from, now);
        // The duplicate's qualifying points count for the kept member now: together they may reach a tier.
        tiers.afterCredit(target, provenance, "duplicate " + from.publicId() + " merged in", now);
        List<String> movedCards = new ArrayList<>();
        for (Card card : cards.findByMember(from)) {
            card.moveTo(target);
            movedCards.add(card.number().value());
        }
        List<String> movedOffers = offers.moveOnMerge(from, target, today);
        // The duplicate's sign-ins now open the kept member's account. Their sessions end: their tokens name the
        // duplicate, whose account is empty now; signing in again gives one that names the member kept.
        List<String> signIns = new ArrayList<>();
        for (Account account : access.accountsOf(from.publicId())) {
            account.signInTo(target.publicId());
            account.endSessions();
            signIns.add(account.email());
        }
        afterCommit(() -> signIns.forEach(sessions::ended));
        record(staff, "MEMBER_MERGED", target.programme().code(), target.publicId(), reason + "; " + moved
                + " points and cards " + movedCards + " moved" + (movedOffers.isEmpty() ? "" : "; offers " + movedOffers
                + " moved") + (owed > 0 ? "; " + owed + " points owed moved" : "")
                + (duplicates.isEmpty() ? "" : "; its duplicates " + duplicates.stream().map(Member::publicId).toList()
                + " held here too"));
        record(staff, "MEMBER_MERGED", target.programme().code(), from.publicId(), reason);
        Balance balance = ledger.balanceOf(target, today);
        return new Merged(target.publicId(), from.publicId(), moved - owed, movedCards, target.tierCode(),
                balance.available(), balance.pending());
    }

    /** Runs the action once the current transaction has committed (sessions it ended: forgotten by this instance). */
    private void afterCommit(Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }

    /**
     * Credits or debits points by hand, with a reason. A debit larger than the available points is refused unless
     * {@code allowNegative} (correcting fraud, say). With an idempotency key, a retry of the same adjustment is
     * answered with the first one's result and records nothing.
     */
    @Transactional
    public Adjusted adjust(Staff staff, String memberId, Adjustment request, String idempotencyKey) {
        Member member = members.lock(member(staff, memberId));
        member.requireActive(null);
        Programme programme = member.programme();
        Instant now = clock.instant();
        LocalDate today = programme.today(now);
        if (idempotencyKey != null) {
            Optional<LedgerEntry> earlier = ledger.findByIdempotencyKey(member, idempotencyKey);
            if (earlier.isPresent()) {
                requireSameAdjustment(earlier.get(), request, idempotencyKey);
                return adjusted(member, earlier.get(), today, true);
            }
        }
        long balanceBefore = ledger.spendable(member, today).available();
        Provenance provenance = new Provenance(staff.channel(), null, staff.name(), request.reason().strip(), now);
        LedgerEntry entry;
        List<PointsLot> credited = List.of();
        if (request.reverses() != null) {
            LedgerEntry credit = reversible(member, request);
            entry = LedgerEntry.reversalOf(credit, member, new Provenance(staff.channel(), null, staff.name(),
                    request.reason().strip(), credit.occurredAt()), now).withIdempotencyKey(idempotencyKey);
            credited = ledger.lotsOf(credit);
        } else {
            entry = LedgerEntry.adjustment(member, request.points(), request.qualifying(), provenance, now)
                    .withIdempotencyKey(idempotencyKey);
        }
        if (request.points() > 0) {
            posting.credit(entry, today, programme.expiresOn(today));
            if (request.qualifying()) {
                tiers.afterCredit(member, provenance, "adjustment " + entry.id(), now);
            }
        } else {
            Balance balance = ledger.spendable(member, today);
            if (-request.points() > balance.available() && !request.allowNegative()) {
                throw new DomainException(DomainException.Kind.CONFLICT, "insufficient_points", "Member "
                        + member.publicId() + " has " + balance.available() + " available points; a debit of "
                        + -request.points() + " needs allowNegative", "points");
            }
            posting.debit(entry, today, credited, true);
        }
        record(staff, "POINTS_ADJUSTED", programme.code(), member.publicId(), request.points() + " points"
                + (request.reverses() != null ? " (reversing entry " + request.reverses() + ")"
                : request.qualifying() ? " (counting towards tiers)" : "") + ": " + request.reason() + "; available "
                + balanceBefore + " -> " + ledger.spendable(member, today).available()
                + (request.qualifying() && request.reverses() == null ? "; tier " + member.tierCode() : ""));
        return adjusted(member, entry, today, false);
    }

    /**
     * The manual credit a reversal names: the member's (or a merged duplicate's), a credit, not reversed yet, and
     * taken back whole.
     *
     * @throws DomainException {@code entry_not_found} (404), {@code not_reversible} (422) for another kind of entry
     *                         or one reversed already, {@code invalid_field} (400) for points other than minus the
     *                         credit's
     */
    private LedgerEntry reversible(Member member, Adjustment request) {
        LedgerEntry credit = ledger.entryOf(member, request.reverses()).orElseThrow(() -> new DomainException(
                DomainException.Kind.NOT_FOUND, "entry_not_found", "Member " + member.publicId() + " has no entry "
                + request.reverses(), "reverses"));
        if (credit.kind() != EntryKind.ADJUSTMENT || credit.points() <= 0) {
            throw DomainException.unprocessable("not_reversible", "reverses", "Entry " + credit.id() + " is "
                    + (credit.points() <= 0 ? "a debit" : "not a manual credit (" + credit.kind() + ")")
                    + ": only a manual credit is reversed; a sale's points go back by a return");
        }
        if (ledger.referenced(member, LedgerEntry.reversing(credit.id()))) {
            throw DomainException.unprocessable("not_reversible", "reverses", "Entry " + credit.id()
                    + " was reversed already");
        }
        if (request.points() != -credit.points()) {
            throw DomainException.invalid("points", "A reversal of entry " + credit.id() + " takes back its "
                    + credit.points() + " points: points is " + -credit.points() + ", not " + request.points());
        }
        return credit;
    }

    /**
     * A retry sends what the first request sent; another adjustment under a key already used is a mistake of the
     * caller (a key copied from the last ticket), refused rather than answered with the first one's result.
     *
     * @throws DomainException {@code adjustment_conflict} (409) when points, reason or qualifying differ
     */
    private static void requireSameAdjustment(LedgerEntry earlier, Adjustment request, String key) {
        boolean qualifying = request.points() > 0 && request.qualifying();
        if (earlier.points() != request.points() || !earlier.reason().equals(request.reason().strip())
                || (earlier.qualifyingPoints() > 0) != qualifying) {
            throw DomainException.conflict("adjustment_conflict", "Idempotency-Key " + key + " was used for "
                    + "another adjustment (" + earlier.points() + " points" + (earlier.qualifyingPoints() > 0
                    ? ", qualifying" : "") + ": " + earlier.reason() + ", entry " + earlier.id() + "); use a new"
                    + " key for a new adjustment");
        }
    }

    private Adjusted adjusted(Member member, LedgerEntry entry, LocalDate today, boolean replay) {
        Balance balance = ledger.spendable(member, today);
        return new Adjusted(entry.id(), member.publicId(), entry.points(), entry.reason(), entry.actor(),
                balance.available(), balance.pending(), replay);
    }

    /** The member's account as staff see it. */
    @Transactional
    public MemberRecord view(Staff staff, String memberId) {
        Member member = member(staff, memberId);
        return new MemberRecord(member.status().name(), member.mergedInto().map(Member::publicId).orElse(null),
                member.pointsOwed(), member.phone(), accounts.overview(member),
                cards.findByMember(member).stream().map(MemberAdministration::view).toList(), contactOf(member),
                offers.summaries(member), offers.given(member));
    }

    /** Finds a member of the programme by email or by one of their cards. */
    @Transactional
    public MemberRecord find(Staff staff, String programmeCode, String email, String cardNumber) {
        staff.requireManages(programmeCode);
        Programme programme = programmes.findByCode(programmeCode).orElseThrow(() -> DomainException.notFound(
                "programme_not_found", "No programme " + programmeCode));
        Optional<Member> found;
        if (cardNumber != null) {
            found = cards.findByNumber(CardNumber.parse(cardNumber)).map(Card::member)
                    .filter(member -> member.programme().id().equals(programme.id()));
        } else if (email != null) {
            found = members.findByEmail(programme, email);
        } else {
            throw DomainException.invalid("email", "Search by email or by cardNumber");
        }
        return view(staff, found.orElseThrow(() -> DomainException.notFound("member_not_found",
                "No member of " + programmeCode + " with " + (cardNumber != null ? "card " + cardNumber
                        : "email " + email))).publicId());
    }

    /**
     * Members of the programme whose first or last name (or email) starts with the text, or whose phone ends like
     * the number given (a national number finds the international one too), at most 50. Names are compared
     * without case or accents ("lopez" finds López), as the members' folded names are kept ({@link Member#folded},
     * migration V34); words are the start of the first name then of the last, or the other way round, split after
     * any of them ("ana lopez", "lopez ana", "ana maria lopez nunez"), or the start of either name ("jean luc",
     * "de la cruz").
     */
    @Transactional
    public List<MemberSummary> searchByName(Staff staff, String programmeCode, String text) {
        staff.requireManages(programmeCode);
        String typed = Member.folded(text);
        if (typed.replace(" ", "").length() < 2) {
            throw DomainException.invalid("name", "Give at least two letters of the name");
        }
        // A name of more words than this is no name: the splits tried stay few.
        String[] words = java.util.Arrays.copyOf(typed.split(" "), Math.min(6, typed.split(" ").length));
        StringBuilder names = new StringBuilder("m.firstFolded like :w or m.lastFolded like :w");
        for (int k = 1; k < words.length; k++) {
            names.append(" or (m.firstFolded like :h").append(k).append(" and m.lastFolded like :t").append(k)
                    .append(") or (m.lastFolded like :h").append(k).append(" and m.firstFolded like :t").append(k)
                    .append(")");
        }
        String emailPrefix = text.strip().toLowerCase(Locale.ROOT);
        String phone = Member.normalisedPhone(text);
        jakarta.persistence.TypedQuery<Member> query = em.createQuery("select m from Member m where m.programme.code"
                        + " = :code and (" + names + " or lower(m.email) like :e or m.phone = :phone"
                        + " or m.phone like :phoneEnd) order by m.lastName, m.firstName", Member.class)
                .setParameter("code", programmeCode)
                .setParameter("w", prefix(String.join(" ", words)))
                .setParameter("e", prefix(emailPrefix))
                .setParameter("phone", phone == null || phone.length() < 6 ? "-" : phone)
                .setParameter("phoneEnd", phoneEnding(phone));
        for (int k = 1; k < words.length; k++) {
            query.setParameter("h" + k, prefix(String.join(" ", java.util.Arrays.copyOfRange(words, 0, k))))
                    .setParameter("t" + k, prefix(String.join(" ", java.util.Arrays.copyOfRange(words, k,
                            words.length))));
        }
        return query.setMaxResults(50).getResultStream()
                .map(member -> new MemberSummary(member.publicId(), member.firstName(), member.lastName(),
                        member.email(), member.phone(), member.tierCode(), member.status().name()))
                .toList();
    }

    /** A LIKE pattern of what starts with the text, the text's own wildcards taken as nothing. */
    private static String prefix(String text) {
        return text.replace("%", "").replace("_", "") + "%";
    }

    /**
     * The part of a phone number that a national and an international spelling share: its last nine digits
     * ("06 12 34 56 78" and "+33 6 12 34 56 78" both end in 612345678). Shorter numbers match only exactly.
     */
    private static String phoneEnding(String phone) {
        String digits = phone == null ? "" : phone.replace("+", "");
        if (digits.length() < 6) {
            return "-";
        }
        return "%" + (digits.length() > 9 ? digits.substring(digits.length() - 9) : digits);
    }

    /** What the programme knows of the member, as last computed. */
    @Transactional
    public Knowledge knowledge(Staff staff, String memberId) {
        Member member = member(staff, memberId);
        return knowledge.of(member).map(score -> knowledgeOf(member, score))
                .orElseThrow(() -> DomainException.notFound("knowledge_not_computed", "No scores for member "
                        + memberId + " yet: they are computed nightly, or by POST"
                        + " /admin/programmes/{code}/knowledge/recompute"));
    }

    /** The barcode of a card, to print (PNG). */
    @Transactional
    public byte[] cardImage(Staff staff, String cardNumber, CardBarcode.Format format) {
        Card card = card(staff, cardNumber);
        return CardBarcode.render(card.number().value(), format);
    }

    @Transactional
    public LedgerPage history(Staff staff, String memberId, int page, int size) {
        return accounts.history(member(staff, memberId), page, size, true);
    }

    /**
     * A page of the member's purchases (and its merged duplicates'), newest first, each with what the till was
     * answered: a sale that earned nothing has no ledger entry, and this is where customer service finds it, with
     * the rule version live when it was recorded.
     */
    @Transactional
    public SalesPage sales(Staff staff, String memberId, int page, int size) {
        Member member = member(staff, memberId);
        MemberAccountService.requirePage(page, size);
        List<org.loyaltyengine.engine.domain.ruleset.RuleSetPublication> publications =
                ruleSets.publications(member.programme().code());
        List<PurchaseLine> items = sales.salesOf(member, page, size).stream().map(sale -> {
            SaleResult answer = ANSWERS.fromJson(sale.answerJson(), SaleResult.class);
            // The version live when the sale was recorded: the latest publication before it.
            String ruleSet = publications.stream().filter(p -> !p.occurredAt().isAfter(sale.recordedAt()))
                    .findFirst().map(p -> sale.programme().code() + " v" + p.version()).orElse(null);
            return new PurchaseLine(sale.publicId(), sale.storeId(), sale.terminalId(), sale.receiptId(),
                    sale.cardNumber(), sale.occurredAt(), sale.recordedAt(), sale.currency(),
                    Currencies.amount(sale.total(), sale.currency()),
                    Currencies.amount(sale.returnedValue(), sale.currency()), answer.pointsEarned(),
                    answer.pointsRedeemed(), answer.appliedRules() == null ? List.of() : answer.appliedRules(),
                    ruleSet);
        }).toList();
        return new SalesPage(page, size, sales.countSales(member), items);
    }

    private static final jakarta.json.bind.Jsonb ANSWERS = jakarta.json.bind.JsonbBuilder.create();

    /** A page of a member's purchases. */
    @Schema(name = "SalesPage", description = "A page of a member's purchases, newest first")
    public record SalesPage(int page, int size, long total, List<PurchaseLine> items) {
    }

    /**
     * A purchase as it was recorded and answered.
     *
     * @param returned the value of the goods brought back so far
     * @param ruleSet  the rule version live when it was recorded ("DEMO v3")
     */
    public record PurchaseLine(String transactionId, String storeId, String terminalId, String receiptId,
                               String cardNumber, Instant occurredAt, Instant recordedAt, String currency,
                               String total, String returned, long pointsEarned, long pointsRedeemed,
                               List<SaleResult.RuleShare> appliedRules, String ruleSet) {
    }

    /** Who did what to a member or a card, newest first. */
    @Transactional
    public List<AuditLine> audit(Staff staff, String subject) {
        Optional<Member> member = members.findByPublicId(subject);
        if (member.isPresent()) {
            staff.requireManages(member.get().programme(), "member_not_found", "member " + subject);
        } else {
            card(staff, subject);
        }
        return audit.about(subject).stream().map(event -> new AuditLine(event.occurredAt(), event.actor(),
                event.action(), event.subject(), event.detail())).toList();
    }

    /** The programme's administrative changes, newest first (the last 500). */
    @Transactional
    public List<AuditLine> programmeAudit(String programmeCode) {
        return audit.inProgramme(programmeCode).stream().map(event -> new AuditLine(event.occurredAt(), event.actor(),
                event.action(), event.subject(), event.detail())).toList();
    }

    /**
     * Checks the member's lots and debt against the ledger: the entries must add up to what the lots hold (spent,
     * expired or not) less what is owed. The lots are a projection of the entries kept in the same transactions;
     * this is the check that they still agree.
     */
    @Transactional
    public LedgerCheck check(Staff staff, String memberId) {
        Member member = member(staff, memberId);
        long entries = ledger.entriesTotal(member);
        long lots = ledger.lotsRemainingTotal(member);
        return new LedgerCheck(member.publicId(), entries, lots, member.pointsOwed(),
                entries == lots - member.pointsOwed());
    }

    /**
     * Puts a member in a tier by hand, with a reason: the way out of a tier reached by mistake (a qualifying credit
     * made in error and reversed keeps the tier until the yearly review), or a tier given as a gesture. Recorded as
     * the member's ledger's tier change and in the audit trail. The answer says which tier the member's qualifying
     * points reach: above the tier set, their next purchase or qualifying credit takes them up to it again.
     *
     * @throws DomainException {@code tier_not_found} (422), {@code tier_unchanged} (409) for the tier they hold
     */
    @Transactional
    public TierSet setTier(Staff staff, String memberId, String tierCode, String reason) {
        Member member = members.lock(member(staff, memberId));
        member.requireActive(null);
        Programme programme = member.programme();
        String code = tierCode.strip().toUpperCase(Locale.ROOT);
        // A programme made before codes were kept in capitals may hold one as it was typed.
        org.loyaltyengine.engine.domain.programme.Tier tier = programme.tier(code)
                .or(() -> programme.tier(tierCode.strip()))
                .orElseThrow(() -> DomainException.unprocessable("tier_not_found", "tier", "Programme "
                        + programme.code() + " has no tier " + code + "; its tiers are " + programme.tiers().stream()
                        .map(org.loyaltyengine.engine.domain.programme.Tier::code).toList()));
        String before = member.tierCode();
        if (before.equals(tier.code())) {
            throw DomainException.conflict("tier_unchanged", "Member " + member.publicId() + " is " + before
                    + " already");
        }
        Instant now = clock.instant();
        member.setTier(tier, now);
        ledger.append(LedgerEntry.tierChange(member, before + "->" + tier.code(), new Provenance(staff.channel(), null,
                staff.name(), "Set by hand from " + before + " to " + tier.code() + ": " + reason.strip(), now), now));
        long qualifying = ledger.purchaseHistory(member, programme.tierWindowStart(now)).qualifyingPoints();
        String reaches = programme.tiers().stream().filter(t -> t.minimumPoints() <= qualifying)
                .max(java.util.Comparator.comparingInt(org.loyaltyengine.engine.domain.programme.Tier::rank))
                .map(org.loyaltyengine.engine.domain.programme.Tier::code).orElse(programme.entryTier().code());
        record(staff, "TIER_SET", programme.code(), member.publicId(), before + " -> " + tier.code() + ": "
                + reason.strip() + " (" + qualifying + " qualifying points in the last " + programme.tierWindowDays()
                + " days reach " + reaches + ")");
        return new TierSet(member.publicId(), before, tier.code(), qualifying, reaches);
    }

    /**
     * A tier set by hand.
     *
     * @param reaches the tier the member's qualifying points reach by the tiers' thresholds: when above
     *                {@code tier}, the member's next purchase or qualifying credit takes them up to it again
     */
    public record TierSet(String memberId, String before, String tier, long qualifyingPoints, String reaches) {
    }

    private Member member(Staff staff, String memberId) {
        Member member = members.findByPublicId(memberId).orElseThrow(() -> DomainException.notFound(
                "member_not_found", "No member " + memberId));
        staff.requireManages(member.programme(), "member_not_found", "member " + memberId);
        return member;
    }

    /** A pre-printed card's number, checked and not issued yet, or a new number when none is given. */
    private CardNumber newCard(String handedOver) {
        if (handedOver == null || handedOver.isBlank()) {
            return enrolment.newCardNumber();
        }
        CardNumber number = CardNumber.parse(handedOver.strip());
        if (cards.findByNumber(number).isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "card_exists", "Card " + number
                    + " was already issued", "cardNumber");
        }
        return number;
    }

    /**
     * The card as it stands under its holder's lock: a block, a reactivation and a replacement of one card (a double
     * click, a retry, two managers) are made one after the other, each on what the one before left. Each read the card
     * before the lock, and the last to write won: a stolen card replaced and reactivated at once was active again
     * beside its replacement, and two replacements made two new cards.
     */
    private Card lockedCard(Staff staff, String cardNumber) {
        Card card = card(staff, cardNumber);
        Member holder = members.lockHolder(card.member());
        cards.reread(card);
        if (!card.member().current().id().equals(holder.id())) {
            // A merge moved the card meanwhile: its holder now is the member kept, locked too.
            members.lockHolder(card.member());
        }
        return card;
    }

    private Card card(Staff staff, String cardNumber) {
        CardNumber number = CardNumber.parse(cardNumber);
        Card card = cards.findByNumber(number).orElseThrow(() -> DomainException.notFound("card_not_found",
                "No card " + number));
        staff.requireManages(card.member().programme(), "card_not_found", "card " + number);
        return card;
    }

    private void record(Staff staff, String action, String programmeCode, String subject, String detail) {
        audit.record(new AuditEvent(clock.instant(), staff.name(), action, programmeCode, subject, detail));
    }

    static CardView view(Card card) {
        return new CardView(card.number().value(), card.status().name(), card.member().publicId(), null,
                card.statusReason());
    }

    /** A member's scores and segment. */
    public record Knowledge(String memberId, LocalDate computedOn, Integer recencyDays, int frequency,
                            java.math.BigDecimal monetary, int recencyScore, int frequencyScore, int monetaryScore,
                            String segment, java.math.BigDecimal averageBasket, String favouriteCategory,
                            java.math.BigDecimal attritionRisk) {
    }

    /** A member in a list of search results. */
    public record MemberSummary(String memberId, String firstName, String lastName, String email, String phone,
                                String tier, String status) {
    }

    /** A member to enrol. */
    public record NewMember(String email, String firstName, String lastName, LocalDate birthDate, String password,
                            String cardNumber, String phone) {
    }

    /**
     * A member's postal address, consent per campaign channel and undeliverable flags; {@code null} leaves a value
     * as it is.
     */
    public record Contact(String postalAddress, Boolean consentEmail, Boolean consentSms, Boolean consentPost,
                          Boolean emailUndeliverable, Boolean postUndeliverable) {
    }

    /** Changes a member's contact data, consents or undeliverable flags (a bounce report, a returned letter). */
    @Transactional
    public Contact contact(Staff staff, String memberId, Contact change) {
        Member member = member(staff, memberId);
        Member.Contactability before = member.contactability();
        String addressBefore = member.postalAddress();
        if (change.postalAddress() != null) {
            if (change.postalAddress().strip().length() > 500) {
                throw DomainException.invalid("postalAddress", "A postal address is 500 characters at most");
            }
            member.postalAddress(change.postalAddress().isBlank() ? null : change.postalAddress().strip());
        }
        member.consent(change.consentEmail(), change.consentSms(), change.consentPost());
        member.undeliverable(change.emailUndeliverable(), change.postUndeliverable());
        Member.Contactability after = member.contactability();
        String changed = contactChanges(before, after, !java.util.Objects.equals(addressBefore,
                member.postalAddress()));
        if (!changed.isEmpty()) {
            record(staff, "MEMBER_CONTACT_CHANGED", member.programme().code(), member.publicId(), changed);
        }
        return contactOf(member);
    }

    /**
     * What a change of contact data changed, as the audit trail says it ("email consent yes -> no; postal address
     * changed"): the address itself stays out of the trail, which outlives an account's erasure.
     */
    static String contactChanges(Member.Contactability before, Member.Contactability after, boolean addressChanged) {
        List<String> changes = new ArrayList<>();
        String[] names = {"email consent", "SMS consent", "post consent", "email undeliverable", "post undeliverable"};
        boolean[] was = {before.consentEmail(), before.consentSms(), before.consentPost(), before.emailUndeliverable(),
                before.postUndeliverable()};
        boolean[] is = {after.consentEmail(), after.consentSms(), after.consentPost(), after.emailUndeliverable(),
                after.postUndeliverable()};
        for (int i = 0; i < names.length; i++) {
            if (was[i] != is[i]) {
                changes.add(names[i] + " " + (was[i] ? "yes" : "no") + " -> " + (is[i] ? "yes" : "no"));
            }
        }
        if (addressChanged) {
            changes.add("postal address changed");
        }
        return String.join("; ", changes);
    }

    /** A member's scores as staff and the member's data download show them. */
    static Knowledge knowledgeOf(Member member, org.loyaltyengine.engine.domain.knowledge.MemberScore score) {
        return new Knowledge(member.publicId(), score.computedOn(), score.recencyDays(), score.frequency(),
                score.monetary(), score.recencyScore(), score.frequencyScore(), score.monetaryScore(), score.segment(),
                score.averageBasket(), score.favouriteCategory(), score.attritionRisk());
    }

    static Contact contactOf(Member member) {
        Member.Contactability c = member.contactability();
        return new Contact(member.postalAddress(), c.consentEmail(), c.consentSms(), c.consentPost(),
                c.emailUndeliverable(), c.postUndeliverable());
    }

    /** A member just enrolled, with the card issued. */
    @Schema(name = "Enrolled", description = "A member just enrolled, with the card issued")
    public record Enrolled(String memberId, String programme, String cardNumber, String tier, boolean canSignIn) {
    }

    /**
     * A card as staff see it.
     *
     * @param replaces the card this one replaced, on a replacement
     * @param reason   why the card was blocked or replaced
     */
    public record CardView(String cardNumber, String status, String memberId, String replaces, String reason) {
    }

    /** A manual change of points. */
    /**
     * @param reverses the entry of a manual credit taken back whole (null for none)
     */
    public record Adjustment(long points, String reason, boolean qualifying, boolean allowNegative, Long reverses) {
    }

    /** The adjustment recorded (or, on a retry with the same idempotency key, recorded before). */
    @Schema(name = "Adjusted", description = "An adjustment recorded")
    public record Adjusted(long entryId, String memberId, long points, String reason, String actor,
                           long availablePoints, long pendingPoints, boolean replay) {
    }

    /** The outcome of a merge. */
    public record Merged(String memberId, String mergedFrom, long pointsTransferred, List<String> cardsMoved,
                         String tier, long availablePoints, long pendingPoints) {
    }

    /** A member's record for staff. */
    public record MemberRecord(String status, String mergedInto, long pointsOwed, String phone, MemberOverview account,
                               List<CardView> cards, Contact contact, List<CardSummary.OfferSummary> offers,
                               List<OfferService.GivenOffer> offersGiven) {
    }

    /** One administrative action. */
    public record AuditLine(Instant at, String actor, String action, String subject, String detail) {
    }

    /** Whether the member's lots and debt agree with the ledger's entries. */
    public record LedgerCheck(String memberId, long entriesTotal, long lotsRemaining, long pointsOwed,
                              boolean consistent) {
    }
}
