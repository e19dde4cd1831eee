package org.loyaltyengine.pos.scan;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/** Pictures of cards as a till's camera takes them, made from the barcodes the engine draws. */
final class Photos {

    private Photos() {
    }

    /** The barcode on a card-sized light background, as a camera frames it. */
    static BufferedImage onCard(BufferedImage barcode) {
        BufferedImage card = new BufferedImage(barcode.getWidth() + 160, barcode.getHeight() + 160,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = card.createGraphics();
        g.setColor(new Color(235, 235, 230));
        g.fillRect(0, 0, card.getWidth(), card.getHeight());
        g.drawImage(barcode, 80, 80, null);
        g.dispose();
        return card;
    }

    /** The picture turned by the angle, on a background of the colour around it (a table, the card's edge). */
    static BufferedImage turned(BufferedImage image, double degrees, Color background) {
        double radians = Math.toRadians(degrees);
        double sin = Math.abs(Math.sin(radians));
        double cos = Math.abs(Math.cos(radians));
        int width = (int) Math.ceil(image.getWidth() * cos + image.getHeight() * sin);
        int height = (int) Math.ceil(image.getHeight() * cos + image.getWidth() * sin);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
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
