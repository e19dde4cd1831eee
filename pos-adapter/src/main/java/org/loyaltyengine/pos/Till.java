package org.loyaltyengine.pos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;

import org.loyaltyengine.pos.engine.EngineClient;
import org.loyaltyengine.pos.journal.Journal;
import org.loyaltyengine.pos.journal.SentLog;
import org.loyaltyengine.pos.scan.CardReader;
import org.loyaltyengine.pos.scan.ScannedCode;

/**
 * What the till does with the engine: look a card up, record sales, returns and redemptions, and keep selling
 * when the engine cannot be reached. A sale the engine did not answer within the budget goes to the journal,
 * fsync'd before the cashier is told; it is sent again, as it was, when the engine is back. Redemptions are
 * never queued: points cannot be spent without the live balance; but one sent that got no answer, which the
 * engine may have recorded, is sent again as it was and, still unanswered, kept in the journal to be settled
 * ({@link Status#UNKNOWN}). What the engine recorded is kept for a while
 * ({@link SentLog}, 72 hours by default) and sent again after the engine was restored to an earlier moment
 * ({@link #resend}).
 */
public final class Till {

    /** How an operation ended for the cashier. */
    public enum Status {
        /** The engine recorded it. */
        DONE,
        /** The engine was unreachable: the sale is in the journal and will be credited later. */
        QUEUED,
        /** The engine (or the till, for a bad scan) refused it; the message says why. */
        REFUSED,
        /** The engine was unreachable and the operation cannot wait (a lookup, a redemption). */
        UNAVAILABLE,
        /**
         * Points were being spent and no answer came back though the engine may have recorded it: kept in the
         * journal, sent again as it was (a replay if the engine has it) by {@code queue replay} and before the next
         * sale. The cashier must not ring it up again under another receipt. Or a return was sent and no answer came:
         * not journalled; sent again under its return id it is taken back once (the till's prompt does so when it
         * is typed again).
         */
        UNKNOWN
    }

    /** The outcome and what to tell the cashier; the engine's answer when there is one. */
    public record Outcome(Status status, String message, JsonObject answer) {
    }

    /**
     * What a replay of the journal did; {@code recovered}: the sales set aside earlier that the engine took when
     * tried again (their receipt keys), counted in {@code delivered}; {@code triedInVain}: those tried again that
     * stay set aside, the engine failing on them again; {@code unanswered}: those it did not answer. Why it stopped
     * with sales still waiting: {@code heldBack}, the engine refused the till itself, its key ({@link #heldBack});
     * {@code noAnswer}, the engine did not answer; neither, the time given ran out ({@link #outOfTime}).
     */
    public record ReplayReport(int delivered, int refused, int setAside, int stillWaiting, List<String> notes,
                               List<String> recovered, int triedInVain, int unanswered, String heldBack,
                               String noAnswer) {

        /** Whether sales still wait only because the time given ran out: the engine takes them. */
        public boolean outOfTime() {
            return stillWaiting > 0 && heldBack == null && noAnswer == null;
        }
    }

    /** What trying the sales set aside again did ({@link #trySetAside}). */
    private record SetAsideTries(int delivered, int refused, int failedAgain, int unanswered, List<String> recovered,
                                 List<String> notes) {
    }

    /**
     * What sending again what the engine had recorded did: how many it had lost and recorded again, how many it
     * still had (answered as replays), how many it refused now (for a person to look at), and how many were not sent
     * because it could not be reached (sent by the next resend).
     */
    public record ResendReport(int recordedAgain, int alreadyThere, int refused, int notSent, List<String> notes) {
    }

    /**
     * How many replays in a row the engine may fail on a queued sale (500) before it is set aside: the sales queued
     * after it go on, and the till is not offline for good because of one sale the engine cannot take.
     */
    static final int SET_ASIDE_AFTER = 3;

    /**
     * How long a sale set aside is tried again by itself, once the sales queued after it are delivered: a day, for
     * the fault to be mended (a rule set rolled back, say). The first try is {@code restore.retry.seconds} after it
     * was set aside, then twice as long after each, 10 minutes apart at most. Then it is left to a person
     * ({@code queue replay --again}).
     */
    static final Duration SET_ASIDE_TRIED_FOR = Duration.ofHours(24);

    /** The longest wait between two tries of a sale set aside. */
    private static final Duration SET_ASIDE_EVERY_AT_MOST = Duration.ofMinutes(10);

    /**
     * The most tries of a sale set aside: a day of them, 10 minutes apart, and the first ones closer. A sale set aside
     * while the till's clock ran ahead is not tried for as long as the clock was ahead.
     */
    private static final int SET_ASIDE_TRIES_AT_MOST = (int) (SET_ASIDE_TRIED_FOR.toMinutes() / 10) + 8;

    /** The engine's refusal of a sale stamped more than 5 minutes in its future (a till's clock running fast). */
    static final String IN_THE_FUTURE = "occurred_in_future";

    /**
     * The engine's refusals of a sale for one of its offers, nothing recorded: used by another sale meanwhile (409),
     * lapsed or not yet valid (422), not the member's (422). A queued sale refused so is sent again without its
     * offers: the offer is lost, not every point of the purchase.
     */
    static final Set<String> OFFER_REFUSED = Set.of("offer_used", "offer_expired", "offer_not_found");

    private final TillConfig config;
    private final EngineClient engine;
    private final Journal journal;
    private final SentLog sent;
    private final Resend resender;
    private final TillClock clock;
    private final CardReader reader;

    public Till(TillConfig config) {
        this.config = config;
        this.engine = new EngineClient(config.engineUrl(), config.apiKey() == null ? "" : config.apiKey(),
                config.budget());
        this.journal = new Journal(config.journal());
        this.sent = SentLog.besideJournal(config.journal());
        this.resender = new Resend(engine, sent, config.restoreRetry(), config.catchUpTime());
        this.reader = new CardReader(config.cardImagePixels(), config.cardReadTime());
        this.clock = new TillClock(engine, config.journal());
        try {
            sent.forgetBefore(clock.instant().minus(config.keepSent()));
        } catch (IOException e) {
            // Kept a little longer: nothing is lost, and the till sells on.
            System.err.println("Could not drop from " + sent.file() + " what the engine recorded more than "
                    + config.keepSent().toHours() + " hours ago: " + e.getMessage());
        }
        try {
            journal.forgetDelivered(Instant.now().minus(config.keepSent()));
        } catch (IOException e) {
            System.err.println("Could not drop from " + journal.file() + " the sales the engine has had for more than "
                    + config.keepSent().toHours() + " hours: " + e.getMessage());
        }
    }

    public Journal journal() {
        return journal;
    }

    public SentLog sent() {
        return sent;
    }

    /**
     * Reads a card from a scanner's line of text or from an image file: the card among the codes of the picture
     * ({@link ScannedCode#inPicture}), or why none is taken; a picture not read within {@code card.read.ms} is
     * refused, the cashier asked to take it again ({@link CardReader.Reading#scanned}).
     */
    public ScannedCode scan(String cardOrImage) throws IOException {
        Path file = Path.of(cardOrImage);
        if (!cardOrImage.isBlank() && Files.isRegularFile(file)) {
            return reader.reading(file).scanned(file.toString());
        }
        String named = cardOrImage.strip();
        if (!named.startsWith("]") && !named.contains("://") && named.toLowerCase(java.util.Locale.ROOT)
                .matches(".*[/\\\\].*|.*\\.(png|jpe?g|gif|bmp|webp|tiff?)$")) {
            // A picture's name, not a scanner's line: said as a picture not found, not "not a number".
            return new ScannedCode(ScannedCode.Kind.INVALID, named, null, "No picture " + named + " was found (the"
                    + " camera's file is missing or was moved): take it again, or type the card's number");
        }
        return ScannedCode.fromScanner(cardOrImage);
    }

    /**
     * The member of a card. After a restore of the engine, what it lost is sent again first, for half the budget at
     * most; the card is then asked again in what is left of it, so that the cashier never waits longer.
     */
    public Outcome lookup(String cardOrImage) throws IOException {
        ScannedCode card = scan(cardOrImage);
        if (!card.isCard()) {
            return new Outcome(Status.REFUSED, card.reason(), null);
        }
        long began = System.nanoTime();
        try {
            EngineClient.Reply reply = engine.get("pos/cards/" + card.text());
            clock.keep();
            if (!reply.ok()) {
                return new Outcome(Status.REFUSED, reply.aboutTheCall() ? reply.message() : heldBack(reply),
                        reply.json());
            }
            String caughtUp = catchUp(reply, began + engine.budget().toNanos() / 2);
            if (!caughtUp.isEmpty()) {
                reply = askedAgain(card, reply, began);
            }
            JsonObject json = reply.json();
            return new Outcome(Status.DONE, json.getString("displayName", "") + " · " + json.getString("tier", "")
                    + " · " + json.getJsonNumber("availablePoints").longValue() + " points"
                    + (json.getJsonNumber("pendingPoints").longValue() > 0
                    ? " (+" + json.getJsonNumber("pendingPoints").longValue() + " pending)" : "")
                    + offers(json) + caughtUp + clock.warning(), json);
        } catch (EngineClient.Unavailable e) {
            return new Outcome(Status.UNAVAILABLE, noAnswer(e) + ": the card cannot be looked up now ("
                    + e.getMessage() + "); sales still earn points", null);
        }
    }

    /**
     * What the card's member can take for points now, asked when the customer wants a reward: the programme's
     * rewards of the day, numbered as the till's {@code reward N} takes them, each said whether this member can take
     * it and, when not, why (points short, the tier it is kept for, none left). Offline it cannot be told.
     */
    public Outcome rewards(String cardOrImage) throws IOException {
        ScannedCode card = scan(cardOrImage);
        if (!card.isCard()) {
            return new Outcome(Status.REFUSED, card.reason(), null);
        }
        // The sales queued in an outage first (for half the budget at most), as before spending points: their points
        // may be what buys the reward the customer asks for.
        long began = System.nanoTime();
        if (!journal.waiting().isEmpty()) {
            replay(false, engine.budget(), 0, began + engine.budget().toNanos() / 2);
        }
        try {
            EngineClient.Reply reply = engine.get("pos/cards/" + card.text() + "/rewards",
                    engine.budget().minusNanos(System.nanoTime() - began));
            clock.keep();
            if (!reply.ok()) {
                return new Outcome(reply.aboutTheCall() ? Status.REFUSED : Status.UNAVAILABLE,
                        reply.noSuchCall() ? "the engine has no call listing a card's rewards (a version older than"
                                + " this till's, or engine.url not its root): " + heldBack(reply) : reply.aboutTheCall() ? reply.message() : heldBack(reply),
                        reply.json());
            }
            JsonObject json = reply.json();
            long available = json.getJsonNumber("availablePoints").longValue();
            List<JsonObject> listed = json.getJsonArray("rewards").getValuesAs(JsonObject.class);
            List<String> shown = new ArrayList<>();
            for (int i = 0; i < listed.size(); i++) {
                JsonObject reward = listed.get(i);
                long price = reward.getJsonNumber("points").longValue();
                // The engine says why not (an older one does not): none left, the tier first (no points bring it),
                // then the points, then a redemption rule.
                String said = reward.containsKey("why") && !reward.isNull("why") ? reward.getString("why") : null;
                boolean higherTier = "tier".equals(said) || said == null && reward.containsKey("tier")
                        && !reward.isNull("tier") && price <= available;
                String why = reward.getBoolean("available", false) ? "can take it"
                        : !reward.getBoolean("inStock", true) ? "none left"
                        : higherTier ? "for " + reward.getString("tier", "other") + " members and above"
                        : said != null && said.startsWith("rule: ") ? "not now: " + said.substring(6)
                        : (price - available) + " points short";
                shown.add((i + 1) + ") " + reward.getString("name", "") + ", " + price + " points ("
                        + reward.getString("rewardId", "?") + "): " + why);
            }
            long takeable = listed.stream().filter(reward -> reward.getBoolean("available", false)).count();
            // Whose card: the till holds one card at a time, and the cashier checks it is the customer's.
            String holder = json.containsKey("displayName") ? json.getString("displayName", "") + " · "
                    + json.getString("tier", "") + " · " : "";
            return new Outcome(Status.DONE, holder + available + " points; " + (listed.isEmpty() ? "no reward today"
                    : takeable + " of " + listed.size() + " reward(s) can be taken now: " + String.join("; ", shown))
                    + (journal.waiting().isEmpty() ? "" : " (" + journal.waiting().size() + " call(s) still queued at"
                    + " this till, sales or points spent, are not counted)") + clock.warning(), json);
        } catch (EngineClient.Unavailable e) {
            return new Outcome(Status.UNAVAILABLE, noAnswer(e) + ": the rewards cannot be told now ("
                    + e.getMessage() + "); points cannot be spent until it answers", null);
        }
    }

    /**
     * The card asked again in what is left of the cashier's budget: the points the engine recorded again are the
     * member's now. Without an answer in time, the first one stands.
     */
    private EngineClient.Reply askedAgain(ScannedCode card, EngineClient.Reply first, long began) {
        try {
            EngineClient.Reply again = engine.get("pos/cards/" + card.text(),
                    engine.budget().minusNanos(System.nanoTime() - began));
            return again.ok() ? again : first;
        } catch (EngineClient.Unavailable e) {
            return first;
        }
    }

    /**
     * Records a sale, or queues it when the engine is unreachable.
     *
     * @param lines the basket as the contract's lines
     */
    public Outcome sale(String cardOrImage, String receiptId, JsonArray lines, long redeemPoints) throws IOException {
        return sale(cardOrImage, receiptId, lines, redeemPoints, List.of(), null);
    }

    /**
     * Records a sale, or queues it when the engine is unreachable. The sale is stamped {@code occurredAt} when given;
     * else with the time this receipt was first rung up at this till (the engine recorded it, or the journal holds
     * it), so that sending it again is a replay; else with the engine's time as the till knows it ({@link TillClock}).
     *
     * @param lines    the basket as the contract's lines
     * @param offerIds the member's personal offers the cashier applies, in the order given
     */
    public Outcome sale(String cardOrImage, String receiptId, JsonArray lines, long redeemPoints,
                        List<String> offerIds, OffsetDateTime occurredAt) throws IOException {
        ScannedCode card = scan(cardOrImage);
        String refused = !card.isCard() ? card.reason() : linesRefusal(lines);
        if (refused != null) {
            return new Outcome(Status.REFUSED, refused + (card.isCard() ? "; nothing was sent" : ""), null);
        }
        requireStore();
        long began = System.nanoTime();
        String rungUp = occurredAt != null ? stamp(occurredAt) : firstRungUp(receiptId);
        JsonObject sale = saleBody(card, receiptId, rungUp != null ? rungUp : stamp(clock.now()), lines, redeemPoints,
                offerIds);
        String setAside = "";
        ReplayReport replayed = null;
        if (!journal.waiting().isEmpty()) {
            // Sales go to the engine in the order they were rung up: the queue first, for half the budget at most;
            // what is left of it goes before the next calls (or with queue replay), and this sale waits behind it.
            replayed = replay(false, engine.budget(), 0, began + engine.budget().toNanos() / 2);
            setAside = (replayed.setAside() == 0 ? "" : " · " + replayed.setAside() + " queued sale(s) set aside, the"
                    + " engine fails on them: see queue status") + refusedAtReplay(replayed) + settledAtReplay(replayed);
        }
        Duration left = engine.budget().minusNanos(System.nanoTime() - began);
        if (journal.waiting().isEmpty() && !setAsideDue(Instant.now()).isEmpty()
                && left.compareTo(engine.budget().dividedBy(2)) >= 0) {
            // One sale set aside tried again, within half the budget; the sale gets what is left of it.
            SetAsideTries tried = trySetAside(1, engine.budget().dividedBy(2),
                    System.nanoTime() + engine.budget().toNanos() / 2);
            left = engine.budget().minusNanos(System.nanoTime() - began);
            setAside += tried.recovered().isEmpty() ? ""
                    : " · credited at last, set aside before: " + String.join(", ", tried.recovered());
        }
        int waiting = journal.waiting().size();
        if (waiting > 0) {
            return told(behind(receiptId, sale, redeemPoints, waiting, replayed), setAside);
        }
        try {
            EngineClient.Reply reply = engine.post("pos/transactions", sale, left);
            clock.keep();
            if (IN_THE_FUTURE.equals(reply.error()) && occurredAt == null && rungUp == null) {
                // Stamped by a clock running fast before the till knew it (nothing recorded): the refusal's Date told
                // the engine's time, and the sale goes again at it, in what is left of the budget.
                sale = Json.createObjectBuilder(sale).add("occurredAt", stamp(clock.now())).build();
                reply = engine.post("pos/transactions", sale, engine.budget().minusNanos(System.nanoTime() - began));
                clock.keep();
            }
            if (!reply.ok() && !reply.aboutTheCall()) {
                return told(heldBack(receiptId, sale, redeemPoints, heldBack(reply)), setAside);
            }
            if (!reply.ok()) {
                return new Outcome(Status.REFUSED, reply.message() + setAside + clock.warning(), reply.json());
            }
            return told(recorded(sale, reply, began + engine.budget().toNanos()), setAside);
        } catch (EngineClient.Unavailable e) {
            if (redeemPoints > 0 && e.mayHaveReached()) {
                return told(settle("pos/transactions", receiptId, sale, e), setAside);
            }
            if (e.mayHaveReached()) {
                // Not offline: slow, and it may have the sale. Sent again as it was, it is credited once.
                return told(kept(receiptId, sale, "Loyalty did not answer in time: the points of receipt " + receiptId
                        + " will be credited, once, when it answers (" + e.getMessage() + ")", true), setAside);
            }
            return told(offline(noAnswer(e), receiptId, sale, redeemPoints, e.getMessage()), setAside);
        }
    }

    /**
     * What the cashier is told of a sale the engine answered 201 (recorded) or 200 (a replay: recorded before); a
     * restore the answer tells of is caught up with until {@code until} ({@link System#nanoTime()}).
     */
    private Outcome recorded(JsonObject sale, EngineClient.Reply reply, long until) {
        JsonObject json = reply.json();
        remember("pos/transactions", sale, json.getString("transactionId", null));
        long spent = sale.getJsonNumber("redeemPoints").longValue();
        return new Outcome(Status.DONE, (reply.status() == 200 ? "already recorded: " : "")
                + json.getJsonNumber("pointsEarned").longValue() + " points earned"
                + (spent > 0 ? ", " + spent + " spent (" + json.getString("redemptionValue", "?") + " "
                + config.currency() + ")" : "") + "; balance " + json.getJsonNumber("availablePoints").longValue()
                + " · " + json.getString("tier", "") + catchUp(reply, until) + clock.warning(), json);
    }

    /**
     * The time receipt {@code receiptId} was first rung up at this till, as sent then: what the engine recorded of
     * it, or the journal holds of it (waiting, delivered or set aside); null when neither knows it.
     */
    private String firstRungUp(String receiptId) throws IOException {
        String recorded = sent.occurredAt(config.store(), receiptId);
        if (recorded != null) {
            return recorded;
        }
        String key = config.store() + "/" + receiptId;
        // One the engine refused was recorded nowhere: rung up again, it takes the time of now.
        return journal.entries().stream().filter(entry -> entry.sale() && entry.receiptKey().equals(key)
                        && entry.state() != Journal.State.REFUSED)
                .map(entry -> entry.body().getString("occurredAt", null)).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
    }

    /**
     * A call spending points got no answer though the engine may have recorded it: sent again as it was (the same
     * receipt, body and time, which the engine answers as a replay if it has it) for {@code settle.ms} more
     * ({@link TillConfig#settleTime}, 4 budgets by default); still no answer, it is kept in the journal to be settled
     * by {@code queue replay}, and the cashier told that whether the points were spent is not known.
     */
    private Outcome settle(String path, String receiptId, JsonObject body, EngineClient.Unavailable first)
            throws IOException {
        try {
            EngineClient.Reply reply = engine.post(path, body, config.settleTime());
            clock.keep();
            if (!reply.ok()) {
                // A verdict on the call (the engine refused it: nothing spent), or the till's own refusal (its key,
                // its address), which says nothing of the first try: then whether the points were spent is not known.
                return new Outcome(reply.aboutTheCall() ? Status.REFUSED : Status.UNKNOWN, reply.aboutTheCall()
                        ? reply.message() : heldBack(reply) + ": whether the points were spent is NOT KNOWN; do not"
                        + " ring it up again under another receipt", reply.json());
            }
            // The cashier waited long enough: a restore the answer tells of is caught up with at the next calls.
            long noMore = System.nanoTime();
            return path.equals(Journal.SALES) ? recorded(body, reply, noMore) : redeemed(body, reply, noMore);
        } catch (EngineClient.Unavailable e) {
            try {
                long seq = journal.append(config.store() + "/" + receiptId, body, path);
                journal.mark(seq, Journal.State.QUEUED, "sent, no answer (" + e.getMessage() + "): whether its"
                        + " points were spent is not known; queue replay sends it again as it was");
            } catch (IOException notKept) {
                return new Outcome(Status.UNKNOWN, "Loyalty did not answer (" + first.getMessage() + "): whether the"
                        + " points of receipt " + receiptId + " were spent is NOT KNOWN, and the till could not keep it"
                        + " to send again: it cannot write " + Journal.cannotWrite(journal.file(), notKept) + ". Do not"
                        + " ring it up again under another receipt; tell the manager (journal, LOYALTY_POS_JOURNAL)",
                        body);
            }
            return new Outcome(Status.UNKNOWN, "Loyalty did not answer (" + first.getMessage() + "): whether the points"
                    + " of receipt " + receiptId + " were spent is NOT KNOWN. Do not ring it up again under another"
                    + " receipt. It is kept in the journal and sent again as it was (queue replay, or before the"
                    + " next sale): the engine records it once", body);
        }
    }

    private static Outcome told(Outcome outcome, String more) {
        return more.isEmpty() ? outcome : new Outcome(outcome.status(), outcome.message() + more, outcome.answer());
    }

    /** A sale the engine could not be reached for: queued; one spending points is refused, none spent. */
    private Outcome offline(String lead, String receiptId, JsonObject sale, long redeemPoints, String why)
            throws IOException {
        if (redeemPoints > 0) {
            // Not the engine's refusal: it could not be asked (exit code 3, as every call the engine did not answer).
            return new Outcome(Status.UNAVAILABLE, lead + " (" + why + "): points cannot be spent now, none"
                    + " were; ring the sale up without using points and it will still earn", null);
        }
        return kept(receiptId, sale, lead + ": the points of receipt " + receiptId + " will be credited when"
                + (lead.equals("Loyalty offline") ? " the connection is back" : " it takes the sale") + " (" + why
                + ")");
    }

    /**
     * A sale rung up while earlier ones still wait in the journal: it waits behind them, never goes ahead (a sale
     * spending points is refused, none spent: their points may be the ones spent). Told why they wait: the engine
     * out of reach, its refusal of the till's key, or only the time (the next calls send them).
     */
    private Outcome behind(String receiptId, JsonObject sale, long redeemPoints, int waiting, ReplayReport replayed)
            throws IOException {
        if (replayed != null && replayed.heldBack() != null) {
            return heldBack(receiptId, sale, redeemPoints, replayed.heldBack());
        }
        if (replayed != null && replayed.noAnswer() != null) {
            return offline("Loyalty offline", receiptId, sale, redeemPoints, waiting + " earlier sale(s) waiting, " + replayed.noAnswer());
        }
        if (redeemPoints > 0) {
            return new Outcome(Status.REFUSED, stillBeingSent(waiting) + ": none were spent; pay with points again"
                    + " in a moment, or ring the sale up without them and it will still earn", null);
        }
        return kept(receiptId, sale, "The points of receipt " + receiptId + " will be credited shortly: " + waiting
                + " earlier sale(s) still being sent to the engine go first");
    }

    /** Why points cannot be spent while {@code waiting} sales of this till are still being sent. */
    private static String stillBeingSent(int waiting) {
        return waiting + " earlier sale(s) of this till are still being sent to the engine, and points are spent"
                + " after them";
    }

    /**
     * A sale the engine would not take from the till ({@link #heldBack}: its key): queued, credited once the engine
     * takes the till again; one spending points is refused, none spent.
     */
    private Outcome heldBack(String receiptId, JsonObject sale, long redeemPoints, String why) throws IOException {
        if (redeemPoints > 0) {
            return new Outcome(Status.REFUSED, "Not sent: " + why + ". Points cannot be spent now, none were; ring the"
                    + " sale up without using points and it will be credited once the engine takes the till", null);
        }
        return kept(receiptId, sale, "Not sent: " + why + ". The points of receipt " + receiptId + " are kept in the"
                + " journal and credited once the engine takes the till again: tell the manager");
    }

    /**
     * Queues a sale in the journal, forced to disk, before the cashier is told {@code message}. When the journal
     * cannot be written (its folder not the till's to write, a disk full), the sale is refused: the cashier must
     * know its points will not be credited, not be shown an error naming a file and no more.
     */
    private Outcome kept(String receiptId, JsonObject sale, String message) {
        return kept(receiptId, sale, message, false);
    }

    /**
     * The same for a sale that may have reached the engine (sent, no answer): if the journal cannot take it, the
     * cashier is told the engine may have it, and not to ring it up again under another receipt (it would be
     * credited twice), rather than that its points will not be credited.
     */
    private Outcome kept(String receiptId, JsonObject sale, String message, boolean mayHaveReached) {
        try {
            journal.append(config.store() + "/" + receiptId, sale);
        } catch (IOException e) {
            if (mayHaveReached) {
                return new Outcome(Status.UNKNOWN, "NOT kept by the till, and whether the engine recorded receipt "
                        + receiptId + " is NOT KNOWN (it did not answer): do not ring it up again under another"
                        + " receipt; the till cannot write " + Journal.cannotWrite(journal.file(), e) + " (tell the"
                        + " manager: journal, LOYALTY_POS_JOURNAL)", sale);
            }
            return new Outcome(Status.REFUSED, notSaved(receiptId, e), sale);
        }
        return new Outcome(Status.QUEUED, message + clock.warning(), sale);
    }

    /** What the cashier is told of a sale the journal could not take. */
    private String notSaved(String receiptId, IOException e) {
        return "NOT saved: the points of receipt " + receiptId + " will not be credited; the till cannot write "
                + Journal.cannotWrite(journal.file(), e) + " (tell the manager: journal, LOYALTY_POS_JOURNAL)";
    }

    /**
     * How the cashier is told that the engine gave no answer: offline when it could not be reached, late when it was
     * and did not answer in time (it may yet do what was asked), failing when it answered with its own error.
     */
    static String noAnswer(EngineClient.Unavailable e) {
        return e.mayHaveReached() ? "Loyalty did not answer in time" : e.failedByEngine() ? "Loyalty failed on this"
                + " call" : "Loyalty offline";
    }

    /**
     * What to say of a refusal of the till itself, not of a call ({@link EngineClient.Reply#aboutTheCall}): its key
     * (a backup older than the key, a key rotated, another store's), where it asked (no such call: the address called
     * said, for engine.url to be set right), or how it asked (too many calls).
     */
    static String heldBack(EngineClient.Reply reply) {
        String said = reply.status() + " " + reply.error() + ": " + reply.message();
        if (reply.noSuchCall()) {
            return "the engine has no such call as " + (reply.called() == null ? "the till's" : reply.called()) + " ("
                    + said + "): check engine.url (LOYALTY_POS_ENGINE_URL), the engine's root, such as"
                    + " http://loyalty.store.lan:8080";
        }
        return reply.refusesTheKey() ? "the engine refused this till's key (" + said + "); set api.key right"
                : "the engine would not take the till's calls now (" + said + ")";
    }

    /**
     * The sale of one of this till's receipts as the engine recorded it, from what the till keeps of the engine's
     * answers ({@code sent.keep.hours}): its transaction id and body; empty when this till recorded none (another
     * till's sale, or one older than it keeps).
     */
    public java.util.Optional<SentLog.Sent> saleOfReceipt(String receiptId) throws IOException {
        return recordedSale(underReceipt(receiptId));
    }

    /** Whether a call the till recorded was made under this receipt of its store. */
    private java.util.function.Predicate<SentLog.Sent> underReceipt(String receiptId) {
        return call -> receiptId.equals(call.body().getString("receiptId", null))
                && config.store().equals(call.body().getString("storeId", null));
    }

    /** The first sale this till recorded (its sent log) that the test takes. */
    private java.util.Optional<SentLog.Sent> recordedSale(java.util.function.Predicate<SentLog.Sent> test)
            throws IOException {
        return sent.since(Instant.EPOCH).stream()
                .filter(call -> call.path().equals(Journal.SALES) && call.transactionId() != null && test.test(call))
                .findFirst();
    }

    /**
     * Takes back the points of goods returned, the sale named by one of this till's receipts ({@link #saleOfReceipt}):
     * the cashier has the receipt in hand, not the engine's transaction id.
     */
    public Outcome returnOfReceipt(String receiptId, String returnId, JsonArray lines) throws IOException {
        requireStore();
        java.util.Optional<SentLog.Sent> sale = saleOfReceipt(receiptId);
        if (sale.isEmpty() && queued(receiptId)) {
            // Its sale still waits in the journal: sent first (within the budget), as before a sale or a redemption,
            // so that a till that only takes returns (a service desk) is not stuck behind it.
            replay(false, engine.budget(), 0, System.nanoTime() + engine.budget().toNanos() / 2);
            sale = saleOfReceipt(receiptId);
        }
        if (sale.isEmpty()) {
            boolean queued = queued(receiptId);
            return new Outcome(queued ? Status.UNAVAILABLE : Status.REFUSED, queued ? "Receipt " + receiptId
                    + " is still queued for the engine, which did not take it now: its return can be taken once the"
                    + " sale is sent (queue replay)"
                    : "No sale of receipt " + receiptId + " was recorded at this till (in the last "
                    + config.keepSent().toHours() + " hours): give the transaction id printed on the receipt"
                    + " (return t-… SKU QUANTITY at the till's prompt, --transaction t-… on the command line)", null);
        }
        return takeBack(sale.get().transactionId(), returnId, lines, sale.get());
    }

    private boolean queued(String receiptId) throws IOException {
        return journal.waiting().stream().anyMatch(entry -> entry.receiptKey().equals(config.store() + "/" + receiptId));
    }

    /** Takes back the points of returned lines ({@code [{"sku","quantity"}]}). */
    public Outcome returnGoods(String transactionId, String returnId, JsonArray lines) throws IOException {
        return takeBack(transactionId, returnId, lines, null);
    }

    /** {@link #returnGoods}; {@code sale} as this till recorded it when known, else looked up once taken back. */
    private Outcome takeBack(String transactionId, String returnId, JsonArray lines, SentLog.Sent sale)
            throws IOException {
        // The id printed on the receipt, as typed: one it cannot be (blank, or with characters that would make it
        // another address) is refused here, not sent to be answered "no such call: check engine.url".
        if (transactionId == null || !transactionId.matches("[A-Za-z0-9._~-]+")) {
            return new Outcome(Status.REFUSED, "No transaction " + (transactionId == null ? "" : "\"" + transactionId
                    + "\"") + ": give the transaction id printed on the receipt (t-…)", null);
        }
        JsonObject body = Json.createObjectBuilder().add("returnId", returnId).add("terminalId", config.terminal())
                .add("lines", lines).build();
        long began = System.nanoTime();
        try {
            EngineClient.Reply reply = engine.post("pos/transactions/" + transactionId + "/returns", body);
            clock.keep();
            if (!reply.ok()) {
                return new Outcome(Status.REFUSED, reply.aboutTheCall() ? reply.message() : heldBack(reply),
                        reply.json());
            }
            remember("pos/transactions/" + transactionId + "/returns", body, null);
            return new Outcome(Status.DONE, (reply.status() == 200 ? "already recorded: " : "")
                    + reply.json().getJsonNumber("pointsReversed").longValue()
                    + " points taken back; balance " + reply.json().getJsonNumber("availablePoints").longValue()
                    + paidWithPoints(sale != null ? sale : recordedSale(transactionId))
                    + catchUp(reply, began + engine.budget().toNanos()),
                    reply.json());
        } catch (EngineClient.Unavailable e) {
            if (e.mayHaveReached()) {
                // Sent, unanswered: the engine may have taken the points back. Sent again under the same return id
                // it answers what it did, once; under another it would take them back a second time.
                return new Outcome(Status.UNKNOWN, noAnswer(e) + ": whether return " + returnId + " was recorded is"
                        + " NOT KNOWN (" + e.getMessage() + "); send it again under the same return id " + returnId
                        + ", never another: the engine takes its points back once", null);
            }
            return new Outcome(Status.UNAVAILABLE, noAnswer(e) + ": the return's points cannot be taken back now ("
                    + e.getMessage() + "); try again later under the same return id " + returnId, null);
        }
    }

    /**
     * Spends points on a reward or for their value: only with the engine, never queued, and after the sales queued
     * before it (for half the budget at most): their points may be the ones spent.
     */
    public Outcome redeem(String cardOrImage, String receiptId, String rewardId, Long points) throws IOException {
        ScannedCode card = scan(cardOrImage);
        if (!card.isCard()) {
            return new Outcome(Status.REFUSED, card.reason(), null);
        }
        requireStore();
        JsonObjectBuilder body = Json.createObjectBuilder().add("cardNumber", card.text())
                .add("storeId", config.store()).add("terminalId", config.terminal()).add("receiptId", receiptId);
        if (rewardId != null) {
            body.add("rewardId", rewardId);
        } else {
            body.add("points", points);
        }
        JsonObject redemption = body.build();
        long began = System.nanoTime();
        String settled = "";
        if (!journal.waiting().isEmpty()) {
            ReplayReport replayed = replay(false, engine.budget(), 0, began + engine.budget().toNanos() / 2);
            int waiting = journal.waiting().size();
            if (waiting > 0) {
                return notSpent(replayed, waiting);
            }
            settled = settledAtReplay(replayed) + refusedAtReplay(replayed);
        }
        try {
            EngineClient.Reply reply = engine.post("pos/redemptions", redemption,
                    engine.budget().minusNanos(System.nanoTime() - began));
            clock.keep();
            if (!reply.ok()) {
                return told(new Outcome(Status.REFUSED, reply.aboutTheCall() ? reply.message() : heldBack(reply)
                        + ": none were spent", reply.json()), settled);
            }
            return told(redeemed(redemption, reply, began + engine.budget().toNanos()), settled);
        } catch (EngineClient.Unavailable e) {
            if (e.mayHaveReached()) {
                return settle("pos/redemptions", receiptId, redemption, e);
            }
            return new Outcome(Status.UNAVAILABLE, noAnswer(e) + ": points cannot be spent now, none were ("
                    + e.getMessage() + ")", null);
        }
    }

    /**
     * Cancels a redemption of this store (the customer changed their mind, the reward could not be handed over):
     * its points come back and its reward goes back to the stock. Named by its id ({@code d-…}, in the answer to
     * the redemption) or by the receipt the points were spent under at the store: the id this till kept
     * ({@link #redemptionOfReceipt}), else the engine finds it by the receipt (another till's). Only with the engine,
     * never queued; asked twice, nothing is given back twice, and the cashier is told there is nothing to take back.
     */
    public Outcome cancelRedemption(String redemptionId, String receiptId, String reason) throws IOException {
        requireStore();
        String named = redemptionId != null ? redemptionId : receiptId;
        if (named == null || !named.matches("[A-Za-z0-9._~-]+")) {
            return new Outcome(Status.REFUSED, "No redemption " + (named == null ? "" : "\"" + named + "\"")
                    + ": give the receipt the points were spent under, or the redemption's id (d-…)", null);
        }
        String path;
        if (redemptionId != null) {
            path = "pos/redemptions/" + redemptionId + "/cancel";
        } else {
            // The id this till kept, else the receipt: any till of the store may cancel what another recorded.
            String kept = redemptionOfReceipt(receiptId).map(SentLog.Sent::transactionId).orElse(null);
            path = kept != null ? "pos/redemptions/" + kept + "/cancel"
                    : "pos/redemptions/receipts/" + receiptId + "/cancel";
        }
        JsonObjectBuilder body = Json.createObjectBuilder().add("terminalId", config.terminal());
        if (reason != null && !reason.isBlank()) {
            body.add("reason", reason.strip());
        }
        JsonObject cancel = body.build();
        long began = System.nanoTime();
        try {
            EngineClient.Reply reply = engine.post(path, cancel);
            clock.keep();
            if (!reply.ok()) {
                return new Outcome(Status.REFUSED, (reply.aboutTheCall() ? reply.message() : heldBack(reply))
                        + ": no points given back; do not take the reward (or the money) back", reply.json());
            }
            JsonObject answer = reply.json();
            // Kept under the redemption's id: sent again after a restore, it follows the redemption there.
            remember("pos/redemptions/" + answer.getString("redemptionId") + "/cancel", cancel, null);
            boolean forReward = answer.containsKey("reward") && !answer.isNull("reward");
            String what = forReward ? answer.getString("reward") + " cancelled: " : "";
            if (reply.status() == 200) {
                return new Outcome(Status.DONE, "already cancelled: " + what + answer.getJsonNumber("pointsReturned")
                        .longValue() + " points were given back at " + answer.getString("cancelledAt", "?")
                        + "; nothing to give or take back now", answer);
            }
            // Points spent for their value: the customer had that value, which the till takes back.
            String takeBack = forReward ? " · take the reward back" : answer.containsKey("redemptionValue")
                    ? " · the points were worth " + answer.getString("redemptionValue")
                    + (config.currency() == null ? "" : " " + config.currency()) + ": take that back from the customer"
                    : "";
            // Points of a lot whose date passed since the redemption come back expired: the balance says so.
            long expired = answer.containsKey("pointsExpiredMeanwhile")
                    ? answer.getJsonNumber("pointsExpiredMeanwhile").longValue() : 0;
            return new Outcome(Status.DONE, what + answer.getJsonNumber("pointsReturned").longValue()
                    + " points given back" + (expired > 0 ? " (" + expired + " of them expired meanwhile)" : "")
                    + "; balance " + answer.getJsonNumber("availablePoints").longValue() + takeBack
                    + catchUp(reply, began + engine.budget().toNanos()), answer);
        } catch (EngineClient.Unavailable e) {
            return new Outcome(e.mayHaveReached() ? Status.UNKNOWN : Status.UNAVAILABLE, noAnswer(e)
                    + (e.mayHaveReached() ? ": whether the points were given back is NOT KNOWN; cancel again when it"
                    + " answers (never given back twice), then take the reward (or the money) back"
                    : ": the points cannot be given back now; do not take the reward (or the money) back yet, try"
                    + " again when it answers") + " (" + e.getMessage() + ")", null);
        }
    }

    /** The redemption this till recorded under one of its receipts (its sent log), with the id the engine gave it. */
    public java.util.Optional<SentLog.Sent> redemptionOfReceipt(String receiptId) throws IOException {
        return sent.since(Instant.EPOCH).stream()
                .filter(call -> call.path().equals("pos/redemptions"))
                .filter(underReceipt(receiptId))
                .findFirst();
    }

    /**
     * The id the engine gave what it recorded, kept in the sent log: a sale's transaction id, a redemption's id
     * (a cancellation names it, and is sent to its new id when a restore made the engine record it again).
     */
    private static String recordedId(JsonObject answer) {
        String id = answer.getString("transactionId", null);
        return id != null ? id : answer.getString("redemptionId", null);
    }

    /**
     * What a sale of the basket would earn and spend, asked before it is paid (the customer wants to know whether to
     * pay with points): nothing is recorded, nothing queued; offline it cannot be told.
     */
    public Outcome quote(String cardOrImage, JsonArray lines, long redeemPoints, List<String> offerIds)
            throws IOException {
        ScannedCode card = scan(cardOrImage);
        String refused = !card.isCard() ? card.reason() : linesRefusal(lines);
        if (refused != null) {
            return new Outcome(Status.REFUSED, refused, null);
        }
        requireStore();
        JsonObject sale = saleBody(card, "QUOTE-" + config.terminal() + "-" + System.currentTimeMillis(),
                stamp(clock.now()), lines, redeemPoints, offerIds);
        try {
            EngineClient.Reply reply = engine.post("pos/transactions/quote", sale);
            clock.keep();
            if (!reply.ok() && !reply.aboutTheCall()) {
                return new Outcome(Status.UNAVAILABLE, "Loyalty cannot tell now: " + heldBack(reply), reply.json());
            }
            if (!reply.ok()) {
                return new Outcome(Status.REFUSED, reply.message(), reply.json());
            }
            JsonObject json = reply.json();
            long spent = json.getJsonNumber("pointsRedeemed") == null ? 0
                    : json.getJsonNumber("pointsRedeemed").longValue();
            return new Outcome(Status.DONE, "would earn " + json.getJsonNumber("pointsEarned").longValue()
                    + " points" + (spent > 0 ? ", spend " + spent + " (" + json.getString("redemptionValue", "")
                    + " " + config.currency() + ")" : "") + "; balance after " + json.getJsonNumber("availablePoints")
                    .longValue() + " · " + json.getString("tier", "") + " · nothing recorded"
                    + (journal.waiting().isEmpty() ? "" : " (" + journal.waiting().size() + " sale(s) still queued at"
                    + " this till are not counted)") + clock.warning(), json);
        } catch (EngineClient.Unavailable e) {
            return new Outcome(Status.UNAVAILABLE, noAnswer(e) + ": what the sale earns cannot be told now; the sale"
                    + " itself still earns its points (" + e.getMessage() + ")", null);
        }
    }

    /**
     * What the cashier must know of a sale paid in part with points, when this till recorded it: the engine gives
     * no points back for returned goods, the refund of that part is the store's to make.
     */
    /** The sale of a transaction as this till recorded it; null when it did not, or its log cannot be read now. */
    private SentLog.Sent recordedSale(String transactionId) {
        try {
            return recordedSale(call -> transactionId.equals(call.transactionId())).orElse(null);
        } catch (IOException e) {
            return null; // the return is recorded: only the note on points paid is left out
        }
    }

    private static String paidWithPoints(SentLog.Sent sale) {
        long points = sale == null || sale.body().getJsonNumber("redeemPoints") == null ? 0
                : sale.body().getJsonNumber("redeemPoints").longValue();
        return points <= 0 ? "" : " · the sale was paid with " + points + " points as well: they are not given back by"
                + " the return; refund their part as the store's policy says";
    }

    /** A sale as the contract's body: this till's store, terminal and currency. */
    private JsonObject saleBody(ScannedCode card, String receiptId, String occurredAt, JsonArray lines,
                                long redeemPoints, List<String> offerIds) {
        JsonArrayBuilder offers = Json.createArrayBuilder();
        offerIds.forEach(offers::add);
        return Json.createObjectBuilder()
                .add("cardNumber", card.text())
                .add("storeId", config.store())
                .add("terminalId", config.terminal())
                .add("receiptId", receiptId)
                .add("occurredAt", occurredAt)
                .add("currency", config.currency())
                .add("lines", lines)
                .add("redeemPoints", redeemPoints)
                .add("offerIds", offers).build();
    }

    /** Why the basket may not be sold as it is ({@link #lineRefusal} of its first line that may not); null if it may. */
    private String linesRefusal(JsonArray lines) {
        for (int i = 0; i < lines.size(); i++) {
            String tooMuch = lineRefusal(lines.getJsonObject(i), i + 1);
            if (tooMuch != null) {
                return tooMuch;
            }
        }
        return null;
    }

    /** The till's currency, whose decimals a typed price may have. */
    public java.util.Currency currency() {
        return java.util.Currency.getInstance(config.currency());
    }

    /**
     * Why a basket line may not be sold as it is: it comes to more than this till's {@code line.max.amount} (a price
     * typed with its digits twice, a quantity for a price); {@code null} when it may.
     *
     * @param number the line's number in the basket, from 1
     */
    public String lineRefusal(JsonObject line, int number) {
        java.math.BigDecimal amount;
        try {
            // Money is a decimal text or a number (API.md); the quantity a number, or a text of one.
            amount = decimal(line.get("unitPrice")).multiply(line.containsKey("quantity")
                    ? decimal(line.get("quantity")) : java.math.BigDecimal.ONE);
        } catch (NumberFormatException | NullPointerException e) {
            return null; // not an amount: the engine says what is wrong with it
        }
        if (amount.compareTo(config.lineMaxAmount()) <= 0) {
            return null;
        }
        java.text.NumberFormat money = java.text.NumberFormat.getNumberInstance(java.util.Locale.ENGLISH);
        money.setMinimumFractionDigits(Math.max(0, amount.scale()));
        return "Line " + number + " (" + line.getString("sku", "?") + ") comes to " + money.format(amount) + " "
                + config.currency() + ", more than this till's limit of " + money.format(config.lineMaxAmount())
                + " (line.max.amount): check its price and quantity";
    }

    private static java.math.BigDecimal decimal(jakarta.json.JsonValue value) {
        if (value instanceof jakarta.json.JsonNumber number) {
            return number.bigDecimalValue();
        }
        if (value instanceof jakarta.json.JsonString text) {
            return new java.math.BigDecimal(text.getString().strip());
        }
        throw new NumberFormatException("not a number: " + value);
    }

    /**
     * The queued sales the engine refused as they were sent (a card blocked or replaced meanwhile, a receipt another
     * sale has): never credited, and said to the cashier at once, with the receipts and why, so that the customer
     * can be credited another way (a claim, an adjustment at the desk), not left to {@code queue status}.
     */
    static String refusedAtReplay(ReplayReport replayed) {
        if (replayed.refused() == 0) {
            return "";
        }
        List<String> which = replayed.notes().stream().filter(note -> note.contains(": refused, ")).toList();
        return " · " + replayed.refused() + " sale(s) queued offline were refused by the engine and NOT credited ("
                + String.join("; ", which) + "): the customer can claim the points, or the desk credit them";
    }

    /** Why a redemption is not sent while {@code waiting} sales queued before it still wait: none spent. */
    private static Outcome notSpent(ReplayReport replayed, int waiting) {
        if (replayed.heldBack() != null) {
            return new Outcome(Status.REFUSED, "Not sent: " + replayed.heldBack() + ". Points cannot be spent now, none"
                    + " were", null);
        }
        if (replayed.noAnswer() != null) {
            return new Outcome(Status.UNAVAILABLE, "Loyalty offline: points cannot be spent now, none were ("
                    + replayed.noAnswer() + ")", null);
        }
        return new Outcome(Status.REFUSED, stillBeingSent(waiting) + ": none were spent; try again in a moment",
                null);
    }

    /**
     * What the cashier is told of a redemption the engine answered 201 (recorded) or 200 (a replay); a restore the
     * answer tells of is caught up with until {@code until} ({@link System#nanoTime()}).
     */
    private Outcome redeemed(JsonObject redemption, EngineClient.Reply reply, long until) {
        remember("pos/redemptions", redemption, recordedId(reply.json()));
        if (reply.json().containsKey("cancelledAt")) {
            // Sent again after it was cancelled: the points are the member's again, nothing is handed over.
            return new Outcome(Status.REFUSED, "receipt " + redemption.getString("receiptId", "") + " was recorded and"
                    + " CANCELLED since (" + reply.json().getString("cancelledAt") + "): no points are spent on it now,"
                    + " hand nothing over for it; to spend points again, use a new receipt", reply.json());
        }
        String reward = reply.json().containsKey("reward") && !reply.json().isNull("reward")
                ? reply.json().getString("reward") + ": " : "";
        // Points spent for their value: the money to take off the bill, on the line the cashier reads.
        String worth = reward.isEmpty() && reply.json().containsKey("redemptionValue")
                && !reply.json().isNull("redemptionValue") ? " (take " + reply.json().getString("redemptionValue")
                + " " + reply.json().getString("currency", config.currency()) + " off the bill)" : "";
        return new Outcome(Status.DONE, (reply.status() == 200 ? "already recorded: " : "") + reward
                + reply.json().getJsonNumber("pointsRedeemed").longValue() + " points spent" + worth + "; balance "
                + reply.json().getJsonNumber("availablePoints").longValue()
                + (reply.json().containsKey("redemptionId") ? " · redemption " + reply.json().getString("redemptionId")
                : "") + catchUp(reply, until), reply.json());
    }

    /**
     * Sends the waiting sales to the engine, oldest first, stopping at the first that cannot be delivered so the
     * order holds; once none waits, tries again the sales set aside that are due ({@link #SET_ASIDE_TRIED_FOR}).
     * With {@code again}, sends every sale the journal holds once more (an audit: the engine answers replays
     * without crediting anything), the set-aside ones included.
     */
    public ReplayReport replay(boolean again) throws IOException {
        return replay(again, config.replayBudget(), Integer.MAX_VALUE);
    }

    private ReplayReport replay(boolean again, Duration budget, int setAsideTries) throws IOException {
        return replay(again, budget, setAsideTries, Long.MAX_VALUE);
    }

    /**
     * @param setAsideTries how many sales set aside may be tried again once none waits (each within the budget)
     * @param until         {@link System#nanoTime()} past which no sale is sent: the rest waits for the next call
     */
    private ReplayReport replay(boolean again, Duration budget, int setAsideTries, long until) throws IOException {
        int delivered = 0;
        int refused = 0;
        int setAside = 0;
        String heldBack = null;
        String noAnswer = null;
        List<String> notes = new ArrayList<>();
        List<Journal.Entry> entries = again ? journal.entries() : journal.waiting();

        for (Journal.Entry entry : entries) {
            long started = System.nanoTime();
            Duration left = within(budget, until);
            if (left == null) {
                notes.add("the rest is sent at the next call (or with queue replay)");
                break;
            }
            try {
                Posted posted = post(entry, left, budget, until);
                if (posted.reply() == null) {
                    notes.add(entry.receiptKey() + ": refused as sent, nothing recorded" + posted.corrected()
                            + "; sent so at the next call (or with queue replay)");
                    break;
                }
                EngineClient.Reply reply = posted.reply();
                if (reply.ok()) {
                    delivered++;
                    delivered(entry, posted, notes);
                } else if (!reply.aboutTheCall()) {
                    // No verdict on the sale: it and the sales after it stay queued, sent once the engine takes the
                    // till again. Marked refused, they would be sent again only by hand.
                    heldBack = heldBack(reply);
                    if (entry.state() == Journal.State.QUEUED) {
                        journal.mark(entry.seq(), Journal.State.QUEUED, "not sent: " + heldBack);
                    }
                    notes.add(entry.receiptKey() + ": not sent, " + heldBack + "; the queued sales stay queued, none"
                            + " refused, and are sent once the engine takes the till again");
                    break;
                } else {
                    refused++;
                    journal.mark(entry.seq(), Journal.State.REFUSED, reply.error() + ": " + reply.message());
                    notes.add(entry.receiptKey() + ": refused, " + reply.message());
                }
            } catch (EngineClient.Unavailable e) {
                if (entry.state() != Journal.State.QUEUED) {
                    noAnswer = e.getMessage();
                    notes.add(entry.receiptKey() + ": not sent, " + e.getMessage());
                    break;
                }
                if (e.failedByEngine() && entry.failuresByEngine() + 1 >= SET_ASIDE_AFTER) {
                    // The engine fails on this sale itself, not for want of a connection: held, it would keep
                    // every sale queued after it from the engine, and the till offline for good.
                    String why = "the engine failed on it " + SET_ASIDE_AFTER + " times in a row (" + e.getMessage()
                            + "): set aside so that the sales after it go on; tried again by itself until "
                            + Instant.now().plus(SET_ASIDE_TRIED_FOR).truncatedTo(ChronoUnit.SECONDS)
                            + ", and queue replay --again sends it once more";
                    journal.mark(entry.seq(), Journal.State.SET_ASIDE, why, true);
                    setAside++;
                    if (until != Long.MAX_VALUE) {
                        // Its failures were retried for all the time it was given: the sales behind it, which it
                        // held back until now, get that time again rather than waiting for the next call.
                        until += System.nanoTime() - started;
                    }
                    notes.add(entry.receiptKey() + ": " + why);
                    continue;
                }
                noAnswer = e.getMessage();
                // A call whose outcome is not known stays said so: the next try's time-out does not replace it.
                journal.mark(entry.seq(), Journal.State.QUEUED, notKnown(entry) ? "sent, no answer: whether its points"
                        + " were spent is not known; queue replay sends it again as it was (last try: "
                        + e.getMessage() + ")" : e.getMessage(), e.failedByEngine());
                notes.add(entry.receiptKey() + ": still waiting, " + e.getMessage());
                break;
            }
        }
        if (again || setAsideTries == 0 || !journal.waiting().isEmpty()) {
            return new ReplayReport(delivered, refused, setAside, journal.waiting().size(), notes, List.of(), 0, 0,
                    heldBack, noAnswer);
        }
        SetAsideTries tried = trySetAside(setAsideTries, budget, until);
        notes.addAll(tried.notes());
        return new ReplayReport(delivered + tried.delivered(), refused + tried.refused(), setAside,
                journal.waiting().size(), notes, tried.recovered(), tried.failedAgain(), tried.unanswered(), heldBack,
                noAnswer);
    }

    /** The time a call of a replay may take: the budget, or what is left before {@code until}; null: too little. */
    private static Duration within(Duration budget, long until) {
        long left = until == Long.MAX_VALUE ? budget.toNanos()
                : Math.min(budget.toNanos(), until - System.nanoTime());
        return left < Duration.ofMillis(100).toNanos() ? null : Duration.ofNanos(left);
    }

    /**
     * A queued call as posted: the body sent (corrected, or as queued), the engine's answer (null: corrected, no time
     * left to send it now), what was corrected.
     */
    private record Posted(JsonObject body, EngineClient.Reply reply, String corrected) {
    }

    /**
     * What a queued sale the engine refused, recording nothing, is sent as instead: {@code refused}, why; {@code
     * corrected}, what changed, for the journal and the notes.
     */
    private record Correction(JsonObject body, String refused, String corrected) {
    }

    /**
     * Posts a queued call within {@code left}. A sale the engine refuses, recording nothing, as stamped in its future
     * (rung up while the till's clock ran fast) is stamped again at the time the engine's clock said, never later
     * than its now; one it refuses for one of its offers ({@link #OFFER_REFUSED}) is sent without its offers, for
     * its points but the offer's. Each correction is journalled, then posted in what is left of the budget and of
     * {@code until}; a sale may need both, one after the other.
     */
    private Posted post(Journal.Entry entry, Duration left, Duration budget, long until)
            throws IOException, EngineClient.Unavailable {
        Posted posted = new Posted(entry.body(), engine.post(entry.path(), entry.body(), left), "");
        clock.keep();
        for (int corrections = 0; corrections < 2 && entry.sale() && !posted.reply().ok(); corrections++) {
            Correction correction = correction(posted.body(), posted.reply());
            if (correction == null) {
                break;
            }
            String corrected = posted.corrected() + correction.corrected();
            // Journalled before it is sent: should the engine record it and its answer be lost, or the till stop
            // before it is sent, this body is the one sent again, never the one queued, which the engine would refuse
            // again, or as another content of the receipt once it recorded this one.
            journal.markSentAs(entry.seq(), entry.state() == Journal.State.DELIVERED
                    || entry.state() == Journal.State.SET_ASIDE ? entry.state() : Journal.State.QUEUED,
                    correction.refused() + corrected + ": sent so from now on", correction.body());
            Duration rest = within(budget, until);
            if (rest == null) {
                return new Posted(correction.body(), null, corrected);
            }
            posted = new Posted(correction.body(), engine.post(entry.path(), correction.body(), rest), corrected);
            clock.keep();
        }
        return posted;
    }

    /** What a sale the engine refused with {@code reply} is sent as instead; null: nothing, the refusal stands. */
    private Correction correction(JsonObject sale, EngineClient.Reply reply) {
        if (IN_THE_FUTURE.equals(reply.error())) {
            JsonObject body = inEnginesTime(sale);
            return new Correction(body, "refused as in the engine's future", ", its time corrected from "
                    + sale.getString("occurredAt") + " to " + body.getString("occurredAt") + " (the till's clock was"
                    + " off)");
        }
        if (OFFER_REFUSED.contains(reply.error()) && sale.get("offerIds") instanceof JsonArray offers
                && !offers.isEmpty()) {
            JsonObject body = Json.createObjectBuilder(sale).add("offerIds", Json.createArrayBuilder()).build();
            return new Correction(body, "refused for its offers", ", sent without its offers " + String.join(", ",
                    offers.getValuesAs(JsonString::getString)) + " (" + reply.status() + " " + reply.error() + ": "
                    + reply.message() + ")");
        }
        return null;
    }

    /** Marks a call the engine took delivered, and keeps it to be sent again after a restore. */
    private void delivered(Journal.Entry entry, Posted posted, List<String> notes) throws IOException {
        EngineClient.Reply reply = posted.reply();
        String what = (reply.status() == 201 ? entry.sale() ? "credited" : "recorded"
                : entry.sale() ? "already credited (replay)" : "already recorded (replay)") + posted.corrected();
        boolean wasNotKnown = notKnown(entry);
        delivered(entry, posted, what);
        notes.add(entry.receiptKey() + (wasNotKnown ? " (" + spent(posted.body(), reply.json()) + ")" : "") + ": "
                + reply.status() + " " + what + (wasNotKnown ? SETTLED : ""));
    }

    /** Whose points a call spent, and on what: said when its outcome, not known, is settled at last. */
    private static String spent(JsonObject body, JsonObject answer) {
        long points = answer != null && answer.get("pointsRedeemed") instanceof jakarta.json.JsonNumber number
                ? number.longValue() : 0;
        String on = answer != null && answer.containsKey("reward") && !answer.isNull("reward")
                ? answer.getString("reward") + ", " : body.containsKey("rewardId") ? body.getString("rewardId") + ", "
                : "";
        return "card " + body.getString("cardNumber", "?") + ", " + on + points + " points";
    }

    /** Marks the note of a call whose outcome the cashier was told was not known, now settled. */
    private static final String SETTLED = "; SETTLED: the points it spends are spent, once";

    /** Whether the cashier was told that this call's outcome is not known (points it spends sent, no answer). */
    private static boolean notKnown(Journal.Entry entry) {
        return entry.note() != null && entry.note().contains("is not known");
    }

    /**
     * The calls the cashier was told were NOT KNOWN (points spent, no answer) that the engine answered since: told at
     * the next call, so that whether the customer's points were spent is known at last.
     */
    static String settledAtReplay(ReplayReport replayed) {
        if (replayed == null) {
            return "";
        }
        List<String> settled = replayed.notes().stream().filter(note -> note.endsWith(SETTLED))
                .map(note -> note.substring(0, note.indexOf("): ", Math.max(0, note.indexOf(" (card "))) + 1))
                .toList();
        return settled.isEmpty() ? "" : " · settled at last: " + String.join(", ", settled) + " (the points not known"
                + " to be spent are spent, once: hand over what they pay for, if not done)";
    }

    /** Marks a call the engine took delivered, as sent, noted {@code what}; keeps it to be sent after a restore. */
    private void delivered(Journal.Entry entry, Posted posted, String what) throws IOException {
        if (posted.corrected().isEmpty()) {
            journal.mark(entry.seq(), Journal.State.DELIVERED, what);
        } else {
            journal.markSentAs(entry.seq(), Journal.State.DELIVERED, what, posted.body());
        }
        if (entry.state() != Journal.State.DELIVERED) {
            remember(entry.path(), posted.body(), recordedId(posted.reply().json()));
        }
    }

    /**
     * Tries again, oldest first, up to {@code atMost} of the sales set aside that are due, each within {@code
     * budget}, a correction ({@link #post}) within what is left of it and of {@code until}; stops at one the engine
     * does not answer. Every try is recorded and spaced, whatever came of it.
     */
    private SetAsideTries trySetAside(int atMost, Duration budget, long until) throws IOException {
        int delivered = 0;
        int refused = 0;
        int failedAgain = 0;
        int unanswered = 0;
        List<String> recovered = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Journal.Entry entry : setAsideDue(Instant.now()).stream().limit(atMost).toList()) {
            try {
                Posted posted = post(entry, budget, budget, until);
                EngineClient.Reply reply = posted.reply();
                if (reply == null) {
                    notes.add(entry.receiptKey() + ": still set aside, refused as sent" + posted.corrected()
                            + "; sent so when tried again");
                    break;
                }
                if (reply.ok()) {
                    delivered++;
                    String what = (reply.status() == 201 ? "credited at last" : "found credited already (replay)")
                            + posted.corrected();
                    delivered(entry, posted, what + ", tried again after it was set aside");
                    if (reply.status() == 201) {
                        recovered.add(entry.receiptKey());
                    }
                    notes.add(entry.receiptKey() + ": " + reply.status() + " " + what + " (set aside before)");
                } else if (!reply.aboutTheCall()) {
                    // No verdict on the sale, nor a try: it stays set aside as it was.
                    notes.add(entry.receiptKey() + ": still set aside, not sent: " + heldBack(reply));
                    break;
                } else {
                    refused++;
                    journal.mark(entry.seq(), Journal.State.REFUSED, reply.error() + ": " + reply.message());
                    notes.add(entry.receiptKey() + ": refused, " + reply.message());
                }
            } catch (EngineClient.Unavailable e) {
                // Spaced as any try, answered or not: a sale the engine is slow to fail on, or an engine away,
                // costs one try per spacing, not every call of the till.
                journal.markTriedAgain(entry.seq(), (e.failedByEngine() ? "the engine failed on it again"
                        : "no answer") + " when tried again (" + e.getMessage() + "); tried again by itself until "
                        + entry.setAsideAt().plus(SET_ASIDE_TRIED_FOR).truncatedTo(ChronoUnit.SECONDS)
                        + ", and queue replay --again sends it once more", e.failedByEngine());
                notes.add(entry.receiptKey() + ": still set aside, " + e.getMessage());
                if (!e.failedByEngine()) {
                    unanswered++;
                    break;
                }
                failedAgain++;
            }
        }
        return new SetAsideTries(delivered, refused, failedAgain, unanswered, recovered, notes);
    }

    /**
     * A sale's body stamped at the time the engine's clock said when it was rung up, never later than the engine's
     * now as the till knows it.
     */
    private JsonObject inEnginesTime(JsonObject sale) {
        OffsetDateTime stamped = OffsetDateTime.parse(sale.getString("occurredAt"));
        OffsetDateTime corrected = stamped.plus(clock.offset());
        OffsetDateTime now = clock.now().atZoneSameInstant(stamped.getOffset()).toOffsetDateTime();
        OffsetDateTime time = (corrected.isAfter(now) ? now : corrected).truncatedTo(ChronoUnit.SECONDS);
        return Json.createObjectBuilder(sale).add("occurredAt", stamp(time)).build();
    }

    /** A sale's time as sent: to the second, seconds always written. */
    private static String stamp(OffsetDateTime time) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * The sales set aside that are due to be tried again, oldest first: set aside less than
     * {@link #SET_ASIDE_TRIED_FOR} ago (by the till's clock, or its clock went back), and {@code
     * restore.retry.seconds} passed since the last try, twice that after each (or the clock went back).
     */
    List<Journal.Entry> setAsideDue(Instant now) throws IOException {
        return journal.setAside().stream().filter(entry -> entry.setAsideAt() != null
                && (now.isBefore(entry.setAsideAt().plus(SET_ASIDE_TRIED_FOR)) || entry.setAsideAt().isAfter(now))
                && entry.triesAgain() < SET_ASIDE_TRIES_AT_MOST
                && due(entry.markedAt(), entry.triesAgain(), now)).toList();
    }

    private boolean due(Instant triedAt, int tries, Instant now) {
        Duration wait = config.restoreRetry().multipliedBy(1L << Math.min(tries, 16));
        if (wait.compareTo(SET_ASIDE_EVERY_AT_MOST) > 0) {
            wait = SET_ASIDE_EVERY_AT_MOST;
        }
        return triedAt.isAfter(now) || !triedAt.plus(wait).isAfter(now);
    }

    /**
     * Sends again, as they were and in their order, the sales, returns and redemptions the engine recorded from
     * {@code since} on (the engine's time), once the sales still waiting in the journal are delivered ({@link
     * Resend}): after the engine was restored to a moment before some of them, it records those it lost (201) and
     * answers the others as replays (200, nothing credited twice). Stops at the first call the engine cannot be
     * reached for, or refuses the till's key for.
     */
    public ResendReport resend(Instant since) throws IOException {
        return resend(since, Instant.MAX);
    }

    /** The engine's time now, as far as the till knows it: what {@link #resend} takes. */
    public Instant enginesNow() {
        return clock.instant();
    }

    /** {@link #resend(Instant)} of what the engine recorded from {@code from} to {@code to}. */
    public ResendReport resend(Instant from, Instant to) throws IOException {
        return resender.calls(replay(false, config.replayBudget(), Integer.MAX_VALUE), from, to,
                config.replayBudget());
    }

    /**
     * The calls the engine recorded before a restore lost them, which this till could not have it record again by
     * itself (refused, or refused for a day): for a person to look at and send with {@code queue resend}.
     */
    public List<String> givenUpAfterRestore() throws IOException {
        return resender.givenUp();
    }

    /**
     * The calls sent again after a restore of the engine and set aside for now (a cancellation before its
     * redemption is back, a reward before the sale whose points it spends): tried again at the till's next calls.
     */
    public List<String> setAsideAfterRestore() throws IOException {
        return resender.setAside();
    }

    /**
     * Catches up with a restore of the engine its answer tells of ({@link Resend#catchUp}) in the cashier's time: until
     * {@code until} ({@link System#nanoTime()}) at the latest, the queued sales first; the rest at the next calls.
     */
    private String catchUp(EngineClient.Reply reply, long until) {
        // The sales set aside are tried before a sale, one at a time: not here, after the call.
        return resender.catchUp(reply, () -> replay(false, engine.budget(), 0, until), until);
    }

    /**
     * Keeps a call the engine recorded, to be sent again after a restore. A failure to keep it (the till's disk
     * full) does not undo what the engine did: the cashier is served, and the failure shown on the till's console.
     */
    private void remember(String path, JsonObject body, String transactionId) {
        try {
            // At the engine's time: the restores it tells of are in its time, whatever the till's clock says.
            sent.record(path, body, transactionId, clock.instant());
        } catch (IOException e) {
            System.err.println("Could not keep " + SentLog.label(path, body) + " in " + sent.file() + " to send it"
                    + " again after a restore of the engine: " + e.getMessage());
        }
    }

    private void requireStore() {
        if (config.store() == null) {
            throw new IllegalStateException("The till's store is not configured (store= or LOYALTY_POS_STORE)");
        }
    }

    private static String offers(JsonObject card) {
        JsonArray offers = card.getJsonArray("offers");
        if (offers == null || offers.isEmpty()) {
            return "";
        }
        // Numbered, with the id a sale is sent with: the till's "offer 1" (or "offer o-…") applies one.
        List<JsonObject> listed = offers.getValuesAs(JsonObject.class);
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            shown.add((i + 1) + ") " + listed.get(i).getString("title", "") + " (" + listed.get(i)
                    .getString("offerId", "?") + ")");
        }
        return " · offers: " + String.join(", ", shown);
    }
}
