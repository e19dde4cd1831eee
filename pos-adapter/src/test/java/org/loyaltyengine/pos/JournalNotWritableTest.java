package org.loyaltyengine.pos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A till that cannot write its journal (a folder not the till's to write, a disk full), the engine out of reach: the
 * cashier was shown a bare file name ({@code loyalty-pos: /x/pos-journal.jsonl.lock}) or "No space left on device",
 * and not told that the sale was not saved. Now the till says so at start, naming the setting, and a sale it cannot
 * keep is refused, the cashier told its points will not be credited. (The tests run as any user, root too: the
 * journal is made unwritable by what stands in its way, not by permissions root ignores.)
 */
class JournalNotWritableTest {

    @TempDir
    Path folder;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aTillThatCannotWriteItsJournalSaysSoAtStartNamingTheSetting() throws Exception {
        Path notAFolder = Files.writeString(folder.resolve("journals"), "a file where the folder should be");
        Path journal = notAFolder.resolve("pos-journal.jsonl");

        int exit = main(journal, "2900000000018\nCOF-250 coffee 2 4.50\npay\nquit\n").run(new String[] {"till"});

        assertThat(exit).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("loyalty-pos: the till cannot write its journal, ")
                .contains(notAFolder.toString())
                .contains("set journal (LOYALTY_POS_JOURNAL) to a file in a folder the till can write");
        assertThat(out.toString(StandardCharsets.UTF_8)).as("no sale rung up").isEmpty();
    }

    @Test
    void aSaleTheJournalCannotTakeIsRefusedAndTheCashierToldItsPointsWillNotBeCredited() throws Exception {
        Path journal = folder.resolve("pos-journal.jsonl");
        Till till = new Till(new TillConfig(URI.create("http://127.0.0.1:9"), "key", "S001", "T1", "EUR",
                Duration.ofMillis(300), journal));
        // Broken after the till started: the lock file beside the journal cannot be opened for writing.
        Files.createDirectories(folder.resolve("pos-journal.jsonl.lock"));

        Till.Outcome outcome = till.sale(StandInEngine.CARD, "R-1", StandInEngine.BASKET, 0);

        assertThat(outcome.status()).isEqualTo(Till.Status.REFUSED);
        assertThat(outcome.message()).startsWith("NOT saved: the points of receipt R-1 will not be credited; the till"
                + " cannot write " + folder.toRealPath().resolve("pos-journal.jsonl.lock") + ": ")
                .contains("LOYALTY_POS_JOURNAL");
        assertThat(journal).doesNotExist();
    }

    private Main main(Path journal, String typed) {
        return new Main(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("LOYALTY_POS_ENGINE_URL", "http://127.0.0.1:9", "LOYALTY_POS_API_KEY", "key",
                        "LOYALTY_POS_STORE", "S001", "LOYALTY_POS_BUDGET_MS", "300",
                        "LOYALTY_POS_JOURNAL", journal.toString()));
    }
}
