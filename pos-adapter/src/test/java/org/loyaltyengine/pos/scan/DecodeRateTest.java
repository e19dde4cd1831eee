package org.loyaltyengine.pos.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import com.google.zxing.BarcodeFormat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Card barcodes drawn with ZXing's writers in every format, then degraded the way photographs of cards and
 * phone screens are (rotation, perspective, blur, noise, low contrast, inversion, JPEG compression, all at
 * once), and read back. The decode rate and median time per degradation go to target/decode-report.txt.
 */
class DecodeRateTest {

    private static final int SAMPLES = 6;
    private static final Map<String, Result> RESULTS = new LinkedHashMap<>();
    private static final Map<String, List<Long>> TIMES = new LinkedHashMap<>();

    record Result(int decoded, int total, long medianMicros) {
        double rate() {
            return 100.0 * decoded / total;
        }
    }

    @BeforeAll
    static void decodeEverything() throws IOException, InterruptedException, ExecutionException {
        Random random = new Random(7);
        Map<String, UnaryOperator<BufferedImage>> degradations = new LinkedHashMap<>();
        degradations.put("clean", image -> image);
        degradations.put("rotated 90", image -> rotate(image, 90));
        degradations.put("rotated 180", image -> rotate(image, 180));
        degradations.put("rotated 20", image -> rotate(image, 20));
        degradations.put("rotated 45", image -> rotate(image, 45));
        degradations.put("perspective", DecodeRateTest::perspective);
        degradations.put("blurred", image -> blur(image, 3));
        degradations.put("noisy", image -> noise(image, 45, random));
        degradations.put("low contrast", image -> contrast(image, 110, 160));
        degradations.put("inverted (dark mode)", DecodeRateTest::invert);
        degradations.put("JPEG quality 0.2", image -> jpeg(image, 0.2f));
        degradations.put("photo: 8 deg, blur, noise, dim, JPEG", image -> jpeg(contrast(noise(blur(rotate(
                image, 8), 2), 25, random), 60, 190), 0.5f));
        // Every stage tried, however busy the machine running the tests: the rates are what the reader can read;
        // the median times say how many of them a till reads within its read time (1.5 s by default).
        CardReader reader = new CardReader(CardReader.MAX_PIXELS, Duration.ofSeconds(30));
        Map<BarcodeFormat, List<String>> samples = samples(random);
        // The pictures are made in order (the random draws, and so the pictures, are those of every run); they are
        // read on every core, as a till's reads are independent of each other.
        ExecutorService readers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            for (Map.Entry<String, UnaryOperator<BufferedImage>> degradation : degradations.entrySet()) {
                for (Map.Entry<BarcodeFormat, List<String>> format : samples.entrySet()) {
                    List<Future<Optional<CardReader.Decoded>>> reads = new ArrayList<>();
                    for (String text : format.getValue()) {
                        BufferedImage image = degradation.getValue().apply(onCard(CardImages.draw(text,
                                format.getKey())));
                        reads.add(readers.submit(() -> reader.read(image)));
                    }
                    int decoded = 0;
                    List<Long> times = new ArrayList<>();
                    for (int i = 0; i < reads.size(); i++) {
                        Optional<CardReader.Decoded> result = reads.get(i).get();
                        if (result.isPresent() && result.get().text().equals(format.getValue().get(i))) {
                            decoded++;
                        }
                        times.add(result.map(CardReader.Decoded::micros).orElse(0L));
                        result.ifPresent(found -> TIMES.computeIfAbsent(degradation.getKey(),
                                k -> new ArrayList<>()).add(found.micros()));
                    }
                    times.sort(Long::compare);
                    RESULTS.put(degradation.getKey() + " | " + format.getKey(),
                            new Result(decoded, format.getValue().size(), times.get(times.size() / 2)));
                }
            }
        } finally {
            readers.shutdownNow();
        }
        StringBuilder report = new StringBuilder(String.format("%-40s %-12s %8s %14s%n", "degradation", "format",
                "decoded", "median decode"));
        Map<String, int[]> perDegradation = new LinkedHashMap<>();
        RESULTS.forEach((key, result) -> {
            String[] parts = key.split(" \\| ");
            report.append(String.format("%-40s %-12s %7.0f%% %11d us%n", parts[0], parts[1], result.rate(),
                    result.medianMicros()));
            int[] sums = perDegradation.computeIfAbsent(parts[0], k -> new int[2]);
            sums[0] += result.decoded();
            sums[1] += result.total();
        });
        report.append("\nPer degradation, all formats:\n");
        perDegradation.forEach((name, sums) -> {
            List<Long> all = new ArrayList<>(TIMES.getOrDefault(name, List.of(0L)));
            all.sort(Long::compare);
            report.append(String.format("%-40s %7.0f%% (%d/%d), median decode %.1f ms%n", name,
                    100.0 * sums[0] / sums[1], sums[0], sums[1], all.get(all.size() / 2) / 1000.0));
        });
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "decode-report.txt"), report);
        System.out.println(report);
    }

    @Test
    void everyFormatDecodesCleanRotatedAndInverted() {
        for (String degradation : List.of("clean", "rotated 90", "rotated 180", "inverted (dark mode)")) {
            assertThat(rate(degradation)).as(degradation).isEqualTo(100.0);
        }
    }

    @Test
    void photographsOfCardsAndScreensStillDecodeMostOfTheTime() {
        assertThat(rate("blurred")).isGreaterThanOrEqualTo(75.0);
        assertThat(rate("noisy")).isGreaterThanOrEqualTo(90.0);
        assertThat(rate("low contrast")).isGreaterThanOrEqualTo(95.0);
        assertThat(rate("JPEG quality 0.2")).isGreaterThanOrEqualTo(95.0);
        assertThat(rate("perspective")).isGreaterThanOrEqualTo(90.0);
        assertThat(rate("rotated 20")).isGreaterThanOrEqualTo(90.0);
        assertThat(rate("rotated 45")).isGreaterThanOrEqualTo(90.0);
        assertThat(rate("photo: 8 deg, blur, noise, dim, JPEG")).isGreaterThanOrEqualTo(80.0);
    }

    private static double rate(String degradation) {
        int decoded = 0;
        int total = 0;
        for (Map.Entry<String, Result> entry : RESULTS.entrySet()) {
            if (entry.getKey().startsWith(degradation + " | ")) {
                decoded += entry.getValue().decoded();
                total += entry.getValue().total();
            }
        }
        return 100.0 * decoded / total;
    }

    private static Map<BarcodeFormat, List<String>> samples(Random random) {
        Map<BarcodeFormat, List<String>> samples = new LinkedHashMap<>();
        List<String> cards = new ArrayList<>();
        List<String> eight = new ArrayList<>();
        List<String> upc = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            cards.add(withCheckDigit("29" + String.format("%010d", Math.abs(random.nextLong()) % 10_000_000_000L)));
            eight.add(withCheckDigit(String.format("%07d", random.nextInt(10_000_000))));
            upc.add(withCheckDigit(String.format("%011d", Math.abs(random.nextLong()) % 100_000_000_000L)));
        }
        samples.put(BarcodeFormat.EAN_13, cards);
        samples.put(BarcodeFormat.EAN_8, eight);
        samples.put(BarcodeFormat.UPC_A, upc);
        samples.put(BarcodeFormat.CODE_128, cards);
        samples.put(BarcodeFormat.QR_CODE, cards);
        samples.put(BarcodeFormat.PDF_417, cards);
        samples.put(BarcodeFormat.DATA_MATRIX, cards);
        return samples;
    }

    private static String withCheckDigit(String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int digit = body.charAt(body.length() - 1 - i) - '0';
            sum += i % 2 == 0 ? digit * 3 : digit;
        }
        return body + (10 - sum % 10) % 10;
    }



    /** A card held at an angle to the camera: sheared and squeezed on one axis. */
    private static BufferedImage perspective(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth() + image.getHeight() / 3, image.getHeight(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(235, 235, 230));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        AffineTransform transform = new AffineTransform(0.92, 0.06, 0.22, 0.85, 0, 0);
        g.drawImage(image, transform, null);
        g.dispose();
        return out;
    }

    private static BufferedImage blur(BufferedImage image, int radius) {
        int size = radius * 2 + 1;
        float[] kernel = new float[size * size];
        java.util.Arrays.fill(kernel, 1f / kernel.length);
        BufferedImage rgb = copy(image);
        return new ConvolveOp(new Kernel(size, size, kernel), ConvolveOp.EDGE_NO_OP, null).filter(rgb, null);
    }

    private static BufferedImage noise(BufferedImage image, int sigma, Random random) {
        BufferedImage out = copy(image);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int grey = out.getRGB(x, y) & 0xff;
                int value = Math.max(0, Math.min(255, grey + (int) (random.nextGaussian() * sigma)));
                out.setRGB(x, y, new Color(value, value, value).getRGB());
            }
        }
        return out;
    }

    private static BufferedImage contrast(BufferedImage image, int low, int high) {
        BufferedImage out = copy(image);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int grey = out.getRGB(x, y) & 0xff;
                int value = low + grey * (high - low) / 255;
                out.setRGB(x, y, new Color(value, value, value).getRGB());
            }
        }
        return out;
    }

    private static BufferedImage invert(BufferedImage image) {
        BufferedImage out = copy(image);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, ~out.getRGB(x, y) | 0xff000000);
            }
        }
        return out;
    }

    private static BufferedImage jpeg(BufferedImage image, float quality) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(stream);
                writer.write(null, new IIOImage(copy(image), null, null), param);
            }
            writer.dispose();
            return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    private static BufferedImage rotate(BufferedImage image, double degrees) {
        return Photos.turned(image, degrees, new Color(235, 235, 230));
    }

    private static BufferedImage onCard(BufferedImage barcode) {
        return Photos.onCard(barcode);
    }
}
