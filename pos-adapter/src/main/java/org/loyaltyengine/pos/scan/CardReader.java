package org.loyaltyengine.pos.scan;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.Binarizer;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.GenericMultipleBarcodeReader;

/**
 * Reads the barcodes off a photograph or camera frame of a card, a phone screen or a receipt. ZXing at its best
 * settings: every card format at once, try-harder, inverted images (dark-mode screens), then, only when the
 * cheap attempt fails, a second binarizer, a smaller copy (blur and noise average out), a contrast stretch and
 * rotations by 45 degrees (linear barcodes read only near their axis). The first stage that reads a code ends the
 * search, and reads every code of the picture: a receipt with the card's Code 128 and a product's EAN-13, a weighed
 * item's label (an EAN-13 of the in-store range 20-29, as cards are) beside the card. Which of them is the card is
 * {@link ScannedCode#inPicture}'s to tell. Images above the reader's most pixels ({@link #MAX_PIXELS} by default, the
 * till's {@code card.image.megapixels}) are refused before they are decoded; large ones are read at a reduced size
 * (decoded subsampled, not whole in memory).
 */
public final class CardReader {

    /** The formats cards and coupons come in. */
    public static final List<BarcodeFormat> FORMATS = List.of(BarcodeFormat.EAN_13, BarcodeFormat.EAN_8,
            BarcodeFormat.UPC_A, BarcodeFormat.CODE_128, BarcodeFormat.QR_CODE, BarcodeFormat.PDF_417,
            BarcodeFormat.DATA_MATRIX);

    /**
     * The most pixels an image may have by default: a 200-megapixel phone photo. Beyond, decoding would take seconds
     * and gigabytes for nothing a card needs (a 20000 × 20000 PNG took 16 s and 2 GB).
     */
    public static final long MAX_PIXELS = 200_000_000L;

    /** The longest side an image is read at: the reader works at 1,200 pixels at most anyway. */
    private static final int READ_AT_MOST = 2_400;

    private final Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);

    /** The hints the codes around the first one found are looked for with: the same, without trying harder. */
    private final Map<DecodeHintType, Object> around = new EnumMap<>(DecodeHintType.class);

    /** The most pixels an image read may have. */
    private final long maxPixels;

    /** A reader of images of {@link #MAX_PIXELS} at most. */
    public CardReader() {
        this(MAX_PIXELS);
    }

    /**
     * A reader of images of {@code maxPixels} at most: a machine with little memory may take less, one whose camera
     * takes larger pictures more.
     *
     * @throws IllegalArgumentException {@code maxPixels} is not positive
     */
    public CardReader(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("The most pixels a card's picture may have is positive, not "
                    + maxPixels);
        }
        this.maxPixels = maxPixels;
        hints.put(DecodeHintType.POSSIBLE_FORMATS, FORMATS);
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        hints.put(DecodeHintType.ALSO_INVERTED, Boolean.TRUE);
        around.putAll(hints);
        around.remove(DecodeHintType.TRY_HARDER);
    }

    /** What was read: the format as the cashier knows it, the text, and how long decoding took. */
    public record Decoded(String format, String text, long micros) {
    }

    /**
     * The code an image file (PNG, JPEG, GIF, BMP) is read as ({@link #read(BufferedImage)}).
     *
     * @throws IOException no such file, not an image this reader knows, or of more pixels than this reader takes
     */
    public Optional<Decoded> read(Path file) throws IOException {
        return meant(readAll(file));
    }

    /**
     * Every code an image file (PNG, JPEG, GIF, BMP) shows, in the order read, each once; empty when none was read.
     *
     * @throws IOException no such file, not an image this reader knows, or of more pixels than this reader takes
     */
    public List<Decoded> readAll(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("No image file " + file);
        }
        return readAll(load(file));
    }

    /**
     * Reads an image file at {@link #READ_AT_MOST} pixels a side at most (subsampled as it is decoded), after checking
     * its size from its header.
     *
     * @throws IOException not an image this reader knows, or of more pixels than this reader takes
     */
    private BufferedImage load(Path file) throws IOException {
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) {
                throw new IOException(file + " is not an image this reader knows (PNG, JPEG, GIF, BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > maxPixels) {
                    throw new IOException(file + " is " + width + " × " + height + " pixels, more than the "
                            + megapixels() + " megapixels a card's picture needs: take it again smaller");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = (Math.max(width, height) + READ_AT_MOST - 1) / READ_AT_MOST;
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                return reader.read(0, param);
            } catch (RuntimeException e) {
                throw new IOException(file + " is not an image this reader can read: " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }

    /** The most pixels an image may have, in megapixels as people say them (0.5, 200). */
    private String megapixels() {
        return BigDecimal.valueOf(maxPixels, 6).stripTrailingZeros().toPlainString();
    }

    /**
     * The code an image is read as: the loyalty card among its codes ({@link ScannedCode#inPicture}); the first code
     * read when none is a card. Empty when no code was read, or when several cards were that cannot be told apart
     * ({@link #readAll} gives them).
     */
    public Optional<Decoded> read(BufferedImage image) {
        return meant(readAll(image));
    }

    /** Every code an image shows, in the order read, each once; empty when none was read. */
    public List<Decoded> readAll(BufferedImage image) {
        long started = System.nanoTime();
        BufferedImage working = Math.max(image.getWidth(), image.getHeight()) > 1_200
                ? scaled(image, 1_200.0 / Math.max(image.getWidth(), image.getHeight())) : image;
        LuminanceSource source = new BufferedImageLuminanceSource(working);
        // Cheapest first; every later stage runs only when the ones before it found nothing.
        List<Supplier<Binarizer>> stages = new ArrayList<>(List.of(
                () -> new HybridBinarizer(source),
                // Light bars on a dark screen: the hint covers only some readers, so every reader gets it inverted.
                () -> new HybridBinarizer(source.invert()),
                // Blur and noise average out on a smaller copy.
                () -> new HybridBinarizer(new BufferedImageLuminanceSource(scaled(working, 0.5))),
                () -> new GlobalHistogramBinarizer(source),
                () -> new HybridBinarizer(new BufferedImageLuminanceSource(stretched(working))),
                () -> new HybridBinarizer(new BufferedImageLuminanceSource(sharpened(working)))));
        // Stacked codes (PDF417) and linear codes far off their axis: turn the picture, the corners it opens
        // filled with the picture's own edge grey (white corners on a dark photo make edges of their own).
        int background = edgeGrey(working);
        for (int degrees : new int[] {15, -15, 30, -30, 45, -45, 60, -60, 75, -75}) {
            stages.add(() -> new HybridBinarizer(new BufferedImageLuminanceSource(rotated(working, degrees,
                    background))));
        }
        List<Result> found = List.of();
        for (Supplier<Binarizer> stage : stages) {
            found = everyCode(stage.get());
            if (!found.isEmpty()) {
                // A product scanned by mistake is refused at once, not after every stage looked for a card.
                break;
            }
        }
        long micros = (System.nanoTime() - started) / 1_000;
        List<Decoded> codes = new ArrayList<>();
        for (Result result : found) {
            if (codes.stream().noneMatch(code -> code.text().equals(result.getText()))) {
                codes.add(new Decoded(formatName(result), result.getText(), micros));
            }
        }
        return codes;
    }

    /**
     * Every code one stage sees: the first one found (at the reader's best), then the others around it (ZXing's
     * multiple reader looks again beside, above and below each code found, without trying harder: with it, a picture
     * of one card took three times as long); none when it finds none.
     */
    private List<Result> everyCode(Binarizer binarizer) {
        BinaryBitmap bitmap = new BinaryBitmap(binarizer);
        List<Result> found = new ArrayList<>();
        try {
            found.add(new MultiFormatReader().decode(bitmap, hints));
        } catch (NotFoundException e) {
            return found;
        }
        try {
            found.addAll(List.of(new GenericMultipleBarcodeReader(new MultiFormatReader()).decodeMultiple(bitmap,
                    around)));
        } catch (NotFoundException e) {
            // The one found is all there is.
        }
        return found;
    }

    /**
     * The code among a picture's {@code codes} ({@link #readAll}) that {@link ScannedCode#inPicture} takes; empty when
     * there is none, or it takes none (several cards).
     */
    public static Optional<Decoded> meant(List<Decoded> codes) {
        if (codes.isEmpty()) {
            return Optional.empty();
        }
        List<ScannedCode> scanned = codes.stream().map(code -> ScannedCode.classify(code.text(), code.format()))
                .toList();
        int at = scanned.indexOf(ScannedCode.inPicture(scanned));
        return at < 0 ? Optional.empty() : Optional.of(codes.get(at));
    }

    /** The mean grey of the picture's outermost pixels: what lies beyond its edges, as far as can be told. */
    private static int edgeGrey(BufferedImage image) {
        BufferedImage grey = image.getType() == BufferedImage.TYPE_BYTE_GRAY ? image : scaled(image, 1.0);
        var raster = grey.getRaster();
        int width = grey.getWidth();
        int height = grey.getHeight();
        long sum = 0;
        long count = 0;
        for (int x = 0; x < width; x++) {
            sum += raster.getSample(x, 0, 0) + raster.getSample(x, height - 1, 0);
            count += 2;
        }
        for (int y = 0; y < height; y++) {
            sum += raster.getSample(0, y, 0) + raster.getSample(width - 1, y, 0);
            count += 2;
        }
        return (int) (sum / count);
    }

    private static String formatName(Result result) {
        Object symbology = result.getResultMetadata() == null ? null
                : result.getResultMetadata().get(ResultMetadataType.SYMBOLOGY_IDENTIFIER);
        if (result.getBarcodeFormat() == BarcodeFormat.CODE_128 && "]C1".equals(symbology)) {
            return "GS1-128";
        }
        if (result.getBarcodeFormat() == BarcodeFormat.DATA_MATRIX && "]d2".equals(symbology)) {
            return "GS1_DATA_MATRIX";
        }
        return result.getBarcodeFormat().name();
    }

    private static BufferedImage scaled(BufferedImage image, double factor) {
        int width = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int height = Math.max(1, (int) Math.round(image.getHeight() * factor));
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    /** Stretches the grey levels to the full range: low-contrast, badly lit photos. */
    private static BufferedImage stretched(BufferedImage image) {
        BufferedImage grey = scaled(image, 1.0);
        int min = 255;
        int max = 0;
        var raster = grey.getRaster();
        int[] pixel = new int[1];
        for (int y = 0; y < grey.getHeight(); y++) {
            for (int x = 0; x < grey.getWidth(); x++) {
                int v = raster.getPixel(x, y, pixel)[0];
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (max - min < 8) {
            return grey;
        }
        for (int y = 0; y < grey.getHeight(); y++) {
            for (int x = 0; x < grey.getWidth(); x++) {
                int v = raster.getPixel(x, y, pixel)[0];
                pixel[0] = (v - min) * 255 / (max - min);
                raster.setPixel(x, y, pixel);
            }
        }
        return grey;
    }

    /** Sharpens edges (a Laplacian kernel): blurred, out-of-focus photos. */
    private static BufferedImage sharpened(BufferedImage image) {
        BufferedImage grey = scaled(image, 1.0);
        float[] kernel = {0, -1, 0, -1, 5, -1, 0, -1, 0};
        return new java.awt.image.ConvolveOp(new java.awt.image.Kernel(3, 3, kernel),
                java.awt.image.ConvolveOp.EDGE_NO_OP, null).filter(grey, null);
    }

    private static BufferedImage rotated(BufferedImage image, int degrees, int background) {
        double radians = Math.toRadians(degrees);
        double sin = Math.abs(Math.sin(radians));
        double cos = Math.abs(Math.cos(radians));
        int width = (int) Math.ceil(image.getWidth() * cos + image.getHeight() * sin);
        int height = (int) Math.ceil(image.getHeight() * cos + image.getWidth() * sin);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        g.setColor(new java.awt.Color(background, background, background));
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        AffineTransform transform = new AffineTransform();
        transform.translate(width / 2.0, height / 2.0);
        transform.rotate(radians);
        transform.translate(-image.getWidth() / 2.0, -image.getHeight() / 2.0);
        g.drawImage(image, transform, null);
        g.dispose();
        return out;
    }
}
