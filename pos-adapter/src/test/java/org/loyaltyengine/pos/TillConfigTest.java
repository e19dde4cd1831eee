package org.loyaltyengine.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loyaltyengine.pos.scan.CardImages;

/**
 * What a store's IT person sets for a till: how long it waits for the engine and the largest picture of a card it
 * reads, in the configuration file or the environment, the current values when not set; a value it cannot take
 * refused at start with the setting named, not a stack trace.
 */
class TillConfigTest {

    private static final String CARD = "2900000000018";

    @TempDir
    Path folder;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aTillNotToldOtherwiseWaitsAsItAlwaysDid() throws Exception {
        TillConfig config = TillConfig.load(null, Map.of());

        assertThat(config.budget()).isEqualTo(Duration.ofMillis(800));
        assertThat(config.replayBudget()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.catchUpTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.settleTime()).as("4 budgets").isEqualTo(Duration.ofMillis(3_200));
        assertThat(config.cardImagePixels()).isEqualTo(200_000_000L);
        assertThat(config.cardReadTime()).isEqualTo(Duration.ofMillis(1_500));
    }

    @Test
    void aLineMayComeToTenThousandOfACurrencyWithCentsAMillionYenOrWhatTheTillIsSet() throws Exception {
        assertThat(TillConfig.load(null, Map.of()).lineMaxAmount()).isEqualByComparingTo("10000");
        assertThat(TillConfig.load(null, Map.of("LOYALTY_POS_CURRENCY", "JPY")).lineMaxAmount())
                .isEqualByComparingTo("1000000");
        assertThat(TillConfig.load(null, Map.of("LOYALTY_POS_LINE_MAX_AMOUNT", "2500.50")).lineMaxAmount())
                .isEqualByComparingTo("2500.50");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> TillConfig.load(null,
                Map.of("LOYALTY_POS_LINE_MAX_AMOUNT", "-1")))).hasMessageContaining("line.max.amount");
    }

    @Test
    void theFileSetsTheTillsWaitsAndTheEnvironmentWins() throws Exception {
        Path file = Files.writeString(folder.resolve("till.properties"), """
                budget.ms = 1500
                replay.budget.ms=30000
                catch.up.ms=500
                card.image.megapixels=50
                card.read.ms=2500
                """);

        TillConfig fromFile = TillConfig.load(file, Map.of());
        assertThat(fromFile.budget()).isEqualTo(Duration.ofMillis(1_500));
        assertThat(fromFile.replayBudget()).isEqualTo(Duration.ofSeconds(30));
        assertThat(fromFile.catchUpTime()).isEqualTo(Duration.ofMillis(500));
        assertThat(fromFile.settleTime()).as("4 of the budget set").isEqualTo(Duration.ofMillis(6_000));
        assertThat(fromFile.cardImagePixels()).isEqualTo(50_000_000L);
        assertThat(fromFile.cardReadTime()).isEqualTo(Duration.ofMillis(2_500));

        TillConfig overridden = TillConfig.load(file, Map.of("LOYALTY_POS_SETTLE_MS", "2500",
                "LOYALTY_POS_CATCH_UP_MS", " 1000 ", "LOYALTY_POS_CARD_IMAGE_MEGAPIXELS", ""));
        assertThat(overridden.settleTime()).isEqualTo(Duration.ofMillis(2_500));
        assertThat(overridden.catchUpTime()).isEqualTo(Duration.ofSeconds(1));
        assertThat(overridden.cardImagePixels()).as("a blank variable leaves the file's value")
                .isEqualTo(50_000_000L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "LOYALTY_POS_BUDGET_MS | 0.8s | budget.ms (LOYALTY_POS_BUDGET_MS) is a whole number of milliseconds from 100"
                + " to 60000, not 0.8s",
        "LOYALTY_POS_BUDGET_MS | 0 | budget.ms",
        "LOYALTY_POS_REPLAY_BUDGET_MS | -1 | replay.budget.ms (LOYALTY_POS_REPLAY_BUDGET_MS) is a whole number of"
                + " milliseconds from 100 to 600000, not -1",
        "LOYALTY_POS_CATCH_UP_MS | 2s | catch.up.ms (LOYALTY_POS_CATCH_UP_MS) is a whole number of milliseconds from"
                + " 100 to 60000, not 2s",
        "LOYALTY_POS_SETTLE_MS | 99999999999999999999 | settle.ms (LOYALTY_POS_SETTLE_MS)",
        "LOYALTY_POS_CARD_IMAGE_MEGAPIXELS | 0 | card.image.megapixels (LOYALTY_POS_CARD_IMAGE_MEGAPIXELS) is a whole"
                + " number of megapixels from 1 to 10000, not 0",
        "LOYALTY_POS_CARD_READ_MS | 1.5s | card.read.ms (LOYALTY_POS_CARD_READ_MS) is a whole number of milliseconds"
                + " from 100 to 60000, not 1.5s",
    })
    void aValueTheTillCannotTakeIsRefusedAtStartNamingTheSetting(String variable, String value, String said) {
        assertThatThrownBy(() -> TillConfig.load(null, Map.of(variable, value)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(said);

        Map<String, String> environment = new HashMap<>(environment());
        environment.put(variable, value);
        assertThat(main(environment).run(new String[] {"queue", "status"})).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("loyalty-pos: " + said.split(" \\(")[0])
                .contains(said).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out.toString(StandardCharsets.UTF_8)).as("nothing done").isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "loyalty.store.lan        | it does not begin with http:// or https://",
        "localhost:8104           | it does not begin with http:// or https://",
        "http://local host:8104   | illegal character in authority",
        "ftp://loyalty.store.lan  | it does not begin with http:// or https://",
        "http://                  | expected authority",
        "https:/loyalty           | it names no host",
    })
    void anEngineUrlThatIsNoAddressIsRefusedAtStartNamingTheSetting(String url, String why) {
        Map<String, String> environment = new HashMap<>(environment());
        environment.put("LOYALTY_POS_ENGINE_URL", url);

        assertThat(main(environment).run(new String[] {"till"})).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("loyalty-pos: engine.url (LOYALTY_POS_ENGINE_URL)"
                + " is the engine's root, http:// or https:// and a host, such as http://loyalty.store.lan:8080, not "
                + url + ": " + why).doesNotContain("Exception");
        assertThat(out.toString(StandardCharsets.UTF_8)).as("nothing done").isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"http://loyalty.store.lan:8080, http://loyalty.store.lan:8080",
            "http://loyalty.store.lan:8080/api/v1, http://loyalty.store.lan:8080",
            "https://shop.example/loyalty/api/v1/, https://shop.example/loyalty",
            "HTTP://localhost:8104/, HTTP://localhost:8104/"})
    void anEngineUrlEndingInTheContractsBasePathIsTakenAsTheEnginesRoot(String url, String root) throws Exception {
        assertThat(TillConfig.load(null, Map.of("LOYALTY_POS_ENGINE_URL", url)).engineUrl()).hasToString(root);
    }

    @Test
    void aTillSetWithTheContractsBasePathLooksCardsUpAndOneSetAnywhereElseIsToldWhereItCalled() throws Exception {
        StandInEngine.Ledger ledger = new StandInEngine.Ledger();
        try (StandInEngine engine = new StandInEngine(call -> call.path().startsWith("pos/cards/")
                ? StandInEngine.Answer.of(200, ledger.card(call.path().substring("pos/cards/".length())))
                : StandInEngine.Answer.refusal(404, "not_found", "No such resource"))) {
            Map<String, String> environment = new HashMap<>(environment());
            environment.put("LOYALTY_POS_ENGINE_URL", engine.url() + "/api/v1/");
            assertThat(main(environment).run(new String[] {"lookup", CARD})).as(out + "" + err).isEqualTo(Main.OK);
            assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("DONE\t");

            out.reset();
            environment.put("LOYALTY_POS_ENGINE_URL", engine.url() + "/loyalty");
            assertThat(main(environment).run(new String[] {"lookup", CARD})).isEqualTo(Main.REFUSED);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("the engine has no such call as " + engine.url()
                    + "/loyalty/api/v1/pos/cards/" + CARD + " (404 not_found: No such resource): check engine.url"
                    + " (LOYALTY_POS_ENGINE_URL), the engine's root");
        }
    }

    @Test
    void aTillSetForSmallerPicturesRefusesALargerOneAtOnce() throws Exception {
        Path photo = folder.resolve("card-photo.png");
        ImageIO.write(enlarged(CardImages.draw(CARD, CardImages.format("code128")), 1_600, 800), "png",
                photo.toFile());

        assertThat(main(environment()).run(new String[] {"decode", photo.toString()})).as(out.toString())
                .isEqualTo(Main.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("CODE_128\t" + CARD);

        Map<String, String> smaller = new HashMap<>(environment());
        smaller.put("LOYALTY_POS_CARD_IMAGE_MEGAPIXELS", "1");
        out.reset();
        assertThat(main(smaller).run(new String[] {"decode", photo.toString()})).isEqualTo(Main.REFUSED);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("1600 × 800 pixels, more than the 1 megapixels a card's picture needs");

        assertThat(main(smaller).run(new String[] {"lookup", photo.toString()})).as("the till reads no more")
                .isEqualTo(Main.REFUSED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("more than the 1 megapixels");
    }

    @Test
    void aPictureNotReadInTheTimeSetIsRefusedAndAnotherAskedFor() throws Exception {
        // The card taken from too far: 40 pixels across, its bars run together.
        BufferedImage card = CardImages.draw(CARD, CardImages.format("code128"));
        Path photo = folder.resolve("from-afar.png");
        ImageIO.write(enlarged(enlarged(card, 40, 15), 1_600, 600), "png", photo.toFile());
        Map<String, String> hurried = new HashMap<>(environment());
        hurried.put("LOYALTY_POS_CARD_READ_MS", "100");

        assertThat(main(hurried).run(new String[] {"decode", photo.toString()})).as(out.toString())
                .isEqualTo(Main.REFUSED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("No barcode read in " + photo + " within 100 ms:"
                + " hold the card flat, closer to the camera, and scan it again");
    }

    /** A picture of {@code width} × {@code height} pixels of the card, as a phone's camera takes it. */
    private static BufferedImage enlarged(BufferedImage card, int width, int height) {
        BufferedImage photo = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = photo.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        graphics.drawImage(card, 0, 0, width, height, null);
        graphics.dispose();
        return photo;
    }

    private Map<String, String> environment() {
        return Map.of("LOYALTY_POS_ENGINE_URL", "http://127.0.0.1:9", "LOYALTY_POS_API_KEY", "key",
                "LOYALTY_POS_STORE", "S001", "LOYALTY_POS_JOURNAL", folder.resolve("pos-journal.jsonl").toString());
    }

    private Main main(Map<String, String> environment) {
        return new Main(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment);
    }
}
