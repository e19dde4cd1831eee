package org.loyaltyengine.engine.application;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.PosKey;
import org.loyaltyengine.engine.domain.access.Store;
import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;
import org.loyaltyengine.engine.domain.programme.ProgrammeTerms;
import org.loyaltyengine.engine.domain.programme.Tier;
import org.loyaltyengine.engine.domain.reward.Reward;
import org.loyaltyengine.engine.domain.reward.RewardRepository;
import org.loyaltyengine.engine.domain.ruleset.RuleFile;
import org.loyaltyengine.engine.domain.ruleset.RuleSetPublication;
import org.loyaltyengine.engine.domain.ruleset.RuleSetRepository;
import org.loyaltyengine.engine.domain.ruleset.RuleSetVersion;
import org.loyaltyengine.engine.infrastructure.rules.RuleSetRegistry;
import org.loyaltyengine.engine.infrastructure.security.ApiKeys;
import org.loyaltyengine.rules.DemoRuleSet;

/**
 * Defines programmes: the programme itself (with a starter rule set, so that it earns from its first sale), its
 * tiers, its rewards, its stores and its tills' keys. Programmes live side by side; nothing of one is visible from
 * another.
 */
@ApplicationScoped
public class ProgrammeAdministration {

    /** The highest threshold a tier may have, in qualifying points. */
    public static final long MAX_TIER_POINTS = 1_000_000_000L;

    /** The highest price of a reward, in points. */
    public static final long MAX_REWARD_PRICE = 100_000_000L;

    /** The largest stock of a reward. */
    public static final long MAX_STOCK = 1_000_000_000L;

    private final SecureRandom random = new SecureRandom();

    @Inject
    ProgrammeRepository programmes;

    @Inject
    RuleSetRepository ruleSets;

    @Inject
    RewardRepository rewards;

    @Inject
    AccessRepository access;

    @Inject
    AuditTrail audit;

    @Inject
    RuleSetRegistry registry;

    @Inject
    org.loyaltyengine.engine.infrastructure.security.PosKeyCache keyCache;

    @jakarta.annotation.Resource
    jakarta.transaction.TransactionSynchronizationRegistry transactions;

    @Inject
    Clock clock;

    /**
     * Creates a programme with one entry tier and the starter rule set, published.
     *
     * @throws DomainException {@code programme_exists} (409) for a code in use
     */
    @Transactional
    public ProgrammeView create(Staff staff, NewProgramme request) {
        if (staff.programmeScope() != null) {
            throw DomainException.forbidden("forbidden", staff.name() + " manages programme "
                    + staff.programmeScope() + " only and cannot create programmes");
        }
        String code = request.code().strip().toUpperCase(java.util.Locale.ROOT);
        if (programmes.findByCode(code).isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "programme_exists", "Programme " + code
                    + " already exists", "code");
        }
        Currencies.requireMoney(request.currency());
        requirePendingBeforeExpiry(request.pendingDays(), request.pointsExpireAfterDays());
        ZoneId zone = zone(request.timeZone() == null ? "UTC" : request.timeZone());
        Instant now = clock.instant();
        Programme programme = new Programme(new ProgrammeTerms(code, request.name().strip(), request.currency(),
                request.pointsExpireAfterDays(), request.pendingDays(),
                request.pointValue() == null ? new BigDecimal("0.01") : request.pointValue(),
                request.tierWindowDays() == null ? 365 : request.tierWindowDays(), zone), now);
        programme.limitSaleTotal(saleLimit(request.maxSaleTotal(), request.currency()));
        programme.addTopTier(request.entryTier() == null ? "MEMBER" : tierCode(request.entryTier()),
                request.entryTier() == null ? "Member" : request.entryTier().strip(), 0);
        programmes.add(programme);
        RuleSetVersion rules = new RuleSetVersion(programme, 1, DemoRuleSet.starterSources().stream()
                .map(source -> new RuleFile(source.path(), source.content())).toList(), staff.name(),
                "Starter rules: 1 point per whole " + request.currency() + ", tiers by qualifying points", now);
        rules.publish(now);
        ruleSets.add(rules);
        programme.serve(1);
        ruleSets.add(new RuleSetPublication(programme, 1, RuleSetPublication.Action.PUBLISH, staff.name(), now, "First version"));
        record(staff, "PROGRAMME_CREATED", code, code, described(request));
        return view(programme);
    }

    /**
     * Changes a programme's terms. New expiry and pending days apply to points earned from now on; lots already
     * earned keep the dates they were given. A new time zone gives the programme's days from now on, the dates
     * already given staying as they are. The currency changes only while the programme holds nothing priced in
     * it: a programme created in the wrong currency is put right before its first sale.
     *
     * @throws DomainException {@code currency_in_use} (409) for another currency once the programme holds sales,
     *                         claims or offers with a minimum spend; {@code unknown_time_zone} (400)
     */
    @Transactional
    public ProgrammeView edit(Staff staff, String code, Terms terms) {
        Programme programme = programme(staff, code);
        requirePendingBeforeExpiry(terms.pendingDays(), terms.pointsExpireAfterDays());
        ZoneId zone = terms.timeZone() == null ? programme.zone() : zone(terms.timeZone());
        boolean newCurrency = terms.currency() != null && !terms.currency().equals(programme.currency());
        if (newCurrency) {
            Currencies.requireMoney(terms.currency());
            programmes.moneyRecorded(programme).ifPresent(held -> {
                throw new DomainException(DomainException.Kind.CONFLICT, "currency_in_use", "Programme " + code
                        + " holds " + held + " in " + programme.currency() + ": its currency can no longer change",
                        "currency");
            });
        }
        ProgrammeView before = view(programme);
        programme.amend(terms.name().strip(), terms.pointsExpireAfterDays(), terms.pendingDays(), terms.pointValue(),
                terms.tierWindowDays());
        programme.rezone(zone);
        if (newCurrency) {
            programme.reprice(terms.currency());
        }
        if (terms.maxSaleTotal() != null) {
            programme.limitSaleTotal(saleLimit(terms.maxSaleTotal(), programme.currency()));
        } else if (newCurrency) {
            // A most of the old currency means nothing in the new one (10000 EUR is not 10000 JPY).
            programme.limitSaleTotal(null);
        }
        record(staff, "PROGRAMME_EDITED", code, code, changes(before, view(programme)));
        return view(programme);
    }

    /**
     * Deletes a programme created by mistake, before anyone joined it: its rule sets, tiers, rewards, offers, stores
     * and tills' keys go with it, and its code is free again. The audit trail keeps what was done to it. Only
     * administrators delete, as only they create.
     *
     * @throws DomainException {@code forbidden} (403) for staff of one programme, {@code programme_in_use} (409)
     *                         once it has a member, {@code programme_has_staff} (409) while staff accounts are
     *                         given this programme only (an administrator gives them another first)
     */
    @Transactional
    public void delete(Staff staff, String code) {
        if (staff.programmeScope() != null) {
            throw DomainException.forbidden("forbidden", staff.name() + " manages programme "
                    + staff.programmeScope() + " only and cannot delete programmes");
        }
        Programme programme = programme(staff, code);
        // A programme with members is refused before anything is locked: on Derby, the lock below keeps the tills
        // from reading the programme's row while the members are counted.
        requireNoMembers(programme);
        // Then locked, against every write that refers to it: one at the same moment (an enrolment, a tier) waits
        // for the delete and fails on its foreign key, writing nothing; one committed before is counted (again) or
        // deleted with it.
        if (!programmes.lockAgainstWrites(programme)) {
            throw DomainException.notFound("programme_not_found", "No programme " + code);
        }
        requireNoMembers(programme);
        List<String> staffOfIt = programmes.staffOf(code);
        if (!staffOfIt.isEmpty()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "programme_has_staff", "Staff accounts manage"
                    + " programme " + code + " only: " + String.join(", ", staffOfIt) + ". Give them another"
                    + " programme (or none) before deleting it", null);
        }
        String what = view(programme).toString();
        programmes.delete(programme);
        registry.forget(programme);
        keyCache.forgetProgramme(code);
        record(staff, "PROGRAMME_DELETED", code, code, what);
    }

    private void requireNoMembers(Programme programme) {
        long members = programmes.members(programme);
        if (members > 0) {
            throw new DomainException(DomainException.Kind.CONFLICT, "programme_in_use", "Programme "
                    + programme.code() + " has " + members + (members == 1 ? " member" : " members") + ": a programme"
                    + " whose customers hold cards and points cannot be deleted", null);
        }
    }

    /**
     * A programme's terms as a manager edits them.
     *
     * @param currency     null: unchanged
     * @param timeZone     null: unchanged
     * @param maxSaleTotal the most one sale may come to; null: unchanged, 0: no limit
     */
    public record Terms(String name, int pointsExpireAfterDays, int pendingDays, BigDecimal pointValue,
                        int tierWindowDays, String currency, String timeZone, BigDecimal maxSaleTotal) {
    }

    /**
     * The most one sale may come to as asked: {@code null} (not given) or 0 is no limit.
     *
     * @throws DomainException {@code invalid_amount} (400, field {@code maxSaleTotal}) for more decimals than the
     *                         currency has (a fraction of a yen)
     */
    private static BigDecimal saleLimit(BigDecimal asked, String currency) {
        if (asked == null || asked.signum() == 0) {
            return null;
        }
        int digits = Math.max(0, java.util.Currency.getInstance(currency).getDefaultFractionDigits());
        if (asked.stripTrailingZeros().scale() > digits) {
            throw DomainException.invalid("invalid_amount", "maxSaleTotal", "The most for one sale is an amount of "
                    + currency + ", with " + digits + " decimal(s) at most: " + asked.toPlainString());
        }
        return asked.setScale(2, java.math.RoundingMode.UNNECESSARY);
    }

    /** @throws DomainException {@code unknown_time_zone} (400) for a name that is no time zone */
    private static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (java.time.DateTimeException e) {
            throw DomainException.invalid("unknown_time_zone", "timeZone", name
                    + " is not a time zone (use a name like Europe/Paris)");
        }
    }

    /**
     * Points must become spendable before they expire: a lot pending for as long as it lives, or longer, could
     * never be spent, and the expiry would take it from a member who never saw it available.
     *
     * @throws DomainException {@code invalid_field} {@code pendingDays} (400)
     */
    static void requirePendingBeforeExpiry(int pendingDays, int expireAfterDays) {
        if (pendingDays >= expireAfterDays) {
            throw DomainException.invalid("pendingDays", "Points pending for " + pendingDays + " days would expire"
                    + " (after " + expireAfterDays + " days) before they could be spent: pendingDays must be below"
                    + " pointsExpireAfterDays");
        }
    }

    @Transactional
    public List<ProgrammeView> list(Staff staff) {
        return programmes.findAll().stream()
                .filter(p -> staff.programmeScope() == null || staff.programmeScope().equals(p.code()))
                .map(ProgrammeAdministration::view).toList();
    }

    @Transactional
    public ProgrammeView get(Staff staff, String code) {
        return view(programme(staff, code));
    }

    /**
     * Adds a tier above the programme's top tier. Its code is kept in capitals, as every tier code is.
     *
     * @throws DomainException {@code invalid_field} (400) for a blank name, {@code tier_exists} (409),
     *                         {@code tier_order} (422)
     */
    @Transactional
    public ProgrammeView addTier(Staff staff, String code, String tierCode, String name, long minimumPoints,
                                 String benefits) {
        Programme programme = lockedProgramme(staff, code);
        String tier = tierCode(tierCode);
        programme.addTopTier(tier, tierName(name == null ? tierCode : name), minimumPoints)
                .describeBenefits(benefits);
        record(staff, "TIER_ADDED", code, tier, tier + " from " + minimumPoints + " points");
        return view(programme);
    }

    /**
     * Renames a tier, moves its threshold (kept between the tiers below and above it) and rewrites its benefits;
     * a null name or benefits keeps them.
     *
     * @throws DomainException {@code tier_not_found} (404), {@code invalid_field} (400) for a blank name,
     *                         {@code tier_order} (422)
     */
    @Transactional
    public ProgrammeView editTier(Staff staff, String code, String tierCode, String name, long minimumPoints,
                                  String benefits) {
        Programme programme = lockedProgramme(staff, code);
        Tier tier = tier(programme, tierCode, "tierCode", DomainException.Kind.NOT_FOUND);
        String before = tier.name() + " from " + tier.minimumPoints() + " points"
                + (tier.benefits() == null ? "" : ", " + tier.benefits());
        programme.amendTier(tier.code(), name == null ? tier.name() : tierName(name), minimumPoints);
        if (benefits != null) {
            tier.describeBenefits(benefits);
        }
        String after = tier.name() + " from " + tier.minimumPoints() + " points"
                + (tier.benefits() == null ? "" : ", " + tier.benefits());
        // Saved as it was (the form sent again unchanged): nothing changed, nothing for the audit log to say.
        if (!after.equals(before)) {
            record(staff, "TIER_EDITED", code, tier.code(), "before: " + before + " after: " + after);
        }
        return view(programme);
    }

    /**
     * Changes a reward's name, price, tier, stock and days; redemptions already made keep what they paid.
     *
     * @param stockWas the stock the editor read, or null: when redemptions took some since, a stock the editor left
     *                 as it was keeps what they left, and a stock they changed is refused
     * @throws DomainException {@code reward_not_found} (404), {@code tier_not_found} (422), {@code stock_changed}
     *                         (409)
     */
    @Transactional
    public RewardView editReward(Staff staff, String code, String rewardId, NewReward request, Long stockWas) {
        Programme programme = programme(staff, code);
        // Locked: a redemption takes stock with an update of the row, which then waits instead of being lost.
        Reward reward = rewards.findByCode(programme, rewardId).map(rewards::lock)
                .orElseThrow(() -> DomainException.notFound("reward_not_found", "Programme " + code
                        + " has no reward " + rewardId));
        RewardView before = view(reward);
        Tier tier = request.tier() == null ? null
                : tier(programme, request.tier(), "tier", DomainException.Kind.UNPROCESSABLE);
        Long stock = request.stock();
        if (stockWas != null && !stockWas.equals(reward.stock())) {
            if (!stockWas.equals(stock)) {
                throw DomainException.conflict("stock_changed", "Reward " + rewardId + " had " + stockWas + " left"
                        + " when it was read and has " + (reward.stock() == null ? "no limit" : reward.stock()) + " now"
                        + (reward.stock() != null && reward.stock() < stockWas ? " (redeemed meanwhile)"
                        : " (changed by someone else meanwhile)") + ": set its stock again from that");
            }
            // The editor changed something else: the stock stays what the redemptions made since left.
            stock = reward.stock();
        }
        reward.validBetween(request.validFrom(), request.validUntil());
        reward.amend(request.name().strip(), request.points(), tier, stock);
        RewardView after = view(reward);
        record(staff, "REWARD_EDITED", code, reward.code(), changes(before, after));
        return after;
    }

    /**
     * Adds a reward to the programme's catalogue.
     *
     * @throws DomainException {@code reward_exists} (409), {@code tier_not_found} (422)
     */
    @Transactional
    public RewardView addReward(Staff staff, String code, NewReward request) {
        Programme programme = programme(staff, code);
        // Ids differing in case only are one reward to a cashier typing it, and to a customer reading it.
        java.util.Optional<Reward> same = rewards.findByCode(programme, request.rewardId()).or(() -> rewards
                .catalogue(programme).stream().filter(r -> r.code().equalsIgnoreCase(request.rewardId())).findFirst());
        if (same.isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "reward_exists", "Programme " + code
                    + " already has reward " + same.get().code(), "rewardId");
        }
        java.time.LocalDate today = programme.today(clock.instant());
        if (request.validUntil() != null && request.validUntil().isBefore(today)) {
            throw DomainException.unprocessable("reward_in_the_past", "validUntil", "A reward valid until "
                    + request.validUntil() + " could never be taken: today is " + today + " in " + programme.zone()
                    .getId());
        }
        Tier tier = request.tier() == null ? null
                : tier(programme, request.tier(), "tier", DomainException.Kind.UNPROCESSABLE);
        Reward reward = new Reward(programme, request.rewardId(), request.name().strip(), request.points(), tier,
                request.stock(), clock.instant());
        reward.validBetween(request.validFrom(), request.validUntil());
        rewards.add(reward);
        RewardView added = view(reward);
        record(staff, "REWARD_ADDED", code, request.rewardId(), added.name() + ", " + added.points() + " points"
                + (added.tier() == null ? "" : ", for " + added.tier() + " members and above")
                + (added.stock() == null ? "" : ", stock " + added.stock())
                + (added.validFrom() == null && added.validUntil() == null ? "" : ", valid "
                + (added.validFrom() == null ? "…" : added.validFrom()) + " – "
                + (added.validUntil() == null ? "…" : added.validUntil())));
        return added;
    }

    /** The rewards a till can offer today. */
    @Transactional
    public List<RewardView> rewards(String code) {
        Programme programme = programmes.findByCode(code).orElseThrow(() -> DomainException.notFound(
                "programme_not_found", "No programme " + code));
        java.time.LocalDate today = programme.today(clock.instant());
        return rewards.catalogue(programme).stream().filter(reward -> reward.validOn(today))
                .map(ProgrammeAdministration::view).toList();
    }

    /** The whole catalogue, past and future rewards included, for staff. */
    @Transactional
    public List<RewardView> rewards(Staff staff, String code) {
        return rewards.catalogue(programme(staff, code)).stream().map(ProgrammeAdministration::view).toList();
    }

    /** Issues a key for the tills of one store of the programme; the key is shown once, only its hash is kept. */
    @Transactional
    public IssuedKey issuePosKey(Staff staff, String code, String storeId, String label) {
        // Under the programme's row lock, as every change of its stores and keys (nameStore): two keys of a new
        // store issued at once add it once, the second finding the first's.
        Programme programme = lockedProgramme(staff, code);
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        String key = "pos-" + HexFormat.of().formatHex(secret);
        String store = storeId.strip();
        if (access.store(programme.code(), store).isEmpty()) {
            access.add(new Store(programme, store, store, clock.instant()));
            record(staff, "STORE_ADDED", code, store, "with its first till key");
        }
        access.add(new PosKey(ApiKeys.hash(key), programme, store, label, clock.instant()));
        record(staff, "POS_KEY_ISSUED", code, storeId, label);
        return new IssuedKey(key, code, storeId.strip(), label);
    }

    /** The programme's stores, by name, with how many of their tills' keys work. */
    @Transactional
    public List<StoreView> stores(Staff staff, String code) {
        programme(staff, code);
        java.util.Map<String, Long> working = new java.util.HashMap<>();
        access.posKeys(code).stream().filter(key -> !key.isRevoked())
                .forEach(key -> working.merge(key.storeId(), 1L, Long::sum));
        return access.stores(code).stream().map(store -> new StoreView(store.storeId(), store.name(),
                working.getOrDefault(store.storeId(), 0L))).toList();
    }

    /**
     * Names a store (adds it when its tills have no key yet): customers pick it by this name when they claim
     * missing points.
     *
     * @throws DomainException {@code invalid_field} (400) for a blank name
     */
    @Transactional
    public StoreView nameStore(Staff staff, String code, String storeId, String name) {
        // The programme's row first, always, as a key issued takes it: a rename that wrote the store's row, then
        // read the programme's keys, deadlocked with an addition of the same store holding the programme and
        // waiting to rename it (Derby chose one and it was answered 503, after its 20-second lock wait). Two
        // managers adding one store at the same moment add it once, the second finding the first's (on PostgreSQL a
        // unique key violation would surface only at the commit, no longer told from any other failure).
        Programme programme = lockedProgramme(staff, code);
        String store = storeId.strip();
        String named = name == null ? "" : name.strip();
        if (named.isEmpty() || store.isEmpty()) {
            throw DomainException.invalid(store.isEmpty() ? "storeId" : "name", "A store has a number and a name");
        }
        Store existing = access.store(programme.code(), store).orElse(null);
        if (existing == null) {
            access.add(new Store(programme, store, named, clock.instant()));
            record(staff, "STORE_ADDED", code, store, named);
        } else if (!existing.name().equals(named)) {
            record(staff, "STORE_RENAMED", code, store, "before: " + existing.name() + " after: " + named);
            existing.rename(named);
        }
        return new StoreView(store, named, access.posKeys(code).stream()
                .filter(key -> !key.isRevoked() && key.storeId().equals(store)).count());
    }

    /** The programme's POS keys (never the keys themselves: only their hashes are kept). */
    @Transactional
    public List<PosKeyView> posKeys(Staff staff, String code) {
        programme(staff, code);
        return access.posKeys(code).stream().map(key -> new PosKeyView(key.id(), key.storeId(), key.label(),
                key.issuedAt(), key.revokedAt())).toList();
    }

    /** Revokes a POS key of the programme. */
    @Transactional
    public PosKeyView revokePosKey(Staff staff, String code, long keyId) {
        programme(staff, code);
        org.loyaltyengine.engine.domain.access.PosKey key = access.posKeys(code).stream()
                .filter(candidate -> candidate.id() == keyId).findFirst()
                .orElseThrow(() -> DomainException.notFound("pos_key_not_found", "No POS key " + keyId + " in " + code));
        key.revoke(clock.instant());
        // Refused from the commit on: by this instance at once, by the others when the cluster tells them.
        String hash = key.keyHash();
        transactions.registerInterposedSynchronization(new jakarta.transaction.Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == jakarta.transaction.Status.STATUS_COMMITTED) {
                    keyCache.revoked(hash);
                }
            }
        });
        record(staff, "POS_KEY_REVOKED", code, key.storeId(), "key " + keyId + (key.label() == null ? ""
                : " (" + key.label() + ")"));
        return new PosKeyView(key.id(), key.storeId(), key.label(), key.issuedAt(), key.revokedAt());
    }

    private Programme programme(Staff staff, String code) {
        staff.requireManages(code);
        return programmes.findByCode(code).orElseThrow(() -> DomainException.notFound("programme_not_found",
                "No programme " + code));
    }

    /**
     * The programme, locked until the transaction ends, and its tiers read after the lock: changes to its tiers are
     * made one after the other, each on the tiers the one before left (each tier sits between its neighbours). A
     * programme deleted meanwhile is not found.
     */
    private Programme lockedProgramme(Staff staff, String code) {
        staff.requireManages(code);
        return programmes.findByCodeLocked(code).orElseThrow(() -> DomainException.notFound("programme_not_found",
                "No programme " + code));
    }

    /** A tier code as every tier code is kept: without spaces around, in capitals. */
    private static String tierCode(String code) {
        return code.strip().toUpperCase(java.util.Locale.ROOT);
    }

    private static String tierName(String name) {
        if (name.isBlank()) {
            throw DomainException.invalid("name", "A tier's name has a letter or digit at least");
        }
        return name.strip();
    }

    /**
     * The programme's tier of the code, however it is typed ("silver" is SILVER); a programme made before codes
     * were kept in capitals may hold a code as it was typed.
     */
    private static Tier tier(Programme programme, String code, String field, DomainException.Kind kind) {
        return programme.tier(tierCode(code)).or(() -> programme.tier(code.strip()))
                .orElseThrow(() -> new DomainException(kind, "tier_not_found", "Programme " + programme.code()
                        + " has no tier " + code.strip(), field));
    }

    /**
     * What an edit changed, as the audit trail shows it: "pointsExpireAfterDays: 365 → 730; timeZone: UTC →
     * Europe/Helsinki" (each value as written, lists and all), rather than both versions whole.
     */
    /**
     * A record as an audit line reads it: each field given, by its name ({@code title: Spring bonus; points: 50}),
     * not Java's {@code OfferView[code=SPRING, …]}.
     */
    static String described(Record record) {
        List<String> fields = new java.util.ArrayList<>();
        for (java.lang.reflect.RecordComponent component : record.getClass().getRecordComponents()) {
            try {
                Object value = component.getAccessor().invoke(record);
                if (value != null && !(value instanceof java.util.Collection<?> many && many.isEmpty())) {
                    fields.add(component.getName() + ": " + value);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot read " + component.getName() + " of a record", e);
            }
        }
        return String.join("; ", fields);
    }

    static String changes(Record before, Record after) {
        List<String> changed = new java.util.ArrayList<>();
        for (java.lang.reflect.RecordComponent component : before.getClass().getRecordComponents()) {
            try {
                Object was = component.getAccessor().invoke(before);
                Object is = component.getAccessor().invoke(after);
                if (!java.util.Objects.equals(was, is)) {
                    changed.add(component.getName() + ": " + (was == null ? "none" : was) + " → "
                            + (is == null ? "none" : is));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot read " + component.getName() + " of a view", e);
            }
        }
        return changed.isEmpty() ? "nothing changed" : String.join("; ", changed);
    }

    private void record(Staff staff, String action, String programmeCode, String subject, String detail) {
        audit.record(new AuditEvent(clock.instant(), staff.name(), action, programmeCode, subject, detail));
    }

    static ProgrammeView view(Programme programme) {
        return new ProgrammeView(programme.code(), programme.name(), programme.currency(),
                programme.pointsExpireAfterDays(), programme.pendingDays(),
                programme.pointValue().stripTrailingZeros().toPlainString(), programme.tierWindowDays(),
                programme.zone().getId(), programme.maxSaleTotal() == null ? null
                        : programme.maxSaleTotal().toPlainString(), programme.tiers().stream()
                        .map(tier -> new TierView(tier.code(), tier.name(), tier.rank(), tier.minimumPoints(),
                                tier.benefits()))
                        .toList());
    }

    static RewardView view(Reward reward) {
        return new RewardView(reward.code(), reward.name(), reward.pointsPrice(), reward.tierCode(), reward.stock(),
                reward.validFrom(), reward.validUntil());
    }

    /** A programme to create ({@code POST /admin/programmes}). */
    public record NewProgramme(String code, String name, String currency, int pointsExpireAfterDays,
                               int pendingDays, BigDecimal pointValue, Integer tierWindowDays, String timeZone,
                               String entryTier, BigDecimal maxSaleTotal) {
    }

    /** A programme's terms and tiers. */
    public record ProgrammeView(String code, String name, String currency, int pointsExpireAfterDays,
                                int pendingDays, String pointValue, int tierWindowDays, String timeZone,
                                String maxSaleTotal, List<TierView> tiers) {
    }

    /** A tier and the qualifying points it starts from. */
    public record TierView(String code, String name, int rank, long minimumPoints, String benefits) {
    }

    /** A reward to add. */
    public record NewReward(String rewardId, String name, long points, String tier, Long stock,
                            java.time.LocalDate validFrom, java.time.LocalDate validUntil) {
    }

    /** A reward of the catalogue; {@code stock} null is unlimited. */
    public record RewardView(String rewardId, String name, long points, String tier, Long stock,
                             java.time.LocalDate validFrom, java.time.LocalDate validUntil) {
    }

    /** A POS key as staff see it: its store, label and dates, never the key. */
    /** A store of a programme, as the back office lists it. */
    public record StoreView(String storeId, String name, long workingKeys) {
    }

    public record PosKeyView(long keyId, String storeId, String label, Instant issuedAt, Instant revokedAt) {
    }

    /** A POS key just issued: the only time the key itself is shown. */
    @Schema(name = "IssuedKey", description = "A POS key just issued")
    public record IssuedKey(String key, String programme, String storeId, String label) {
    }
}
