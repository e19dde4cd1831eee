package org.loyaltyengine.pos;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.loyaltyengine.pos.engine.EngineClient;
import org.loyaltyengine.pos.journal.SentLog;

/**
 * Sends again what the engine recorded for the till ({@link SentLog}), after the engine was restored to a moment
 * before some of it: as it was and in its order, each sale under the transaction id the engine had given it
 * ({@value #ORIGINAL_TRANSACTION}). The engine records what it lost (201) and answers the rest as replays (200,
 * nothing credited twice). By hand ({@code queue resend}), or by the till itself once the engine's answers tell of
 * a restore ({@link #catchUp}).
 */
final class Resend {

    /** The header naming the transaction id the engine had given a sale sent again. */
    static final String ORIGINAL_TRANSACTION = "Loyalty-Original-Transaction";

    /** How far the till's clock and the engine's may differ: a restore gap is widened by that much each side. */
    private static final Duration CLOCKS = Duration.ofMinutes(5);

    /** How long catching up may hold a cashier's call; what is left is sent at the next calls. */
    private static final Duration CATCH_UP_TIME = Duration.ofSeconds(2);

    /** The journal's replay, done before anything is sent again: sales go to the engine in the order rung up. */
    interface QueueReplay {
        Till.ReplayReport replay() throws IOException;
    }

    private final EngineClient engine;
    private final SentLog sent;

    Resend(EngineClient engine, SentLog sent) {
        this.engine = engine;
        this.sent = sent;
    }

    /**
     * Sends again the calls recorded from {@code from} to {@code to}, once the journal's replay ({@code queued})
     * delivered every waiting sale; each call waits for the engine {@code perCall} at most, and none is begun after
     * {@code deadline}. A return of a sale recorded again under another id (an engine that did not keep the old one)
     * goes to that id.
     */
    Till.ResendReport calls(Till.ReplayReport queued, Instant from, Instant to, Duration perCall, Instant deadline)
            throws IOException {
        List<String> notes = new ArrayList<>(queued.notes());
        List<SentLog.Sent> calls = sent.between(from, to);
        if (queued.stillWaiting() > 0) {
            notes.add("the engine cannot be reached: nothing sent again");
            return new Till.ResendReport(0, 0, queued.refused(), calls.size() + queued.stillWaiting(), notes, null);
        }
        Map<String, String> recordedAs = new HashMap<>();
        int again = 0;
        int there = 0;
        int refused = queued.refused();
        Instant handled = null;
        for (int i = 0; i < calls.size(); i++) {
            SentLog.Sent call = calls.get(i);
            String path = call.path();
            for (Map.Entry<String, String> renamed : recordedAs.entrySet()) {
                path = path.replace("pos/transactions/" + renamed.getKey() + "/", "pos/transactions/"
                        + renamed.getValue() + "/");
            }
            String what = SentLog.label(path, call.body());
            EngineClient.Reply reply;
            try {
                if (Instant.now().isAfter(deadline)) {
                    throw new EngineClient.Unavailable("the rest at the next call");
                }
                reply = engine.post(path, call.body(), perCall, call.transactionId() == null ? Map.of()
                        : Map.of(ORIGINAL_TRANSACTION, call.transactionId()));
            } catch (EngineClient.Unavailable e) {
                notes.add(what + ": not sent, " + e.getMessage());
                return new Till.ResendReport(again, there, refused, calls.size() - i, notes, handled);
            }
            if (reply.ok()) {
                String transactionId = reply.json().getString("transactionId", null);
                if (call.transactionId() != null && transactionId != null
                        && !transactionId.equals(call.transactionId())) {
                    recordedAs.put(call.transactionId(), transactionId);
                }
            }
            if (reply.status() == 201) {
                again++;
                notes.add(what + ": 201 recorded again (the engine had lost it)");
            } else if (reply.ok()) {
                there++;
            } else {
                refused++;
                notes.add(what + ": refused, " + reply.error() + ": " + reply.message());
            }
            handled = call.sentAt();
        }
        return new Till.ResendReport(again, there, refused, 0, notes, handled);
    }

    /**
     * Once the engine's answer tells of a restore gap (the time in which a restore of its database may have lost
     * what the tills sent) this till has not caught up with, sends again what the engine recorded for it in that
     * time, {@link #CLOCKS} more on each side, for {@link #CATCH_UP_TIME} at most and each call within the till's
     * budget: what is left, or could not be sent, is sent at the next calls, from where this one stopped.
     *
     * @return what to add to the cashier's message: nothing when nothing was recorded again
     */
    String catchUp(EngineClient.Reply reply, QueueReplay queue) {
        String gap = reply.restoreGap();
        if (gap == null) {
            return "";
        }
        try {
            String done = sent.resentForGap();
            if (gap.equals(done)) {
                return "";
            }
            String[] ends = gap.split("/", -1);
            if (ends.length != 2) {
                return "";
            }
            Instant from = done != null && done.startsWith(gap + " ")
                    ? Instant.parse(done.substring(gap.length() + 1)).plusNanos(1)
                    : Instant.parse(ends[0]).minus(CLOCKS);
            Instant deadline = Instant.now().plus(CATCH_UP_TIME);
            Till.ResendReport report = calls(queue.replay(), from, Instant.parse(ends[1]).plus(CLOCKS),
                    engine.budget(), deadline);
            if (report.notSent() == 0) {
                sent.resentFor(gap);
            } else if (report.handledUpTo() != null) {
                sent.resentFor(gap + " " + report.handledUpTo());
            }
            return report.recordedAgain() + report.refused() == 0 ? "" : " · the engine was restored: "
                    + report.recordedAgain() + " earlier call(s) of this till recorded again"
                    + (report.refused() > 0 ? ", " + report.refused() + " refused (" + String.join("; ",
                    report.notes().stream().filter(note -> note.contains(": refused")).toList()) + ")" : "")
                    + (report.notSent() > 0 ? ", " + report.notSent() + " to send at the next calls" : "");
        } catch (IOException | RuntimeException e) {
            return " · the engine was restored, and this till could not send its earlier calls again ("
                    + e.getMessage() + "): run queue resend --since " + gap.split("/")[0];
        }
    }
}
