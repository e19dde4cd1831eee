package org.loyaltyengine.engine.application;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.MultiFormatWriter;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.card.Card;
import org.loyaltyengine.engine.domain.card.CardRepository;
import org.loyaltyengine.engine.domain.card.CardStatus;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;

/**
 * Draws a member's card as a barcode a till scanner reads off a phone screen or paper: QR code, Code 128 or
 * EAN-13, all carrying the 13-digit card number, with the quiet zone scanners need.
 */
@ApplicationScoped
public class CardBarcode {

    /** The formats a card can be shown in. */
    public enum Format {
        QR_CODE(BarcodeFormat.QR_CODE, 300, 300),
        CODE_128(BarcodeFormat.CODE_128, 480, 160),
        EAN_13(BarcodeFormat.EAN_13, 480, 200);

        private final BarcodeFormat zxing;
        private final int width;
        private final int height;

        Format(BarcodeFormat zxing, int width, int height) {
            this.zxing = zxing;
            this.width = width;
            this.height = height;
        }

        /** @throws DomainException {@code invalid_format} (400) for a format not offered */
        public static Format parse(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw DomainException.invalid("invalid_format", "format", "Format " + name + " is not one of "
                        + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
            }
        }
    }

    @Inject
    MemberRepository members;

    @Inject
    CardRepository cards;

    /**
     * The PNG of the member's card: the one named, or the member's newest active card. A card blocked or replaced is
     * not drawn: the till would refuse it.
     *
     * @throws DomainException {@code card_not_found} (404) when the member holds no such (or no active) card,
     *                         {@code card_blocked} (409) or {@code card_replaced} (409) for a card no longer in use
     */
    @Transactional
    public byte[] png(String memberId, String cardNumber, Format format) {
        Member member = members.findByPublicId(memberId).orElseThrow(() -> DomainException.notFound(
                "member_not_found", "No member " + memberId));
        Card card = cards.findByMember(member).stream()
                .filter(held -> cardNumber == null ? held.status() == CardStatus.ACTIVE
                        : held.number().value().equals(cardNumber.strip()))
                .reduce((first, second) -> second.issuedAt().isAfter(first.issuedAt()) ? second : first)
                .orElseThrow(() -> DomainException.notFound("card_not_found", cardNumber == null
                        ? "You hold no active card" : "You hold no card " + cardNumber));
        card.requireUsable();
        return render(card.number().value(), format);
    }

    /** Renders a card number in a format, as PNG bytes. */
    public static byte[] render(String cardNumber, Format format) {
        try {
            BitMatrix matrix = new MultiFormatWriter().encode(cardNumber, format.zxing, format.width, format.height,
                    format == Format.QR_CODE
                            ? Map.of(EncodeHintType.MARGIN, 4, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M)
                            : Map.of(EncodeHintType.MARGIN, 10));
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            MatrixToImageWriter.writeToStream(matrix, "PNG", png);
            return png.toByteArray();
        } catch (WriterException e) {
            throw new IllegalStateException("Card " + cardNumber + " cannot be drawn as " + format, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
