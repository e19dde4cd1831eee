package org.loyaltyengine.pos.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a scan turned out to be, decided before anything is sent to the engine: a loyalty card (EAN-13 in the
 * in-store range 20-29 with a correct check digit), a product code, a coupon, or something unreadable.
 *
 * @param kind      what the code is
 * @param text      the code's text, without any symbology prefix
 * @param symbology the symbology the scanner or the decoder named, when known ("EAN-13", "QR_CODE")
 * @param reason    why a code is not a card, in the cashier's words
 */
public record ScannedCode(Kind kind, String text, String symbology, String reason) {

    /** What a code is. */
    public enum Kind {
        CARD, PRODUCT, COUPON, INVALID
    }

    /** AIM symbology identifiers a keyboard-wedge scanner may put in front of the data (ISO/IEC 15424). */
    private static final Map<String, String> AIM = Map.ofEntries(
            Map.entry("]E0", "EAN-13"), Map.entry("]E4", "EAN-8"), Map.entry("]E3", "EAN-13"),
            Map.entry("]C0", "CODE_128"), Map.entry("]C1", "GS1-128"), Map.entry("]Q1", "QR_CODE"),
            Map.entry("]Q3", "QR_CODE"), Map.entry("]L0", "PDF_417"), Map.entry("]L2", "PDF_417"),
            Map.entry("]d1", "DATA_MATRIX"), Map.entry("]d2", "GS1_DATA_MATRIX"), Map.entry("]A0", "CODE_39"));

    public boolean isCard() {
        return kind == Kind.CARD;
    }

    /** Classifies a keyboard-wedge scanner's line: with or without an AIM prefix, surrounding blanks ignored. */
    public static ScannedCode fromScanner(String line) {
        String text = line == null ? "" : line.strip();
        String symbology = null;
        if (text.length() >= 3 && text.charAt(0) == ']') {
            symbology = AIM.getOrDefault(text.substring(0, 3), "AIM " + text.substring(0, 3));
            text = text.substring(3);
        }
        return classify(text, symbology);
    }

    /**
     * The code a picture's codes (as read, in their order; not empty) are taken as. The card, when one is among them.
     * When several cards are, the one in a symbology products are not marked in (a card's Code 128, QR, PDF417 or
     * Data Matrix beside a weighed item's EAN-13 label, which is in the in-store range too); else, among EAN-13 ones,
     * the one in the range the engine issues cards in ({@value #ISSUED}); else none: refused, the cashier asked to
     * scan the card alone. Without a card, the first code (refused with its reason).
     */
    public static ScannedCode inPicture(List<ScannedCode> codes) {
        List<ScannedCode> cards = new ArrayList<>();
        for (ScannedCode code : codes) {
            if (code.isCard() && cards.stream().noneMatch(card -> card.text().equals(code.text()))) {
                cards.add(code);
            }
        }
        if (cards.isEmpty()) {
            return codes.get(0);
        }
        if (cards.size() == 1) {
            return cards.get(0);
        }
        List<ScannedCode> notProducts = cards.stream().filter(card -> card.symbology() != null
                && !PRODUCT_SYMBOLOGIES.contains(card.symbology())).toList();
        if (notProducts.size() == 1) {
            return notProducts.get(0);
        }
        List<ScannedCode> issued = cards.stream().filter(card -> card.text().startsWith(ISSUED)).toList();
        if (notProducts.isEmpty() && issued.size() == 1) {
            return issued.get(0);
        }
        return new ScannedCode(Kind.INVALID, "", null, "Several loyalty cards in the picture ("
                + String.join(", ", cards.stream().map(ScannedCode::text).toList()) + "): scan the card alone");
    }

    /** The range the engine issues card numbers in: 29, ten random digits, the check digit. */
    private static final String ISSUED = "29";

    /**
     * The symbologies a weighed or priced item's in-store code (20-29, as cards are) is printed in, as the decoder
     * or a scanner names them.
     */
    private static final Set<String> PRODUCT_SYMBOLOGIES = Set.of("EAN_13", "EAN-13", "UPC_A", "EAN_8", "EAN-8");

    /** How many digits a card number has: an EAN-13's. */
    public static final int CARD_DIGITS = 13;

    /**
     * Whether a line typed at the till is a card number written in groups, told by the shape a card prints it in:
     * {@code 2900 0000 0001 8} or {@code 2900-0000-0001-8} (three groups of four digits, then one or two), or a first
     * group of four in the engine's range ({@code 29}) then 12 to 14 digits in all, whether or not its check digit
     * is right (a typo, {@code 2900 000 0001 8}, is refused as a misread, never taken as something else). A card
     * typed in four groups looks like a basket line ({@code SKU CATEGORY QUANTITY PRICE}) and was once added as one,
     * the sale earning the points of a line that was never bought; a basket line of numbers alone
     * ({@code 2000011 10 1 251}, an in-store SKU and a price in whole yen) is not a card for having 13 digits.
     */
    public static boolean isTypedCardNumber(String line) {
        String text = line == null ? "" : line.strip();
        String digits = ungrouped(text);
        if (digits == null) {
            return false;
        }
        return PRINTED_GROUPS.matcher(text).matches()
                || IN_CARD_RANGE.matcher(text).lookingAt() && digits.length() >= 12 && digits.length() <= 14;
    }

    private static final java.util.regex.Pattern PRINTED_GROUPS = java.util.regex.Pattern.compile(
            "\\d{4}[ -]+\\d{4}[ -]+\\d{4}[ -]+\\d{1,2}");
    private static final java.util.regex.Pattern IN_CARD_RANGE = java.util.regex.Pattern.compile("29\\d{2}[ -]");

    /**
     * The digits of a number written in groups apart by blanks or dashes ({@code 2900 0000 0001 8}); null when the
     * text is anything else than digits, blanks and dashes, or holds no digit.
     */
    private static String ungrouped(String text) {
        if (text.isEmpty() || !text.chars().allMatch(c -> Character.isDigit(c) || c == '-'
                || Character.isWhitespace(c))) {
            return null;
        }
        String digits = text.replaceAll("[\\s-]", "");
        return digits.isEmpty() ? null : digits;
    }

    /**
     * Classifies a decoded barcode's text, or a number typed by hand: one written in groups apart by blanks or dashes
     * as cards print it ({@code 2900 0000 0001 8}) is read as its digits, its check digit checked as any other's.
     */
    public static ScannedCode classify(String rawText, String symbology) {
        String text = rawText == null ? "" : rawText.strip();
        // GS1 element strings (GS1-128, GS1 DataMatrix) may carry the card as AI 01 or 414 with a FNC1 prefix.
        text = text.replace("\u001d", "");
        if (symbology != null && GS1.contains(symbology)) {
            text = gs1Card(text);
        }
        String digits = ungrouped(text);
        if (digits != null) {
            text = digits;
        }
        if (text.isEmpty()) {
            return new ScannedCode(Kind.INVALID, text, symbology, "Nothing was read");
        }
        if (!text.chars().allMatch(Character::isDigit)) {
            return new ScannedCode(Kind.INVALID, text, symbology, "Not a loyalty card: \"" + abbreviate(text)
                    + "\" is not a number");
        }
        if (text.length() == 12) {
            if (text.charAt(0) == '2' && symbology == null) {
                // Typed by hand (no scanner's prefix), 12 digits of the in-store range: a card number a digit short,
                // not a UPC-A product, whose leading 0 the cashier never typed.
                return new ScannedCode(Kind.INVALID, text, null, "Not a loyalty card: " + text + " has 12 digits, a"
                        + " card number has 13 (a digit missed?): type it again, or scan the card");
            }
            // UPC-A is an EAN-13 with a leading 0.
            text = "0" + text;
        }
        if (text.length() == 8) {
            return checkDigitValid(text)
                    ? new ScannedCode(Kind.PRODUCT, text, symbology, "Not a loyalty card: EAN-8 product code " + text)
                    : new ScannedCode(Kind.INVALID, text, symbology, "Misread: EAN-8 " + text + " has a wrong check digit");
        }
        if (text.length() != 13) {
            return new ScannedCode(Kind.INVALID, text, symbology, "Not a loyalty card: " + text.length()
                    + " digits, a card number has 13");
        }
        if (!checkDigitValid(text)) {
            return new ScannedCode(Kind.INVALID, text, symbology, "Misread: " + text
                    + " has a wrong check digit; " + (symbology == null ? "scan the card, or type its number again"
                    : "scan the card again"));
        }
        if (text.startsWith("98") || text.startsWith("99")) {
            return new ScannedCode(Kind.COUPON, text, symbology, "This is a coupon (" + text
                    + "), not a loyalty card");
        }
        if (text.charAt(0) != '2') {
            return new ScannedCode(Kind.PRODUCT, text, symbology, "This is a product barcode (" + text
                    + "), not a loyalty card");
        }
        return new ScannedCode(Kind.CARD, text, symbology, null);
    }

    /** The symbologies whose text is a GS1 element string ({@code ]C1}, {@code ]d2}, ...). */
    private static final Set<String> GS1 = Set.of("GS1-128", "GS1_DATA_MATRIX");

    /**
     * The card number a GS1 element string carries first: AI 01 (a GTIN-14, the card's EAN-13 after a 0) or AI 414
     * (a GLN of 13 digits); the text as it is otherwise, to be refused with its reason.
     */
    private static String gs1Card(String text) {
        if (text.startsWith("01") && text.length() >= 16 && text.substring(2, 16).chars().allMatch(Character::isDigit)
                && text.charAt(2) == '0') {
            return text.substring(3, 16);
        }
        if (text.startsWith("414") && text.length() >= 16 && text.substring(3, 16).chars()
                .allMatch(Character::isDigit)) {
            return text.substring(3, 16);
        }
        return text;
    }

    /** The GS1 check digit over the other digits (EAN-8, EAN-13). */
    static boolean checkDigitValid(String digits) {
        int sum = 0;
        int length = digits.length();
        for (int i = 0; i < length - 1; i++) {
            int digit = digits.charAt(length - 2 - i) - '0';
            sum += (i % 2 == 0) ? digit * 3 : digit;
        }
        return (10 - sum % 10) % 10 == digits.charAt(length - 1) - '0';
    }

    private static String abbreviate(String text) {
        return text.length() <= 24 ? text : text.substring(0, 24) + "…";
    }
}
