package org.loyaltyengine.pos.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.loyaltyengine.pos.Till;
import org.loyaltyengine.pos.TillConfig;

/**
 * Pictures a cashier was refused on (src/test/resources/cards, the card number beside each picture): a receipt with
 * the card's Code 128 below a product's EAN-13, a dim, blurred photo turned 35 degrees on a grey table, a GS1-128
 * card (AI 01), a weighed item's label (an EAN-13 of the in-store range 20-29, as cards are) above the card in
 * Code 128 or in EAN-13. Pictures of two cards (src/test/resources/several-cards, the cards beside each), which the
 * till refuses, asking for the card alone. And a picture too large to decode, refused from its header at once.
 */
class CardPicturesTest {

    @TempDir
    Path folder;

    static Stream<Path> pictures() throws IOException {
        return Files.list(Path.of("src/test/resources/cards")).filter(file -> !file.toString().endsWith(".txt"))
                .sorted();
    }

    @ParameterizedTest
    @MethodSource("pictures")
    void theCardIsReadFromThePicture(Path picture) throws IOException {
        String name = picture.getFileName().toString();
        String expected = Files.readString(picture.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".txt"))
                .strip();
        // Read with time to spare: the machine running the tests may be busy with others (CardsOnceMissedTest
        // tests the till's read time on its own).
        CardReader.Decoded decoded = new CardReader(CardReader.MAX_PIXELS, Duration.ofSeconds(30)).read(picture)
                .orElseThrow();
        ScannedCode code = ScannedCode.classify(decoded.text(), decoded.format());
        assertThat(code.isCard()).as(decoded + ": " + code.reason()).isTrue();
        assertThat(code.text()).isEqualTo(expected);
    }

    static Stream<Path> severalCards() throws IOException {
        return Files.list(Path.of("src/test/resources/several-cards")).filter(file -> !file.toString()
                .endsWith(".txt")).sorted();
    }

    @ParameterizedTest
    @MethodSource("severalCards")
    void aPictureOfSeveralCardsIsRefusedAndTheCardAskedForAlone(Path picture) throws IOException {
        String name = picture.getFileName().toString();
        String[] cards = Files.readString(picture.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".txt"))
                .strip().split(" ");
        Till till = new Till(new TillConfig(URI.create("http://127.0.0.1:9"), "key", "S001", "T1", "EUR",
                Duration.ofMillis(300), folder.resolve("pos-journal.jsonl")));

        ScannedCode code = till.scan(picture.toString());

        assertThat(code.isCard()).as(code.text()).isFalse();
        assertThat(code.reason()).contains(cards).contains("scan the card alone");
    }

    @Test
    void aGs1128CardScannedByAWedgeScannerIsACard() {
        assertThat(ScannedCode.fromScanner("]C10102900000000018").text()).isEqualTo("2900000000018");
        assertThat(ScannedCode.fromScanner("]C14142900000000018").isCard()).isTrue();
        assertThat(ScannedCode.fromScanner("]C10104006381333931").kind()).isEqualTo(ScannedCode.Kind.PRODUCT);
    }

    @Test
    void aPictureOf400MegapixelsIsRefusedFromItsHeaderAtOnce() throws IOException {
        Path bomb = folder.resolve("bomb.png");
        Files.write(bomb, pngHeader(20_000, 20_000));
        long began = System.nanoTime();
        assertThatThrownBy(() -> new CardReader().read(bomb)).isInstanceOf(IOException.class)
                .hasMessageContaining("20000 × 20000 pixels").hasMessageContaining("megapixels");
        assertThat((System.nanoTime() - began) / 1_000_000).isLessThan(1_000);
    }

    /** A PNG's signature and header (1-bit grey, of the given size) with an empty image: all a reader looks at first. */
    private static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream ihdr = new DataOutputStream(header);
        ihdr.writeInt(width);
        ihdr.writeInt(height);
        ihdr.write(new byte[] {1, 0, 0, 0, 0});
        chunk(out, "IHDR", header.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.write(name);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
