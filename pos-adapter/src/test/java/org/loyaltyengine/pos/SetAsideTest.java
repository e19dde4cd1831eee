package org.loyaltyengine.pos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltyengine.pos.journal.Journal;

/**
 * When a queued sale the engine failed on is tried again by itself: spaced from its last try whatever came of it,
 * twice as long after each, 10 minutes apart at most, for a day after it was set aside.
 */
class SetAsideTest {

    private static final Duration EVERY = Duration.ofSeconds(60);
    private static final Instant SET_ASIDE = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path folder;

    @Test
    void triesAreSpacedTwiceAsLongAfterEachTenMinutesAtMostWhateverCameOfThem() throws Exception {
        Till till = till();
        setAside(1, SET_ASIDE);
        assertThat(till.setAsideDue(SET_ASIDE.plusSeconds(59))).isEmpty();
        assertThat(till.setAsideDue(SET_ASIDE.plusSeconds(60))).hasSize(1);

        Instant tried = SET_ASIDE.plusSeconds(61);
        triedAgain(1, tried, true);
        assertThat(till.setAsideDue(tried.plusSeconds(119))).isEmpty();
        assertThat(till.setAsideDue(tried.plusSeconds(120))).hasSize(1);

        // No answer at all is a try too: the spacing goes on doubling.
        tried = tried.plusSeconds(120);
        triedAgain(1, tried, false);
        assertThat(till.setAsideDue(tried.plusSeconds(239))).isEmpty();
        assertThat(till.setAsideDue(tried.plusSeconds(240))).hasSize(1);
        for (int more = 0; more < 5; more++) {
            triedAgain(1, tried, true);
        }
        assertThat(till.setAsideDue(tried.plusSeconds(599))).as("10 minutes at most").isEmpty();
        assertThat(till.setAsideDue(tried.plusSeconds(600))).hasSize(1);
        assertThat(till.journal().entries().get(0).triesAgain()).isEqualTo(7);
    }

    @Test
    void aSaleSetAsideIsTriedForADayAndAtOnceWhenTheClockWentBack() throws Exception {
        Till till = till();
        setAside(1, SET_ASIDE);
        triedAgain(1, SET_ASIDE.plus(Duration.ofHours(23)), true);
        assertThat(till.setAsideDue(SET_ASIDE.plus(Duration.ofHours(23)).plusSeconds(120))).hasSize(1);
        assertThat(till.setAsideDue(SET_ASIDE.plus(Duration.ofHours(24)))).as("left to a person").isEmpty();
        assertThat(till.setAsideDue(SET_ASIDE.minusSeconds(3600))).as("the clock went back").hasSize(1);
    }

    private Till till() {
        return new Till(new TillConfig(URI.create("http://127.0.0.1:9"), "key", "S001", "T1", "EUR",
                Duration.ofMillis(800), folder.resolve("pos-journal.jsonl"), TillConfig.KEEP_SENT, EVERY));
    }

    /** A sale queued, then set aside at {@code at}, as the till writes them. */
    private void setAside(long seq, Instant at) throws Exception {
        write(Json.createObjectBuilder().add("seq", seq).add("receipt", "S001/R-" + seq)
                .add("queuedAt", at.minusSeconds(600).toString()).add("body", Json.createObjectBuilder()
                        .add("receiptId", "R-" + seq)));
        write(Json.createObjectBuilder().add("seq", seq).add("state", "REFUSED").add("note", "set aside")
                .add("at", at.toString()).add("setAside", true).add("failedByEngine", true));
    }

    private void triedAgain(long seq, Instant at, boolean failedByEngine) throws Exception {
        JsonObjectBuilder mark = Json.createObjectBuilder().add("seq", seq).add("state", "REFUSED")
                .add("note", "tried again").add("at", at.toString()).add("setAside", true).add("triedAgain", true);
        if (failedByEngine) {
            mark.add("failedByEngine", true);
        }
        write(mark);
    }

    private void write(JsonObjectBuilder line) throws Exception {
        Files.writeString(folder.resolve("pos-journal.jsonl"), line.build() + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertThat(new Journal(folder.resolve("pos-journal.jsonl")).entries()).isNotEmpty();
    }
}
