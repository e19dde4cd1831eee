package org.loyaltyengine.pos.scan;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;

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

/**
 * Reads a barcode off a photograph or camera frame of a card, a phone screen or a receipt. ZXing at its best
 * settings: every card format at once, try-harder, inverted images (dark-mode screens), then, only when the
 * cheap attempt fails, a second binarizer, a smaller copy (blur and noise average out), a contrast stretch and
 * rotations by 45 degrees (linear barcodes read only near their axis). The first success wins.
 */
public final class CardReader {

    /** The formats cards and coupons come in. */
    public static final List<BarcodeFormat> FORMATS = List.of(BarcodeFormat.EAN_13, BarcodeFormat.EAN_8,
            BarcodeFormat.UPC_A, BarcodeFormat.CODE_128, BarcodeFormat.QR_CODE, BarcodeFormat.PDF_417,
            BarcodeFormat.DATA_MATRIX);

    private final Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);

    public CardReader() {
        hints.put(DecodeHintType.POSSIBLE_FORMATS, FORMATS);
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        hints.put(DecodeHintType.ALSO_INVERTED, Boolean.TRUE);
    }

    /** What was read: the format as the cashier knows it, the text, and how long decoding took. */
    public record Decoded(String format, String text, long micros) {
    }

    /** Decodes an image file (PNG, JPEG, GIF, BMP). */
    public Optional<Decoded> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("No image file " + file);
        }
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException(file + " is not an image this reader knows (PNG, JPEG, GIF, BMP)");
        }
        return read(image);
    }

    public Optional<Decoded> read(BufferedImage image) {
        long started = System.nanoTime();
        BufferedImage working = Math.max(image.getWidth(), image.getHeight()) > 1_200
                ? scaled(image, 1_200.0 / Math.max(image.getWidth(), image.getHeight())) : image;
        LuminanceSource source = new BufferedImageLuminanceSource(working);
        // Cheapest first; every later stage runs only when the ones before it found nothing.
        Optional<Result> result = attempt(new HybridBinarizer(source));
        if (result.isEmpty()) {
            // Light bars on a dark screen: the hint covers only some readers, so every reader gets it inverted.
            result = attempt(new HybridBinarizer(source.invert()));
        }
        if (result.isEmpty()) {
            // Blur and noise average out on a smaller copy.
            result = attempt(new HybridBinarizer(new BufferedImageLuminanceSource(scaled(working, 0.5))));
        }
        if (result.isEmpty()) {
            result = attempt(new GlobalHistogramBinarizer(source));
        }
        if (result.isEmpty()) {
            result = attempt(new HybridBinarizer(new BufferedImageLuminanceSource(stretched(working))));
        }
        if (result.isEmpty()) {
            result = attempt(new HybridBinarizer(new BufferedImageLuminanceSource(sharpened(working))));
        }
        // Stacked codes (PDF417) and linear codes far off their axis: turn the picture.
        for (int degrees : new int[] {15, -15, 30, -30, 45, -45, 60, -60, 75, -75}) {
            if (result.isPresent()) {
                break;
            }
            result = attempt(new HybridBinarizer(new BufferedImageLuminanceSource(rotated(working, degrees))));
        }
        long micros = (System.nanoTime() - started) / 1_000;
        return result.map(found -> new Decoded(formatName(found), found.getText(), micros));
    }

    private Optional<Result> attempt(Binarizer binarizer) {
        try {
            return Optional.of(new MultiFormatReader().decode(new BinaryBitmap(binarizer), hints));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static String formatName(Result result) {
        Object symbology = result.getResultMetadata() == null ? null
                : result.getResultMetadata().get(ResultMetadataType.SYMBOLOGY_IDENTIFIER);
        if (result.getBarcodeFormat() == BarcodeFormat.CODE_128 && "]C1".equals(symbology)) {
            return "GS1-128";
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

    private static BufferedImage rotated(BufferedImage image, int degrees) {
        double radians = Math.toRadians(degrees);
        double sin = Math.abs(Math.sin(radians));
        double cos = Math.abs(Math.cos(radians));
        int width = (int) Math.ceil(image.getWidth() * cos + image.getHeight() * sin);
        int height = (int) Math.ceil(image.getHeight() * cos + image.getWidth() * sin);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        g.setColor(java.awt.Color.WHITE);
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
