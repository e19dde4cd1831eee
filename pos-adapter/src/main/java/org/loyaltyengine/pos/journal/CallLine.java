package org.loyaltyengine.pos.journal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/**
 * What the index of the {@link SentLog} keeps of a line: when the engine answered the call, and the receipts the line
 * names. Read from the line's text, not parsed as JSON (which costs several times as much, and a till's first
 * question reads every line of weeks of sales): a line the till wrote holds no escape, so each {@code "sentAt"} or
 * {@code "receiptId"} in it is a whole key or value of its own. A line with an escape, or more than one
 * {@code "sentAt"} key, is parsed. The receipts are those of every {@code "receiptId"} key, at any depth: a question
 * reads the lines of its receipt again, parsed, and tells the sales among them apart.
 */
record CallLine(Instant answered, List<String> receipts) {

    private static final String SENT_AT = "\"sentAt\"";
    private static final String RECEIPT_ID = "\"receiptId\"";

    /** What {@code line} says; null for a line that holds no call (blank, cut short by a crash, written by hand). */
    static CallLine of(String line) {
        if (line.indexOf('\\') >= 0) {
            return parsed(line);
        }
        List<String> times = values(line, SENT_AT);
        if (times.size() > 1) {
            return parsed(line);
        }
        if (times.isEmpty() || times.get(0) == null) {
            return null;
        }
        try {
            List<String> receipts = values(line, RECEIPT_ID);
            receipts.removeIf(receipt -> receipt == null);
            return new CallLine(time(times.get(0)), receipts);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** What {@code line} says, parsed as JSON. */
    private static CallLine parsed(String line) {
        JsonObject record = JsonLines.parse(line);
        SentLog.Sent call = record == null ? null : SentLog.sent(record);
        if (call == null) {
            return null;
        }
        return new CallLine(call.sentAt(), call.body().get("receiptId") instanceof JsonString receipt
                ? List.of(receipt.getString()) : List.of());
    }

    /**
     * A time as {@link Instant#toString} writes it ({@code 2026-12-05T10:00:00.123456Z}), read without a formatter
     * (which took a good part of the time a line took); any other form by {@link Instant#parse}.
     *
     * @throws DateTimeParseException not a time
     */
    static Instant time(String text) {
        int length = text.length();
        if (length >= 20 && length <= 30 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
                && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(length - 1) == 'Z'
                && (length == 20 || length > 21 && text.charAt(19) == '.')) {
            int year = digits(text, 0, 4);
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            int fraction = length == 20 ? 0 : digits(text, 20, length - 1);
            if (year >= 0 && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59
                    && fraction >= 0) {
                try {
                    long day = LocalDate.of(year, digits(text, 5, 7), digits(text, 8, 10)).toEpochDay();
                    return Instant.ofEpochSecond(day * 86_400 + hour * 3_600L + minute * 60L + second,
                            length == 20 ? 0 : fraction * POWERS[30 - length]);
                } catch (DateTimeException e) {
                    // Not a day (a 30th of February, a month of -1 for digits that are not): Instant.parse says why.
                }
            }
        }
        return Instant.parse(text);
    }

    /** 10 to the power of 0 to 8: the nanoseconds of a last digit of a fraction of 9 to 1 digits. */
    private static final long[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    /** The number the decimal digits of {@code text} from {@code from} to {@code to} write; -1: not all digits. */
    private static int digits(String text, int from, int to) {
        int number = 0;
        for (int i = from; i < to; i++) {
            char digit = text.charAt(i);
            if (digit < '0' || digit > '9') {
                return -1;
            }
            number = number * 10 + digit - '0';
        }
        return number;
    }

    /**
     * The values of every {@code key} (quoted) in a line without escapes, in their order: the text of a string,
     * null for another value.
     */
    private static List<String> values(String line, String key) {
        List<String> values = new ArrayList<>(1);
        for (int at = line.indexOf(key); at >= 0; at = line.indexOf(key, at + key.length())) {
            int colon = blanks(line, at + key.length());
            if (colon == line.length() || line.charAt(colon) != ':') {
                continue;
            }
            int value = blanks(line, colon + 1);
            int end = value < line.length() && line.charAt(value) == '"' ? line.indexOf('"', value + 1) : -1;
            values.add(end < 0 ? null : line.substring(value + 1, end));
        }
        return values;
    }

    /** Where the first character of {@code line} from {@code at} on that is not JSON's white space is. */
    private static int blanks(String line, int at) {
        int next = at;
        while (next < line.length() && " \t\r\n".indexOf(line.charAt(next)) >= 0) {
            next++;
        }
        return next;
    }
}
