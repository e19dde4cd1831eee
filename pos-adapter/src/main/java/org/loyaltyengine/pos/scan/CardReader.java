package org.loyaltyengine.pos.scan;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * settings: every card format at once, try-harder, inverted images (dark-mode screens); then, only while no card is
 * among the codes read, overlapping crops of the picture (ZXing looks for a Data Matrix from the picture's centre
 * outwards, and missed one in a corner), an inverted copy, a smaller copy (blur and noise average out), a second
 * binarizer, a contrast stretch, a sharpened copy and rotations by 15 to 75 degrees (linear barcodes read only near
 * their axis); the rotations before the copies when the picture as it is gave codes but no card. Each stage reads
 * every code of the picture it can: a receipt with the card's Code 128, a product's EAN-13 and a survey's QR, a
 * weighed item's label (an EAN-13 of the in-store range 20-29, as cards are) beside the card. What the stages read is
 * put together, a code with no text (ZXing reads one now and then off a tilted Code 128) left out; the search ends at
 * the first stage after which a card is among them: a receipt turned 30 degrees once gave only its QR at the first
 * stage, and the card's Code 128 only at a rotation. Which of them is the card is {@link ScannedCode#inPicture}'s to
 * tell. The stages stop at the reader's read time ({@link #READ_TIME} by default, the till's {@code card.read.ms}):
 * a blurred picture held the till 8 s before "no barcode found", and the cashier does better to take it again
 * ({@link Reading#outOfTime}). Images above the reader's most pixels ({@link #MAX_PIXELS} by default, the till's
 * {@code card.image.megapixels}) are refused before they are decoded; large ones are read at a reduced size
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

    /**
     * The longest a picture is read for by default: a cashier would rather take a blurred or tilted picture again
     * than wait. Pictures a till reads at all are read in well under a second (DecodeRateTest's report).
     */
    public static final Duration READ_TIME = Duration.ofMillis(1_500);

    /**
     * The finest grid crops of a picture are centred on ({@link #inCrop}): 5 × 5, a Data Matrix a seventh of the
     * picture's width and more is read wherever it is (2 × 2 to 5 × 5: 54 crops).
     */
    private static final int CROP_GRID_AT_MOST = 5;

    /**
     * The only format the crops of a picture are read for: the one whose detector looks from the centre. Not inverted
     * as well: that doubled the crops' time on a noisy photo (200 ms to 400), for a dark screen's code off its centre.
     */
    private static final Map<DecodeHintType, Object> IN_CROPS = new EnumMap<>(Map.of(
            DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.DATA_MATRIX), DecodeHintType.TRY_HARDER,
            Boolean.TRUE));

    /** The longest side an image is read at: the reader works at 1,200 pixels at most anyway. */
    private static final int READ_AT_MOST = 2_400;

    private final Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);

    /** The hints the codes around the first one found are looked for with: the same, without trying harder. */
    private final Map<DecodeHintType, Object> around = new EnumMap<>(DecodeHintType.class);

    /** The most pixels an image read may have. */
    private final long maxPixels;

    /** The longest a picture is read for, once it is loaded. */
    private final Duration readTime;

    /** A reader of images of {@link #MAX_PIXELS} at most, each read for {@link #READ_TIME} at most. */
    public CardReader() {
        this(MAX_PIXELS);
    }

    /** A reader of images of {@code maxPixels} at most, each read for {@link #READ_TIME} at most. */
    public CardReader(long maxPixels) {
        this(maxPixels, READ_TIME);
    }

    /**
     * A reader of images of {@code maxPixels} at most: a machine with little memory may take less, one whose camera
     * takes larger pictures more; each read for {@code readTime} at most once loaded: a slower machine may need more.
     *
     * @throws IllegalArgumentException {@code maxPixels} or {@code readTime} is not positive
     */
    public CardReader(long maxPixels, Duration readTime) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("The most pixels a card's picture may have is positive, not "
                    + maxPixels);
        }
        if (readTime.isNegative() || readTime.isZero()) {
            throw new IllegalArgumentException("The time a card's picture is read for is positive, not " + readTime);
        }
        this.maxPixels = maxPixels;
        this.readTime = readTime;
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
     * What reading a picture gave: every code read, in the order read, each once (empty: none); whether the read
     * time ran out before a card was among them (some stages not tried), that time, and how many stages were tried.
     */
    public record Reading(List<Decoded> codes, boolean outOfTime, Duration readTime, int stagesTried) {

        /**
         * The code the till takes {@code picture} (its name, for the cashier) as: the card among its codes
         * ({@link ScannedCode#inPicture}), or why none is taken; a picture read out of time asks for another.
         */
        public ScannedCode scanned(String picture) {
            String again = "hold the card flat, closer to the camera, and scan it again";
            if (codes.isEmpty()) {
                return new ScannedCode(ScannedCode.Kind.INVALID, "", null, outOfTime ? "No barcode read in "
                        + picture + " within " + readTime.toMillis() + " ms: " + again
                        : "No barcode found in " + picture);
            }
            ScannedCode taken = ScannedCode.inPicture(codes.stream().map(code -> ScannedCode.classify(code.text(),
                    code.format())).toList());
            return taken.isCard() || !outOfTime ? taken : new ScannedCode(taken.kind(), taken.text(),
                    taken.symbology(), taken.reason() + "; no card read beside it within " + readTime.toMillis()
                    + " ms: " + again);
        }
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
        return reading(file).codes();
    }

    /**
     * What an image file (PNG, JPEG, GIF, BMP) gives ({@link #reading(BufferedImage)}), read for the reader's read
     * time once loaded.
     *
     * @throws IOException no such file, not an image this reader knows, or of more pixels than this reader takes
     */
    public Reading reading(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("No image file " + file);
        }
        return reading(load(file));
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
        return reading(image).codes();
    }

    /**
     * Every code an image shows, read stage after stage ({@link #stages}) until a card is among them or the reader's
     * read time is up (checked between stages: one under way is not cut short).
     */
    public Reading reading(BufferedImage image) {
        long started = System.nanoTime();
        Stages stages = stages(image);
        // The read time runs from the first stage (the picture's preparation is not the reading's), and the stages
        // the reader always had, the picture as it is and cleaned, run whatever it says: only the crops and turns
        // added for pictures read badly stop at it, so that a slow till never refuses a card it read before.
        long deadline = System.nanoTime() + readTime.toNanos();
        int always = stages.first().size() + stages.cleaned().size();
        List<Supplier<List<Result>>> next = new ArrayList<>(stages.first());
        Map<String, Result> found = new LinkedHashMap<>();
        boolean card = false;
        int at = 0;
        for (; at < next.size() && !card && (at < always || System.nanoTime() - deadline < 0); at++) {
            for (Result result : next.get(at).get()) {
                // ZXing now and then reads a Code 128 of no text off a tilted one: nothing to take, nor to refuse.
                if (result.getText() != null && !result.getText().isEmpty()) {
                    found.putIfAbsent(result.getText(), result);
                }
            }
            card = found.values().stream().anyMatch(result -> ScannedCode.classify(result.getText(),
                    formatName(result)).isCard());
            if (at == stages.first().size() - 1) {
                // A picture some codes were read off as it is, but no card, is clear enough: the card is more likely
                // a linear code off its axis (a receipt photographed askew) than blurred or dim. Cleaned copies come
                // first otherwise, and the crops for a Data Matrix off the picture's centre after them.
                if (found.isEmpty()) {
                    next.addAll(stages.cleaned());
                    next.addAll(stages.crops());
                    next.addAll(stages.turned());
                } else {
                    next.addAll(stages.turned());
                    next.addAll(stages.cleaned());
                    next.addAll(stages.crops());
                }
            }
        }
        long micros = (System.nanoTime() - started) / 1_000;
        List<Decoded> codes = found.values().stream().map(result -> new Decoded(formatName(result),
                result.getText(), micros)).toList();
        // Out of time: the read time ended the reading before a card was read and with stages left to try.
        return new Reading(codes, !card && at < next.size(), readTime, at);
    }

    /**
     * The stages a picture is read in, each made only when it is its turn: {@code first}, the picture as it is;
     * {@code cleaned}, the picture inverted (light bars on a dark screen: the hint covers only some readers), a
     * smaller copy (blur and noise average out), a second binarizer, a contrast stretch, a sharpened copy;
     * {@code crops}, overlapping crops read for a Data Matrix alone ({@link #inCrop}; where there is none that is
     * soon said, about what one stage of the others takes); {@code turned}, the picture turned by 15 to 75 degrees
     * either way (stacked codes, PDF417, and linear codes far off their axis), the corners a turn opens filled with
     * the picture's own edge grey (white corners on a dark photo make edges of their own).
     */
    private record Stages(List<Supplier<List<Result>>> first, List<Supplier<List<Result>>> cleaned,
                          List<Supplier<List<Result>>> crops, List<Supplier<List<Result>>> turned) {
    }

    private Stages stages(BufferedImage image) {
        BufferedImage working = Math.max(image.getWidth(), image.getHeight()) > 1_200
                ? scaled(image, 1_200.0 / Math.max(image.getWidth(), image.getHeight())) : image;
        LuminanceSource source = new BufferedImageLuminanceSource(working);
        List<Supplier<List<Result>>> first = List.of(() -> everyCode(new HybridBinarizer(source)));
        List<Supplier<List<Result>>> crops = new ArrayList<>();
        for (int grid = 2; grid <= CROP_GRID_AT_MOST; grid++) {
            for (int down = 1; down <= grid; down++) {
                for (int across = 1; across <= grid; across++) {
                    int n = grid;
                    int x = across;
                    int y = down;
                    crops.add(() -> inCrop(source, n, x, y));
                }
            }
        }
        List<Supplier<List<Result>>> cleaned = List.of(
                () -> everyCode(new HybridBinarizer(source.invert())),
                () -> everyCode(new HybridBinarizer(new BufferedImageLuminanceSource(scaled(working, 0.5)))),
                () -> everyCode(new GlobalHistogramBinarizer(source)),
                () -> everyCode(new HybridBinarizer(new BufferedImageLuminanceSource(stretched(working)))),
                () -> everyCode(new HybridBinarizer(new BufferedImageLuminanceSource(sharpened(working)))));
        List<Supplier<List<Result>>> turned = new ArrayList<>();
        int background = edgeGrey(working);
        for (int degrees : new int[] {15, -15, 30, -30, 45, -45, 60, -60, 75, -75}) {
            turned.add(() -> everyCode(new HybridBinarizer(new BufferedImageLuminanceSource(rotated(working, degrees,
                    background)))));
        }
        return new Stages(first, cleaned, crops, turned);
    }

    /**
     * The Data Matrix in a crop of a picture: of a grid of {@code grid} × {@code grid} points across it, evenly
     * spaced, the crop around point {@code across}, {@code down} (from 1), two spacings wide and high, so that the
     * crops overlap by half. ZXing's Data Matrix detector looks from a picture's centre outwards: it reads a code
     * whose crop's centre falls within it, and finer grids place a centre within smaller codes. None when it
     * holds none.
     */
    private static List<Result> inCrop(LuminanceSource picture, int grid, int across, int down) {
        int width = picture.getWidth() * 2 / (grid + 1);
        int height = picture.getHeight() * 2 / (grid + 1);
        int x = picture.getWidth() * across / (grid + 1) - width / 2;
        int y = picture.getHeight() * down / (grid + 1) - height / 2;
        // A crop of the grey picture shares its pixels: a copy of the whole picture per crop took half the time.
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(picture.crop(x, y, width, height)));
        try {
            return List.of(new MultiFormatReader().decode(bitmap, IN_CROPS));
        } catch (NotFoundException e) {
            return List.of();
        }
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
        return turned(image, degrees, new java.awt.Color(background, background, background),
                BufferedImage.TYPE_BYTE_GRAY);
    }

    /**
     * The picture turned by the angle about its centre, on a canvas of the colour given just large enough to hold it
     * (the till's turned stages; the tests' photographs taken askew).
     */
    static BufferedImage turned(BufferedImage image, double degrees, java.awt.Color background, int imageType) {
        double radians = Math.toRadians(degrees);
        double sin = Math.abs(Math.sin(radians));
        double cos = Math.abs(Math.cos(radians));
        int width = (int) Math.ceil(image.getWidth() * cos + image.getHeight() * sin);
        int height = (int) Math.ceil(image.getHeight() * cos + image.getWidth() * sin);
        BufferedImage out = new BufferedImage(width, height, imageType);
        Graphics2D g = out.createGraphics();
        g.setColor(background);
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
