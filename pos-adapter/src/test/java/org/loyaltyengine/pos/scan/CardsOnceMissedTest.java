package org.loyaltyengine.pos.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.time.Duration;
import java.util.Arrays;

import com.google.zxing.BarcodeFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pictures of cards the till once missed or was slow on, drawn with ZXing's writers: a receipt photographed askew,
 * its card's Code 128 beside a product's EAN-13 and a survey's QR (refused as "Not a loyalty card" for the QR, or
 * "Nothing was read" for a Code 128 of no text); a Data Matrix card away from the picture's centre (never read); a
 * blurred picture (8 s before "No barcode found"). What is read is read with time to spare (the machine running the
 * tests may be busy with others); how long the till reads a picture is tested on its own.
 */
class CardsOnceMissedTest {

    private static final String CARD = "2900000000018";

    /** A reader given the time to try every stage: what it can read, not how fast. */
    private final CardReader patient = new CardReader(CardReader.MAX_PIXELS, Duration.ofSeconds(30));

    @ParameterizedTest(name = "turned {0} degrees")
    @ValueSource(ints = {25, 30, 35, 40, -30})
    void aReceiptPhotographedAskewGivesItsCardNotItsSurveyQr(int degrees) {
        BufferedImage photo = turned(receipt(true), degrees);

        CardReader.Reading reading = patient.reading(photo);

        assertThat(reading.scanned("receipt.jpg").text()).as(reading.toString()).isEqualTo(CARD);
        assertThat(reading.codes()).extracting(CardReader.Decoded::text).doesNotContain("");
    }

    @ParameterizedTest(name = "turned {0} degrees")
    @ValueSource(ints = {25, 30, 35, 40})
    void aReceiptWithoutItsQrPhotographedAskewGivesItsCardNotNothing(int degrees) {
        CardReader.Reading reading = patient.reading(turned(receipt(false), degrees));

        ScannedCode scanned = reading.scanned("receipt.jpg");
        assertThat(scanned.isCard()).as(scanned.reason()).isTrue();
        assertThat(reading.codes()).extracting(CardReader.Decoded::text).doesNotContain("");
    }

    @ParameterizedTest(name = "{0} pixels at {1}, {2}")
    @CsvSource({"300, 60, 60", "300, 1240, 840", "300, 1240, 60", "220, 60, 900", "450, 1100, 700"})
    void aDataMatrixCardAwayFromThePicturesCentreIsRead(int size, int x, int y) {
        BufferedImage photo = new BufferedImage(1600, 1200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = photo.createGraphics();
        g.setColor(new Color(235, 235, 230));
        g.fillRect(0, 0, photo.getWidth(), photo.getHeight());
        // The card's design at the picture's centre, where ZXing's Data Matrix detector begins.
        g.setColor(new Color(90, 90, 110));
        g.fillRect(650, 500, 300, 160);
        g.drawImage(CardImages.draw(CARD, BarcodeFormat.DATA_MATRIX), x, y, size, size, null);
        g.dispose();

        assertThat(CardReader.meant(patient.readAll(photo))).map(CardReader.Decoded::text).contains(CARD);
    }

    @Test
    void aBlurredPictureIsRefusedWithinTheReadTimeAndTheCashierAskedForAnother() {
        BufferedImage blurred = blurred(turned(onCard(CardImages.draw(CARD, BarcodeFormat.CODE_128)), 30), 15);
        // A read time the stages always run (the picture as it is, and cleaned) outlast on any machine: a fast one
        // read every stage of this picture within 500 ms and never came to the time.
        CardReader reader = new CardReader(CardReader.MAX_PIXELS, Duration.ofMillis(1));

        long began = System.nanoTime();
        CardReader.Reading reading = reader.reading(blurred);
        long millis = (System.nanoTime() - began) / 1_000_000;

        assertThat(reading.outOfTime()).as(reading.toString()).isTrue();
        assertThat(reading.stagesTried()).as("the stages always run, not the crops and turns after them")
                .isLessThan(patient.reading(blurred).stagesTried());
        assertThat(millis).as("the stage under way is finished, no other begun").isLessThan(3_000);
        ScannedCode scanned = reading.scanned("blurred.jpg");
        assertThat(scanned.isCard()).isFalse();
        assertThat(scanned.reason()).isEqualTo("No barcode read in blurred.jpg within 1 ms: hold the card flat,"
                + " closer to the camera, and scan it again");
    }

    @Test
    void aProductAloneIsRefusedForWhatItIsWhenEveryStageWasTried() {
        CardReader.Reading reading = patient.reading(onCard(CardImages.draw("4006381333931", BarcodeFormat.EAN_13)));

        assertThat(reading.outOfTime()).isFalse();
        assertThat(reading.scanned("product.png").reason()).isEqualTo("This is a product barcode (4006381333931),"
                + " not a loyalty card");
    }

    /** A till's receipt: a product's EAN-13, the card's Code 128 below it, and a survey's QR when asked. */
    private static BufferedImage receipt(boolean withSurvey) {
        BufferedImage receipt = new BufferedImage(600, 1100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = receipt.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, receipt.getWidth(), receipt.getHeight());
        g.drawImage(CardImages.draw("4006381333931", BarcodeFormat.EAN_13), 60, 20, null);
        g.drawImage(CardImages.draw(CARD, BarcodeFormat.CODE_128), 60, 300, null);
        if (withSurvey) {
            g.drawImage(CardImages.draw("https://survey.example.com/r/S001-R-T1-1764930000000-1",
                    BarcodeFormat.QR_CODE), 150, 600, null);
        }
        g.dispose();
        return receipt;
    }



    private static BufferedImage blurred(BufferedImage image, int radius) {
        int size = radius * 2 + 1;
        float[] kernel = new float[size * size];
        Arrays.fill(kernel, 1f / kernel.length);
        return new ConvolveOp(new Kernel(size, size, kernel), ConvolveOp.EDGE_NO_OP, null).filter(image, null);
    }

    private static BufferedImage turned(BufferedImage image, double degrees) {
        return Photos.turned(image, degrees, new Color(200, 200, 195));
    }

    private static BufferedImage onCard(BufferedImage barcode) {
        return Photos.onCard(barcode);
    }
}
