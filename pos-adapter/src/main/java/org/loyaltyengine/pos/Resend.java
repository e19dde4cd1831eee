package org.loyaltyengine.pos;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.loyaltyengine.pos.engine.EngineClient;
import org.loyaltyengine.pos.journal.Journal;
import org.loyaltyengine.pos.journal.SentLog;

/**
 * Sends again what the engine recorded for the till ({@link SentLog}), after the engine was restored to a moment
 * before some of it: as it was and in its order, each sale under the transaction id the engine had given it
 * ({@value #ORIGINAL_TRANSACTION}), each redemption under its id ({@value #ORIGINAL_REDEMPTION}). The engine records what it lost (201) and answers the rest as replays (200,
 * nothing credited twice). By hand ({@code queue resend}), or by the till itself once the engine's answers tell of
 * a restore ({@link #catchUp}).
 */
final class Resend {

    /** The header naming the transaction id the engine had given a sale sent again. */
    static final String ORIGINAL_TRANSACTION = "Loyalty-Original-Transaction";

    /** The header naming the id the engine had given a redemption sent again (a cancellation since names it). */
    static final String ORIGINAL_REDEMPTION = "Loyalty-Original-Redemption";

    /**
     * How far the engine's time the till keeps calls at ({@link SentLog}: its own clock corrected by the offset it
     * measured, to the second, from answers that took a while) may be off the engine's own: a restore gap is widened
     * by that much each side. Sending a call more is harmless: the engine answers it as a replay.
     */
    private static final Duration CLOCKS = Duration.ofMinutes(5);

    /**
     * How many catch-ups in a row a call may go without an answer (the engine failing on it, or not answering it in
     * the till's budget) before the catch-up goes on past it: a call the engine can never answer would otherwise
     * cost every call of the till its budget, and keep the calls after it from being sent again.
     */
    static final int TRIES_IN_A_ROW = 3;

    /**
     * How long a call set aside ({@link #MAY_CLEAR}, or no answer) is tried again: a trading day, for the other
     * tills to come back and catch up. Tries are spaced {@code retryEvery} apart, twice that after each, up to
     * {@link #LATER_EVERY_AT_MOST}.
     */
    static final Duration LATER_FOR = Duration.ofHours(24);

    /** The longest wait between two tries of a call set aside. */
    private static final Duration LATER_EVERY_AT_MOST = Duration.ofMinutes(10);

    /**
     * Refusals that other tills catching up may lift: the points a lost sale rung up at another till earned, that
     * sale itself (a return's), the tier it reached (a reward's rule), the card issued there, the redemption a
     * cancellation names (sent again by the till that recorded it).
     */
    private static final Set<String> MAY_CLEAR = Set.of("insufficient_points", "redemption_refused",
            "reward_tier_restricted", "transaction_not_found", "card_not_found", "member_not_found",
            "redemption_not_found");

    /** The journal's replay, done before anything is sent again: sales go to the engine in the order rung up. */
    interface QueueReplay {
        Till.ReplayReport replay() throws IOException;
    }

    private final EngineClient engine;
    private final SentLog sent;
    private final Duration retryEvery;
    /** How long catching up may hold a cashier's call; what is left is sent at the next calls. */
    private final Duration catchUpTime;
    /** The restore gap this process saw the catch-up with end: nothing to read or send for it any more. */
    private volatile String caughtUpWith;
    /** Whether this process looked, since the last gap it was told of, for a catch-up the engine stopped telling. */
    private volatile boolean untoldSettled;

    /**
     * {@code retryEvery}: how long a call set aside for later waits between two tries; {@code catchUpTime}: how long
     * catching up may hold a cashier's call ({@code catch.up.ms}).
     */
    Resend(EngineClient engine, SentLog sent, Duration retryEvery, Duration catchUpTime) {
        this.engine = engine;
        this.sent = sent;
        this.retryEvery = retryEvery;
        this.catchUpTime = catchUpTime;
    }

    /** What sending a call again got: the engine's reply, or none ({@code noAnswer} says why). */
    private record Sending(SentLog.Sent call, String label, EngineClient.Reply reply, String noAnswer) {

        boolean recordedAgain() {
            return reply != null && reply.status() == 201;
        }

        boolean answered() {
            return reply != null;
        }

        boolean mayClear() {
            return reply != null && !reply.ok() && MAY_CLEAR.contains(reply.error());
        }

        /**
         * Whether the engine refused the till, not the call ({@link EngineClient.Reply#aboutTheCall}: its key, too
         * many calls): nothing is said of the call, and none after it is sent now.
         */
        boolean heldBack() {
            return reply != null && !reply.ok() && !reply.aboutTheCall();
        }

        String refusal() {
            return reply.error() + ": " + reply.message();
        }
    }

    /**
     * Sends a call again, to its sale's new id where the engine recorded that sale again under another one
     * ({@code recordedAs}, which a sale recorded now under another id is added to).
     */
    private Sending send(SentLog.Sent call, Map<String, String> recordedAs, Duration within) {
        String path = call.path();
        for (Map.Entry<String, String> renamed : recordedAs.entrySet()) {
            path = path.replace("pos/transactions/" + renamed.getKey() + "/", "pos/transactions/"
                    + renamed.getValue() + "/")
                    .replace("pos/redemptions/" + renamed.getKey() + "/", "pos/redemptions/" + renamed.getValue() + "/");
        }
        String label = SentLog.label(path, call.body());
        boolean sale = call.path().equals(Journal.SALES);
        try {
            EngineClient.Reply reply = engine.post(path, call.body(), within, call.transactionId() == null ? Map.of()
                    : Map.of(sale ? ORIGINAL_TRANSACTION : ORIGINAL_REDEMPTION, call.transactionId()));
            if (reply.ok()) {
                // A sale's transaction id, a redemption's id (a cancellation after it names it).
                String recorded = reply.json().getString(sale ? "transactionId" : "redemptionId", null);
                if (call.transactionId() != null && recorded != null && !recorded.equals(call.transactionId())) {
                    recordedAs.put(call.transactionId(), recorded);
                }
            }
            return new Sending(call, label, reply, null);
        } catch (EngineClient.Unavailable e) {
            return new Sending(call, label, null, e.getMessage());
        }
    }

    /**
     * Sends again, by hand ({@code queue resend}), the calls recorded from {@code from} to {@code to}, once the
     * journal's replay ({@code queued}) delivered every waiting sale; each call waits for the engine {@code perCall}
     * at most. A return of a sale recorded again under another id (an engine that did not keep the old one) goes to
     * that id. Stops at the first call without an answer.
     */
    Till.ResendReport calls(Till.ReplayReport queued, Instant from, Instant to, Duration perCall) throws IOException {
        List<String> notes = new ArrayList<>(queued.notes());
        List<SentLog.Sent> calls = sent.between(from, to, enginesAhead());
        if (queued.stillWaiting() > 0) {
            notes.add((queued.heldBack() != null ? queued.heldBack() : queued.noAnswer() != null
                    ? "the engine cannot be reached" : "sales are still queued") + ": nothing sent again");
            return new Till.ResendReport(0, 0, queued.refused(), calls.size() + queued.stillWaiting(), notes);
        }
        List<SentLog.Sent> recorded = new ArrayList<>();
        try {
            return sendAll(calls, notes, recorded, queued.refused(), perCall);
        } finally {
            try {
                noLongerGivenUp(recorded);
            } catch (IOException e) {
                // The calls were recorded: only the list for a person is behind.
                System.err.println("Could not take the calls just recorded off the calls given up after the"
                        + " engine's restore: " + e.getMessage());
            }
        }
    }

    /** {@link #calls}, once the journal is empty: adds what the engine recorded to {@code recorded}. */
    private Till.ResendReport sendAll(List<SentLog.Sent> calls, List<String> notes, List<SentLog.Sent> recorded,
                                      int refusedBefore, Duration perCall) {
        Map<String, String> recordedAs = new HashMap<>();
        int again = 0;
        int there = 0;
        int refused = refusedBefore;
        for (int i = 0; i < calls.size(); i++) {
            Sending sending = send(calls.get(i), recordedAs, perCall);
            if (!sending.answered()) {
                notes.add(sending.label() + ": not sent, " + sending.noAnswer());
                return new Till.ResendReport(again, there, refused, calls.size() - i, notes);
            }
            if (sending.heldBack()) {
                notes.add(Till.heldBack(sending.reply()) + ": nothing more sent again");
                return new Till.ResendReport(again, there, refused, calls.size() - i, notes);
            }
            if (sending.reply().ok()) {
                recorded.add(calls.get(i));
            }
            if (sending.recordedAgain()) {
                again++;
                notes.add(sending.label() + ": 201 recorded again (the engine had lost it)");
            } else if (sending.reply().ok()) {
                there++;
            } else {
                refused++;
                notes.add(sending.label() + ": refused, " + sending.refusal());
            }
        }
        return new Till.ResendReport(again, there, refused, 0, notes);
    }

    /**
     * Once the engine's answer tells of a restore gap (the time in which a restore of its database may have lost
     * what the tills sent) this till has not caught up with, sends again what the engine recorded for it in that
     * time, {@link #CLOCKS} more on each side, in their order, once the journal's queued sales went: for
     * {@link #catchUpTime} at most ({@code catch.up.ms}, 2 s by default) and never past {@code until}, the end of the
     * cashier's call, each call within what is left of it and of the till's budget. What is left is sent at the next
     * calls, from where this one stopped. A refusal of the till itself (its key) stops it, nothing given up.
     * <p>
     * A call refused for a reason other tills catching up may lift ({@link #MAY_CLEAR}), or that got no answer at
     * {@link #TRIES_IN_A_ROW} catch-ups in a row, is set aside and tried again at the next calls, for
     * {@link #LATER_FOR}; then, like any other refusal, it is named to the cashier, written to the till's console
     * and kept for {@code queue status} ({@link #givenUp}), for a person to send with {@code queue resend}. Where the
     * catch-up stands is kept beside the sent log. A later restore announced before the catch-up with the first
     * ended takes over what was left of it, and the whole first window when the till sent calls again after the
     * moment the later restore went back to (those were lost again). Once the engine no longer tells of the gap,
     * what is left of it is given up ({@link #settleUntold}).
     *
     * @param until {@link System#nanoTime()} by which the cashier's call must be done: the queue and the calls sent
     *              again take no longer, whatever {@code catch.up.ms} allows
     * @return what to add to the cashier's message: nothing when nothing was recorded again, refused or set aside
     */
    String catchUp(EngineClient.Reply reply, QueueReplay queue, long until) {
        String gap = reply.restoreGap();
        if (gap == null) {
            if (!untoldSettled) {
                untoldSettled = true;
                return settleUntold();
            }
            return "";
        }
        untoldSettled = false;
        if (gap.equals(caughtUpWith)) {
            return "";
        }
        try (AutoCloseable held = sent.catchingUp()) {
            if (held == null) {
                // Another call of this till (or a queue command beside it) is catching up: not held behind it.
                return "";
            }
            Instant now = Instant.now();
            CatchingUp state = CatchingUp.of(sent.catchUp(), gap);
            if (state != null && state.done()) {
                caughtUpWith = gap;
            }
            if (state == null || state.inOrderSent && state.nothingDue(now, retryEvery)) {
                return "";
            }
            Till.ReplayReport queued = queue.replay();
            Tally tally = new Tally(queued);
            if (queued.stillWaiting() == 0) {
                // The catch-up's own time begins once the queued sales went: they come first. It ends with the
                // cashier's call at the latest.
                Duration left = until == Long.MAX_VALUE ? catchUpTime : Duration.ofNanos(until - System.nanoTime());
                Instant deadline = Instant.now().plus(left.compareTo(catchUpTime) < 0 ? left : catchUpTime);
                if (!state.inOrderSent) {
                    sendInOrder(state, deadline, tally);
                }
                if (state.inOrderSent) {
                    tryAgain(state, deadline, tally);
                }
                sent.catchUp(state.json());
                if (state.done()) {
                    caughtUpWith = gap;
                }
            }
            return tally.message();
        } catch (Exception e) {
            return " · the engine was restored, and this till could not send its earlier calls again ("
                    + e.getMessage() + "): run queue resend --since " + gap.split("/")[0];
        }
    }

    /**
     * Once the engine no longer tells of the gap (72 h after its end) while this till had calls of it to send again,
     * to try again, or not yet sent: they are given up, for a person ({@code queue status}), not left silently.
     */
    private String settleUntold() {
        try {
            JsonObject peek = sent.catchUp();
            if (peek == null || peek.getBoolean("done", false)) {
                return "";
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
        try (AutoCloseable held = sent.catchingUp()) {
            CatchingUp state = held == null ? null : kept();
            if (state == null || state.done()) {
                return "";
            }
            String why = "the engine no longer tells of its restore (" + state.gap + ")";
            int left = state.later.size();
            for (Later later : state.later) {
                state.giveUp(later.call, SentLog.label(later.call.path(), later.call.body()), why);
            }
            state.later.clear();
            if (!state.inOrderSent) {
                List<SentLog.Sent> unsent = sent.between(state.upTo == null ? state.from : state.upTo.plusNanos(1),
                        state.to, enginesAhead());
                for (SentLog.Sent call : unsent) {
                    state.giveUp(call, SentLog.label(call.path(), call.body()), why + " before it was sent again");
                }
                left += unsent.size();
                state.inOrderSent = true;
            }
            sent.catchUp(state.json());
            return left == 0 ? "" : " · " + left + " earlier call(s) of this till were not recorded again after the"
                    + " engine's restore: see queue status";
        } catch (Exception e) {
            return "";
        }
    }

    /**
     * The calls given up after a restore of the engine, for a person to send again ({@code queue resend}): each
     * named, with when the engine had recorded it and why it was given up.
     */
    List<String> givenUp() throws IOException {
        JsonObject kept = sent.catchUp();
        JsonArray givenUp = kept == null ? null : kept.getJsonArray("givenUp");
        return givenUp == null ? List.of() : givenUp.getValuesAs(JsonObject.class).stream()
                .map(call -> call.getString("label", "") + " (recorded " + call.getString("sentAt", "?") + "): "
                        + call.getString("why", "")).toList();
    }

    /**
     * The calls sent again after a restore of the engine and set aside, each tried again at the till's next calls
     * (as the other tills catch up): named, with why and how often it was tried. A call that cannot be read is
     * named as such.
     */
    List<String> setAside() throws IOException {
        JsonObject kept = sent.catchUp();
        JsonArray later = kept == null ? null : kept.getJsonArray("later");
        List<String> calls = new ArrayList<>();
        for (JsonValue value : later == null ? List.<JsonValue>of() : later) {
            JsonObject call = value instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
            SentLog.Sent sentCall = call.get("call") instanceof JsonObject line ? SentLog.sent(line) : null;
            calls.add((sentCall == null ? "a call that cannot be read" : SentLog.label(sentCall.path(),
                    sentCall.body())) + ": " + call.getString("why", "") + " (tried " + call.getInt("tries", 0)
                    + " time(s) since " + call.getString("since", "?") + ")");
        }
        return calls;
    }

    /**
     * Drops from the calls given up those a resend by hand had the engine record ({@code recorded}): they are no
     * longer a person's to look at. Waits for a catch-up in progress, 10 s at most; after that they stay listed.
     */
    private void noLongerGivenUp(List<SentLog.Sent> recorded) throws IOException {
        if (recorded.isEmpty()) {
            return;
        }
        Instant until = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(until)) {
            try (AutoCloseable held = sent.catchingUp()) {
                if (held != null) {
                    CatchingUp state = kept();
                    if (state != null && state.givenUp.removeIf(call -> recorded.stream().anyMatch(
                            sent -> CatchingUp.sameCall(call, sent)))) {
                        sent.catchUp(state.json());
                    }
                    return;
                }
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The catch-up as kept, for the gap it was kept for; null: none, or none this till can read. */
    private CatchingUp kept() throws IOException {
        JsonObject kept = sent.catchUp();
        return kept == null ? null : CatchingUp.of(kept, kept.getString("gap", ""));
    }

    /** Sends the calls of the gap not handled yet, in their order, until the deadline. */
    private void sendInOrder(CatchingUp state, Instant deadline, Tally tally) throws IOException {
        List<SentLog.Sent> calls = sent.between(state.upTo == null ? state.from : state.upTo.plusNanos(1), state.to,
                enginesAhead());
        for (int i = 0; i < calls.size(); i++) {
            if (!timeLeft(deadline)) {
                tally.left = calls.size() - i;
                return;
            }
            Duration within = within(deadline);
            Sending sending = send(calls.get(i), state.recordedAs, within);
            state.lastSentAgain = enginesNow();
            if (sending.heldBack()) {
                // Sent again at the next calls, once the engine takes the till: no try counted, nothing given up.
                tally.heldBack = Till.heldBack(sending.reply());
                tally.left = calls.size() - i;
                return;
            }
            if (!sending.answered()) {
                // A try counts when given the till's whole budget, or the whole of the catch-up's time: one cut
                // short by calls sent before it in the same catch-up says little.
                if (i == 0 || within.equals(engine.budget())) {
                    state.tries++;
                }
                if (state.tries < TRIES_IN_A_ROW) {
                    tally.left = calls.size() - i;
                    return;
                }
                state.setAside(sending.call(), "no answer: " + sending.noAnswer());
                tally.setAside.add(sending.label() + ": no answer at " + TRIES_IN_A_ROW + " calls in a row ("
                        + sending.noAnswer() + ")");
            } else if (sending.mayClear()) {
                state.setAside(sending.call(), sending.refusal());
                tally.setAside.add(sending.label() + ": refused for now, " + sending.refusal());
            } else {
                state.later.removeIf(later -> later.call.equals(sending.call()));
                tally.count(sending);
                if (!sending.reply().ok()) {
                    state.giveUp(sending.call(), sending.label(), sending.refusal());
                } else {
                    state.givenUp.removeIf(call -> CatchingUp.sameCall(call, sending.call()));
                }
            }
            state.tries = 0;
            state.upTo = sending.call().sentAt();
        }
        state.inOrderSent = true;
    }

    /** Tries again, in their order, the calls set aside whose turn has come, until the deadline. */
    private void tryAgain(CatchingUp state, Instant deadline, Tally tally) {
        for (Iterator<Later> it = state.later.iterator(); it.hasNext() && timeLeft(deadline); ) {
            Later later = it.next();
            if (!later.due(Instant.now(), retryEvery)) {
                continue;
            }
            Sending sending = send(later.call, state.recordedAs, within(deadline));
            state.lastSentAgain = enginesNow();
            if (sending.heldBack()) {
                tally.heldBack = Till.heldBack(sending.reply());
                return;
            }
            String why = sending.answered() ? sending.refusal() : "no answer: " + sending.noAnswer();
            if (sending.answered() && (sending.reply().ok() || !sending.mayClear())) {
                it.remove();
                tally.count(sending);
                if (!sending.reply().ok()) {
                    state.giveUp(later.call, sending.label(), why);
                }
            } else if (!Instant.now().isBefore(later.since.plus(LATER_FOR))) {
                it.remove();
                state.giveUp(later.call, sending.label(), why + ", tried again for " + LATER_FOR.toHours() + " h");
                tally.givenUp.add(sending.label() + ": " + why);
            } else {
                later.tries++;
                later.triedAt = Instant.now();
                later.why = why;
            }
        }
    }

    /** How far the engine's clock is ahead of the till's, as the engine's last answer told; zero before any. */
    private Duration enginesAhead() {
        Duration offset = engine == null ? null : engine.clockOffset();
        return offset == null ? Duration.ZERO : offset;
    }

    /** The engine's time now, as far as the till knows it: the restore gaps it tells are in its time. */
    private Instant enginesNow() {
        return Instant.now().plus(enginesAhead());
    }

    /** The least time worth sending a call in. */
    private static final Duration AT_LEAST = Duration.ofMillis(100);

    /** Whether a call may still begin: the catch-up's time has {@link #AT_LEAST} left. */
    private static boolean timeLeft(Instant deadline) {
        return Duration.between(Instant.now(), deadline).compareTo(AT_LEAST) >= 0;
    }

    /** The till's budget, or what is left of the catch-up's time if less. */
    private Duration within(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.compareTo(engine.budget()) >= 0 ? engine.budget() : left.compareTo(AT_LEAST) < 0 ? AT_LEAST : left;
    }

    /** What one catch-up did, for the cashier. */
    private static final class Tally {
        final Till.ReplayReport queued;
        int recordedAgain;
        int left;
        final List<String> refused = new ArrayList<>();
        final List<String> setAside = new ArrayList<>();
        final List<String> givenUp = new ArrayList<>();
        /** Why the engine would not take the till's calls, when it would not (its key): sent at the next calls. */
        String heldBack;

        Tally(Till.ReplayReport queued) {
            this.queued = queued;
        }

        void count(Sending sending) {
            if (sending.recordedAgain()) {
                recordedAgain++;
            } else if (!sending.reply().ok()) {
                refused.add(sending.label() + ": " + sending.refusal());
            }
        }

        String message() {
            String queue = (queued.setAside() == 0 ? "" : " · " + queued.setAside() + " queued sale(s) set aside, the"
                    + " engine fails on them: see queue status")
                    + (heldBack == null ? "" : " · the engine was restored: " + heldBack + "; what it lost is sent"
                    + " again once it takes the till");
            if (recordedAgain + refused.size() + setAside.size() + givenUp.size() == 0) {
                return queue;
            }
            return queue + " · the engine was restored: " + recordedAgain + " earlier call(s) of this till recorded"
                    + " again"
                    + (refused.isEmpty() ? "" : ", " + refused.size() + " refused (" + String.join("; ", refused)
                    + ")")
                    + (setAside.isEmpty() ? "" : ", " + setAside.size() + " set aside to try again as the other tills"
                    + " catch up (" + String.join("; ", setAside) + ")")
                    + (givenUp.isEmpty() ? "" : ", " + givenUp.size() + " given up (" + String.join("; ", givenUp)
                    + ")")
                    + (refused.isEmpty() && givenUp.isEmpty() ? "" : ": see queue status")
                    + (left > 0 ? ", " + left + " to send at the next calls" : "");
        }
    }

    /** A call set aside: why, since when, how many times it was tried again since, and when last. */
    static final class Later {
        final SentLog.Sent call;
        final Instant since;
        String why;
        int tries;
        Instant triedAt;

        Later(SentLog.Sent call, String why, Instant since, int tries, Instant triedAt) {
            this.call = call;
            this.why = why;
            this.since = since;
            this.tries = tries;
            this.triedAt = triedAt;
        }

        /** Due once {@code every} passed since the last try, twice that after each; or the clock went back. */
        boolean due(Instant now, Duration every) {
            Duration wait = every.multipliedBy(1L << Math.min(tries, 16));
            if (wait.compareTo(LATER_EVERY_AT_MOST) > 0) {
                wait = LATER_EVERY_AT_MOST;
            }
            return triedAt.isAfter(now) || !triedAt.plus(wait).isAfter(now);
        }
    }

    /**
     * Where the till's catch-up stands: the calls to send in order ({@code from}-{@code to}) and the last sent
     * ({@code upTo}), how many catch-ups in a row the next one got no answer, whether every call of the window was
     * sent, the calls set aside for later and those given up, and the sales the engine recorded again under another
     * id.
     */
    static final class CatchingUp {
        final String gap;
        Instant from;
        Instant to;
        Instant upTo;
        int tries;
        boolean inOrderSent;
        /** When this till last sent a call again for the gap: a later restore may have lost what it sent. */
        Instant lastSentAgain;
        final List<Later> later = new ArrayList<>();
        final List<JsonObject> givenUp = new ArrayList<>();
        final Map<String, String> recordedAs = new HashMap<>();

        private CatchingUp(String gap, Instant from, Instant to) {
            this.gap = gap;
            this.from = from;
            this.to = to;
        }

        /**
         * The catch-up with {@code gap}: as kept, or new; a new one takes over what the one kept for another gap
         * had left to do. Null: a gap this till cannot read. A kept state it cannot read is started anew: what it
         * sends again twice, the engine answers as replays.
         */
        static CatchingUp of(JsonObject kept, String gap) {
            String[] ends = gap.split("/", -1);
            CatchingUp fresh;
            try {
                fresh = new CatchingUp(gap, Instant.parse(ends[0]).minus(CLOCKS), Instant.parse(ends[1]).plus(CLOCKS));
            } catch (RuntimeException e) {
                return null;
            }
            CatchingUp before;
            try {
                before = kept == null ? null : read(kept);
            } catch (RuntimeException e) {
                before = null;
            }
            if (before == null) {
                return fresh;
            }
            if (before.gap.equals(gap)) {
                return before;
            }
            // What the first catch-up had yet to send, and what it sent again after the moment the second restore
            // went back to (the engine recorded it then, and lost it again), are sent again too.
            boolean lostAgain = before.lastSentAgain != null
                    && before.lastSentAgain.isAfter(Instant.parse(ends[0]).minus(CLOCKS));
            if (lostAgain || !before.inOrderSent) {
                Instant from = lostAgain || before.upTo == null ? before.from : before.upTo.plusNanos(1);
                fresh.from = from.isBefore(fresh.from) ? from : fresh.from;
                fresh.to = before.to.isAfter(fresh.to) ? before.to : fresh.to;
            }
            fresh.later.addAll(before.later);
            fresh.givenUp.addAll(before.givenUp);
            fresh.recordedAs.putAll(before.recordedAs);
            return fresh;
        }

        private static CatchingUp read(JsonObject kept) {
            String gap = kept.getString("gap");
            String[] ends = gap.split("/", -1);
            CatchingUp state = new CatchingUp(gap,
                    kept.containsKey("from") ? Instant.parse(kept.getString("from"))
                            : Instant.parse(ends[0]).minus(CLOCKS),
                    kept.containsKey("to") ? Instant.parse(kept.getString("to")) : Instant.parse(ends[1]).plus(CLOCKS));
            state.upTo = kept.containsKey("upTo") ? Instant.parse(kept.getString("upTo")) : null;
            state.tries = kept.getInt("tries", 0);
            state.inOrderSent = kept.getBoolean("done", false) || kept.getBoolean("inOrderSent", false);
            state.lastSentAgain = kept.containsKey("lastSentAgain") ? Instant.parse(kept.getString("lastSentAgain"))
                    : null;
            JsonArray later = kept.getJsonArray("later");
            for (JsonValue value : later == null ? List.<JsonValue>of() : later) {
                // A call set aside that cannot be read is sent again in order instead: from the first one.
                try {
                    JsonObject call = value.asJsonObject();
                    state.later.add(new Later(Objects.requireNonNull(SentLog.sent(call.getJsonObject("call"))),
                            call.getString("why", ""), Instant.parse(call.getString("since")),
                            call.getInt("tries", 0), Instant.parse(call.getString("triedAt"))));
                } catch (RuntimeException e) {
                    state.inOrderSent = false;
                    state.upTo = null;
                }
            }
            JsonArray givenUp = kept.getJsonArray("givenUp");
            for (JsonValue value : givenUp == null ? List.<JsonValue>of() : givenUp) {
                if (value instanceof JsonObject call) {
                    state.givenUp.add(call);
                }
            }
            JsonObject recordedAs = kept.getJsonObject("recordedAs");
            if (recordedAs != null) {
                recordedAs.forEach((old, now) -> state.recordedAs.put(old, ((JsonString) now).getString()));
            }
            return state;
        }

        /** Every call of the gap sent again, and none left set aside. */
        boolean done() {
            return inOrderSent && later.isEmpty();
        }

        /** Whether a call given up ({@link #giveUp}) is {@code call}. */
        static boolean sameCall(JsonObject givenUp, SentLog.Sent call) {
            return call.path().equals(givenUp.getString("path", null))
                    && call.sentAt().toString().equals(givenUp.getString("sentAt", null));
        }

        boolean nothingDue(Instant now, Duration retryEvery) {
            return later.stream().noneMatch(call -> call.due(now, retryEvery));
        }

        /** Sets a call aside for later, once: a call set aside before keeps its first time. */
        void setAside(SentLog.Sent call, String why) {
            Instant now = Instant.now();
            Instant since = later.stream().filter(it -> it.call.equals(call)).map(it -> it.since).findFirst()
                    .orElse(now);
            later.removeIf(it -> it.call.equals(call));
            later.add(new Later(call, why, since, 0, now));
        }

        /** Gives a call up, for a person: kept for {@code queue status}, and said on the till's console. */
        void giveUp(SentLog.Sent call, String label, String why) {
            givenUp.removeIf(it -> sameCall(it, call));
            givenUp.add(Json.createObjectBuilder().add("label", label).add("path", call.path())
                    .add("sentAt", call.sentAt().toString()).add("why", why).build());
            System.err.println("After the engine's restore, " + label + " (recorded " + call.sentAt() + ") was not"
                    + " recorded again: " + why + ". Send it with queue resend --since "
                    + call.sentAt().minusSeconds(1));
        }

        JsonObject json() {
            JsonObjectBuilder json = Json.createObjectBuilder().add("gap", gap).add("from", from.toString())
                    .add("to", to.toString()).add("tries", tries).add("inOrderSent", inOrderSent)
                    .add("done", done());
            if (upTo != null) {
                json.add("upTo", upTo.toString());
            }
            if (lastSentAgain != null) {
                json.add("lastSentAgain", lastSentAgain.toString());
            }
            JsonArrayBuilder calls = Json.createArrayBuilder();
            for (Later call : later) {
                calls.add(Json.createObjectBuilder().add("call", SentLog.json(call.call)).add("why", call.why)
                        .add("since", call.since.toString()).add("tries", call.tries)
                        .add("triedAt", call.triedAt.toString()));
            }
            JsonArrayBuilder gaveUp = Json.createArrayBuilder();
            givenUp.forEach(gaveUp::add);
            JsonObjectBuilder renamed = Json.createObjectBuilder();
            recordedAs.forEach(renamed::add);
            return json.add("later", calls).add("givenUp", gaveUp).add("recordedAs", renamed).build();
        }
    }
}
