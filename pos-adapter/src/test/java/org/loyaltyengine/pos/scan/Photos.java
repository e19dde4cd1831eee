package org.loyaltyengine.pos.scan;

import java.awt.Color;
import java.awt.Graphics2D;
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
        return CardReader.turned(image, degrees, background, BufferedImage.TYPE_INT_RGB);
    }
}
