package org.loyaltyengine.pos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltyengine.pos.engine.EngineClient;
import org.loyaltyengine.pos.journal.SentLog;

/** Where a till's catch-up with a restore of the engine stands, as kept beside its sent log between calls. */
class CatchingUpTest {

    private static final String FIRST = "2026-12-05T10:00:00Z/2026-12-05T10:01:00Z";
    private static final String SECOND = "2026-12-05T10:30:00Z/2026-12-05T10:31:00Z";

    @Test
    void aSecondRestoreBeforeTheFirstCatchUpEndedTakesOverWhatWasLeft() {
        Resend.CatchingUp first = Resend.CatchingUp.of(null, FIRST);
        assertThat(first.from).as("5 minutes more each side for the clocks")
                .isEqualTo(Instant.parse("2026-12-05T09:55:00Z"));
        assertThat(first.to).isEqualTo(Instant.parse("2026-12-05T10:06:00Z"));
        first.upTo = Instant.parse("2026-12-05T10:00:20Z");
        first.setAside(redemption("R-1"), "insufficient_points: …");
        first.recordedAs.put("t-old", "t-new");

        Resend.CatchingUp second = Resend.CatchingUp.of(first.json(), SECOND);

        assertThat(second.gap).isEqualTo(SECOND);
        assertThat(second.from).as("from where the first stopped").isEqualTo(Instant.parse("2026-12-05T10:00:20Z")
                .plusNanos(1));
        assertThat(second.to).isEqualTo(Instant.parse("2026-12-05T10:36:00Z"));
        assertThat(second.inOrderSent).isFalse();
        assertThat(second.later).extracting(later -> later.call).containsExactly(redemption("R-1"));
        assertThat(second.recordedAs).containsEntry("t-old", "t-new");

        first.inOrderSent = true;
        Resend.CatchingUp afterAWholeFirst = Resend.CatchingUp.of(first.json(), SECOND);
        assertThat(afterAWholeFirst.from).as("the first window was sent whole: the second gap's own")
                .isEqualTo(Instant.parse("2026-12-05T10:25:00Z"));
        assertThat(afterAWholeFirst.later).hasSize(1);

        // The first catch-up sent calls again after the moment the second restore went back to: the engine
        // recorded them then and lost them again, so the whole first window goes again.
        first.lastSentAgain = Instant.parse("2026-12-05T10:30:10Z");
        Resend.CatchingUp lostAgain = Resend.CatchingUp.of(first.json(), SECOND);
        assertThat(lostAgain.from).isEqualTo(Instant.parse("2026-12-05T09:55:00Z"));
        assertThat(lostAgain.to).isEqualTo(Instant.parse("2026-12-05T10:36:00Z"));
    }

    @Test
    void theSameGapGoesOnFromWhereItStoodAndAnUnreadableStateStartsAnew() {
        Resend.CatchingUp state = Resend.CatchingUp.of(null, FIRST);
        state.upTo = Instant.parse("2026-12-05T10:00:40Z");
        state.tries = 2;

        Resend.CatchingUp again = Resend.CatchingUp.of(state.json(), FIRST);
        assertThat(again.upTo).isEqualTo(state.upTo);
        assertThat(again.tries).isEqualTo(2);

        JsonObject spoilt = Json.createObjectBuilder(state.json()).add("later", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("call", "not a call").add("since", "yesterday"))).build();
        Resend.CatchingUp anew = Resend.CatchingUp.of(spoilt, FIRST);
        assertThat(anew.upTo).as("everything sent again: the engine answers what it has as replays").isNull();
        assertThat(anew.tries).as("the rest of what was kept stands").isEqualTo(2);
        JsonObject unreadable = Json.createObjectBuilder(state.json()).add("from", "not a time").build();
        assertThat(Resend.CatchingUp.of(unreadable, FIRST).tries).as("started anew").isZero();
        assertThat(Resend.CatchingUp.of(null, "not a gap")).isNull();
    }

    @Test
    void aCallSetAsideIsTriedAgainLessAndLessOftenAndAtOnceWhenTheClockWentBack() {
        Instant now = Instant.parse("2026-12-05T12:00:00Z");
        Duration minute = Duration.ofMinutes(1);
        Resend.Later later = new Resend.Later(redemption("R-1"), "insufficient_points", now, 0, now);
        assertThat(later.due(now.plusSeconds(59), minute)).isFalse();
        assertThat(later.due(now.plusSeconds(60), minute)).isTrue();
        later.tries = 2;
        assertThat(later.due(now.plusSeconds(239), minute)).as("4 minutes after two tries").isFalse();
        assertThat(later.due(now.plusSeconds(240), minute)).isTrue();
        later.tries = 12;
        assertThat(later.due(now.plus(Duration.ofMinutes(10)), minute)).as("every 10 minutes at most").isTrue();
        assertThat(later.due(now.minusSeconds(1), minute)).as("a clock set back").isTrue();
    }

    @Test
    void whatIsLeftWhenTheEngineNoLongerTellsOfTheGapIsGivenUpForAPersonOnce(@TempDir Path folder) throws Exception {
        SentLog log = SentLog.besideJournal(folder.resolve("pos-journal.jsonl"));
        log.record("pos/transactions", Json.createObjectBuilder().add("receiptId", "R-1").build(), "t-1");
        Instant between = Instant.now();
        Thread.sleep(5);
        log.record("pos/transactions", Json.createObjectBuilder().add("receiptId", "R-2").build(), "t-2");
        String gap = between.minusSeconds(60) + "/" + Instant.now();
        Resend.CatchingUp state = Resend.CatchingUp.of(null, gap);
        state.upTo = log.since(Instant.EPOCH).get(0).sentAt();
        state.setAside(redemption("R-9"), "insufficient_points: …");
        log.catchUp(state.json());
        // The engine is not reached: nothing is sent once the gap is no longer told.
        Resend resend = new Resend(new EngineClient(URI.create("http://127.0.0.1:9"), "", Duration.ofMillis(200)), log,
                Duration.ofMinutes(1), TillConfig.CATCH_UP_TIME);
        EngineClient.Reply untold = new EngineClient.Reply(200, Json.createObjectBuilder().build(), null);

        String told = resend.catchUp(untold, () -> new Till.ReplayReport(0, 0, 0, 0, List.of(), List.of(), 0, 0, null,
                null), Long.MAX_VALUE);

        assertThat(told).contains("2 earlier call(s) of this till were not recorded again after the engine's restore");
        assertThat(resend.givenUp()).hasSize(2).anySatisfy(call -> assertThat(call).contains("R-9"))
                .anySatisfy(call -> assertThat(call).contains("R-2").contains("before it was sent again"));
        assertThat(resend.catchUp(untold, () -> new Till.ReplayReport(0, 0, 0, 0, List.of(), List.of(), 0, 0, null,
                null), Long.MAX_VALUE))
                .as("once").isEmpty();
        assertThat(new Resend(null, log, Duration.ofMinutes(1), TillConfig.CATCH_UP_TIME).catchUp(untold, null,
                Long.MAX_VALUE))
                .as("settled for good").isEmpty();
    }

    @Test
    void queueStatusListsTheCallsSetAsideAfterARestoreWithWhy(@TempDir Path folder) throws Exception {
        SentLog log = SentLog.besideJournal(folder.resolve("pos-journal.jsonl"));
        Resend.CatchingUp state = Resend.CatchingUp.of(null, FIRST);
        state.setAside(redemption("R-1"), "insufficient_points: 250 points asked, 0 available");
        state.setAside(new SentLog.Sent("pos/redemptions/d-0123456789abcdef/cancel", Json.createObjectBuilder()
                .add("terminalId", "T6").build(), Instant.parse("2026-12-05T10:00:40Z"), null),
                "redemption_not_found: No redemption d-0123456789abcdef in programme DEMO");
        log.catchUp(state.json());
        Resend resend = new Resend(null, log, Duration.ofMinutes(1), TillConfig.CATCH_UP_TIME);

        assertThat(resend.setAside()).satisfiesExactly(
                call -> assertThat(call).startsWith("pos/redemptions R-1: insufficient_points").contains("tried 0"),
                call -> assertThat(call).startsWith("pos/redemptions/d-0123456789abcdef/cancel: redemption_not_found"));
        assertThat(new Resend(null, SentLog.besideJournal(folder.resolve("other.jsonl")), Duration.ofMinutes(1),
                TillConfig.CATCH_UP_TIME).setAside()).as("no restore caught up with").isEmpty();
    }

    private static SentLog.Sent redemption(String receipt) {
        return new SentLog.Sent("pos/redemptions", Json.createObjectBuilder().add("receiptId", receipt).build(),
                Instant.parse("2026-12-05T10:00:30Z"), null);
    }
}
