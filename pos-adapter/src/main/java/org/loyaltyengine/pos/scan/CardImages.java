package org.loyaltyengine.pos.scan;

import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.MultiFormatWriter;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;

/** Draws printable card barcodes with ZXing's writers, with the quiet zone scanners need. */
public final class CardImages {

    private CardImages() {
    }

    /** A format by its common name: ean13, ean8, upca, code128, qr, pdf417, datamatrix. */
    public static BarcodeFormat format(String name) {
        return switch (name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
            case "ean13" -> BarcodeFormat.EAN_13;
            case "ean8" -> BarcodeFormat.EAN_8;
            case "upca" -> BarcodeFormat.UPC_A;
            case "code128" -> BarcodeFormat.CODE_128;
            case "qr", "qrcode" -> BarcodeFormat.QR_CODE;
            case "pdf417" -> BarcodeFormat.PDF_417;
            case "datamatrix" -> BarcodeFormat.DATA_MATRIX;
            default -> throw new IllegalArgumentException("Unknown format " + name
                    + " (ean13, ean8, upca, code128, qr, pdf417, datamatrix)");
        };
    }

    public static BufferedImage draw(String text, BarcodeFormat format) {
        boolean square = format == BarcodeFormat.QR_CODE || format == BarcodeFormat.DATA_MATRIX;
        int width = square ? 300 : 480;
        int height = square ? 300 : (format == BarcodeFormat.PDF_417 ? 200 : 180);
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.MARGIN, square ? 4 : 12);
        try {
            BitMatrix matrix = new MultiFormatWriter().encode(text, format, width, height, hints);
            return MatrixToImageWriter.toBufferedImage(matrix);
        } catch (WriterException e) {
            throw new IllegalArgumentException(text + " cannot be drawn as " + format + ": " + e.getMessage(), e);
        }
    }
}
