package org.loyaltyengine.pos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;

import org.loyaltyengine.pos.journal.Journal;
import org.loyaltyengine.pos.scan.CardImages;
import org.loyaltyengine.pos.scan.CardReader;
import org.loyaltyengine.pos.scan.ScannedCode;

/**
 * The till-side command line. Exit codes: 0 done (a sale queued offline is done for the cashier), 1 refused or
 * not read, 2 usage error, 3 the engine could not be reached for something that cannot wait.
 */
public final class Main {

    static final int OK = 0;
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int UNAVAILABLE = 3;

    private static final String HELP = """
            Usage: loyalty-pos [--config FILE] COMMAND [ARGS]

            Cards are given as a number, a scanner's line (with or without an AIM prefix such as ]E0) or an image
            file (PNG, JPEG) of the card, a phone screen or a receipt.

              decode FILE...                         read barcodes: FILE<TAB>FORMAT<TAB>TEXT, or FILE<TAB>-<TAB>reason
              card-image NUMBER --format ean13|code128|qr|pdf417|datamatrix --out FILE
                                                     draw a printable card barcode (PNG)
              lookup CARD                            member, tier, points and offers
              quote --card CARD --lines BASKET.json [--redeem N] [--offer OFFER_ID]...
                                                     what the sale would earn and spend, before it is paid;
                                                     nothing is recorded
              sale --card CARD --receipt R --lines BASKET.json [--redeem N] [--offer OFFER_ID]...
                   [--occurred-at TIME]              record a sale (queued when the engine is offline); --offer
                                                     applies a personal offer the lookup showed (repeatable); the
                                                     time is the receipt's first at this till, else now by the
                                                     engine's clock, unless given (2026-12-05T10:15:00+01:00)
              return (--transaction T | --receipt R) --return-id ID --lines RETURNED.json
                                                     take back the points of goods returned; --receipt:
                                                     a sale this till recorded
              rewards CARD                           what the member can take for points now, numbered
              redeem --card CARD --receipt R (--reward ID | --points N)
                                                     spend points on a reward or for their value (never
                                                     offline)
              cancel-redemption (--receipt R | --redemption ID) [--reason TEXT]
                                                     give back the points of a redemption of this store (and
                                                     its reward to the stock), within 30 days; --receipt: one
                                                     this till recorded (never offline, never twice)
              queue status                           the sales waiting for the engine, and why; those refused or
                                                     set aside (the engine failed on them 3 times in a row); the
                                                     calls a restore of the engine lost, set aside to try again
                                                     or not recorded again
              queue replay [--again]                 send waiting sales now, and those set aside when due (--again:
                                                     every sale the journal holds once more)
              queue resend (--since TIME | --hours N) after the engine was restored to an earlier moment: send
                                                     again what it recorded since TIME (2026-12-05T10:15:00Z, the
                                                     engine's time) or in the last N hours; what it still has
                                                     changes nothing
              till                                   read scans and basket lines from standard input: a scan,
                                                     SKU CATEGORY QUANTITY PRICE, offer N|OFFER_ID|none, pay [POINTS],
                                                     remove N (line N off the basket), rewards, reward
                                                     N|REWARD_ID (taken at once, on a receipt of its own),
                                                     return RECEIPT|t-TRANSACTION SKU QUANTITY... (typed again
                                                     after no answer: sent again under its first return id),
                                                     return RECEIPT (a reward's: given back), queue status|replay,
                                                     cancel, quit
              help

            BASKET.json: [{"sku":"COF-250","category":"coffee","quantity":2,"unitPrice":"4.50"}]
            RETURNED.json: [{"sku":"COF-250","quantity":1}]
            Configuration (file or environment): engine.url/LOYALTY_POS_ENGINE_URL (the engine's root, http:// or
            https:// and a host: http://loyalty.store.lan:8080; a trailing /api/v1 is left out),
            api.key/LOYALTY_POS_API_KEY,
            store/LOYALTY_POS_STORE, terminal/LOYALTY_POS_TERMINAL, currency/LOYALTY_POS_CURRENCY,
            journal/LOYALTY_POS_JOURNAL (pos-journal.jsonl; its folder the till's to write: checked at start),
            sent.keep.hours/LOYALTY_POS_SENT_KEEP_HOURS (72: how long what the engine recorded is kept to resend,
            and delivered sales in the journal), restore.retry.seconds/LOYALTY_POS_RESTORE_RETRY_SECONDS (60: how
            long a call set aside waits to be tried again, twice that after each try, 10 minutes at most: after a
            restore, one sent again and refused for now; a queued sale the engine failed on).
            How long the till waits for the engine, in milliseconds: budget.ms/LOYALTY_POS_BUDGET_MS (800: a
            cashier's call, 100 to 60000), replay.budget.ms/LOYALTY_POS_REPLAY_BUDGET_MS (10000: each call of queue
            replay and queue resend, 100 to 600000), catch.up.ms/LOYALTY_POS_CATCH_UP_MS (2000: the most sending
            again what a restore of the engine lost may take of a cashier's call, never past budget.ms, 100 to 60000),
            settle.ms/LOYALTY_POS_SETTLE_MS (4 x budget.ms: how long a call spending points that got no answer is
            sent again before the cashier is told it is not known, 100 to 600000).
            card.image.megapixels/LOYALTY_POS_CARD_IMAGE_MEGAPIXELS (200: a larger picture of a card is refused,
            1 to 10000), card.read.ms/LOYALTY_POS_CARD_READ_MS (1500: the longest a picture of a card is read for,
            then the cashier is asked to take it again, 100 to 60000),
            line.max.amount/LOYALTY_POS_LINE_MAX_AMOUNT (10000, 1000000 for a currency without cents: the most a
            basket line may come to; a line above it is refused before anything is sent).
            A value out of its range is refused at start, naming the setting (exit code 2).
            Exit codes: 0 done or queued, 1 refused or unreadable, 2 usage error, 3 engine unreachable (or, for a
            call spending points, no answer: whether they were spent is not known, see queue status; for a return,
            whether it was recorded: send it again under the same --return-id).
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final java.io.InputStream in;

    Main(PrintStream out, PrintStream err, Map<String, String> environment) {
        this(System.in, out, err, environment);
    }

    Main(java.io.InputStream in, PrintStream out, PrintStream err, Map<String, String> environment) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(new Main(System.out, System.err, System.getenv()).run(args));
    }

    int run(String[] arguments) {
        List<String> args = new ArrayList<>(List.of(arguments));
        Path configFile = null;
        if (args.size() >= 2 && args.get(0).equals("--config")) {
            configFile = Path.of(args.get(1));
            args = args.subList(2, args.size());
        }
        if (args.isEmpty() || List.of("help", "--help", "-h").contains(args.get(0))) {
            out.print(HELP);
            return args.isEmpty() ? USAGE : OK;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (command) {
                case "decode" -> decode(rest, TillConfig.load(configFile, environment));
                case "card-image" -> cardImage(rest);
                case "lookup", "rewards", "quote", "sale", "return", "redeem", "cancel-redemption", "queue", "till" ->
                        withTill(command, rest, TillConfig.load(configFile, environment));
                default -> usage("Unknown command " + command);
            };
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (IllegalStateException e) {
            err.println("loyalty-pos: " + e.getMessage());
            return USAGE;
        } catch (java.nio.file.FileSystemException e) {
            // Java names only the file (AccessDeniedException): say why too.
            err.println("loyalty-pos: " + Journal.cannotWrite(Path.of(e.getFile() == null ? "" : e.getFile()), e));
            return REFUSED;
        } catch (IOException e) {
            err.println("loyalty-pos: " + e.getMessage());
            return REFUSED;
        }
    }

    private int decode(List<String> files, TillConfig config) {
        if (files.isEmpty()) {
            return usage("decode needs at least one image file");
        }
        CardReader reader = new CardReader(config.cardImagePixels(), config.cardReadTime());
        int failures = 0;
        for (String name : files) {
            try {
                CardReader.Reading reading = reader.reading(Path.of(name));
                Optional<CardReader.Decoded> decoded = CardReader.meant(reading.codes());
                if (decoded.isPresent()) {
                    out.println(name + "\t" + decoded.get().format() + "\t" + decoded.get().text());
                } else {
                    failures++;
                    out.println(name + "\t-\t" + (reading.codes().isEmpty() && !reading.outOfTime()
                            ? "no barcode found" : reading.scanned(name).reason()));
                }
            } catch (IOException e) {
                failures++;
                out.println(name + "\t-\t" + e.getMessage());
            }
        }
        return failures == 0 ? OK : REFUSED;
    }

    private int cardImage(List<String> args) throws IOException {
        Options options = options(args, 1, "format", "out");
        String number = args.isEmpty() ? null : args.get(0);
        if (number == null || number.startsWith("--") || !options.containsKey("out")) {
            return usage("card-image NUMBER --format ean13|code128|qr|pdf417|datamatrix --out FILE");
        }
        ScannedCode code = ScannedCode.fromScanner(number);
        if (!code.isCard()) {
            err.println("loyalty-pos: " + code.reason());
            return REFUSED;
        }
        Path target = Path.of(options.get("out"));
        if (target.toAbsolutePath().getParent() != null) {
            Files.createDirectories(target.toAbsolutePath().getParent());
        }
        ImageIO.write(CardImages.draw(code.text(), CardImages.format(options.getOrDefault("format", "ean13"))), "png",
                target.toFile());
        out.println(target);
        return OK;
    }

    private int withTill(String command, List<String> args, TillConfig config) throws IOException {
        boolean status = command.equals("queue") && (args.isEmpty() || args.get(0).equals("status"));
        if (config.apiKey() == null && !status) {
            throw new IllegalStateException("No API key: set api.key in the config file or LOYALTY_POS_API_KEY");
        }
        // A look-up keeps nothing: the journal is the concern of what may have to be kept.
        if (!status && !command.equals("lookup") && !command.equals("rewards")) {
            // At start, not at the first sale the engine does not take, when it is too late to do anything about it.
            try {
                new Journal(config.journal()).checkWritable();
            } catch (IOException e) {
                throw new IllegalStateException("the till cannot write its journal, " + Journal.cannotWrite(
                        config.journal(), e) + ": a sale the engine does not take could not be kept; set journal"
                        + " (LOYALTY_POS_JOURNAL) to a file in a folder the till can write");
            }
        }
        Till till = new Till(config);
        return switch (command) {
            case "lookup" -> {
                if (args.size() != 1) {
                    yield usage("lookup CARD");
                }
                yield report(till.lookup(args.get(0)));
            }
            case "rewards" -> {
                if (args.size() != 1) {
                    yield usage("rewards CARD");
                }
                yield report(till.rewards(args.get(0)));
            }
            case "quote" -> {
                Options o = options(args, 0, "card", "lines", "redeem", "offer*");
                require(o, "card", "lines");
                yield report(till.quote(o.get("card"), readArray(o.get("lines")),
                        points(o.getOrDefault("redeem", "0"), "--redeem"), o.all("offer")));
            }
            case "sale" -> {
                Options o = options(args, 0, "card", "receipt", "lines", "redeem", "offer*", "occurred-at");
                require(o, "card", "receipt", "lines");
                yield report(till.sale(o.get("card"), o.get("receipt"), readArray(o.get("lines")),
                        points(o.getOrDefault("redeem", "0"), "--redeem"), o.all("offer"),
                        o.containsKey("occurred-at") ? time(o.get("occurred-at")) : null));
            }
            case "return" -> {
                Options o = options(args, 0, "transaction", "receipt", "return-id", "lines");
                require(o, "return-id", "lines");
                if (o.containsKey("transaction") == o.containsKey("receipt")) {
                    yield usage("return needs --transaction T (printed on the receipt) or --receipt R (a sale of"
                            + " this till)");
                }
                yield report(o.containsKey("receipt")
                        ? till.returnOfReceipt(o.get("receipt"), o.get("return-id"), readArray(o.get("lines")))
                        : till.returnGoods(o.get("transaction"), o.get("return-id"), readArray(o.get("lines"))));
            }
            case "redeem" -> {
                Options o = options(args, 0, "card", "receipt", "reward", "points");
                require(o, "card", "receipt");
                if (o.containsKey("reward") == o.containsKey("points")) {
                    yield usage("redeem needs --reward ID or --points N");
                }
                yield report(till.redeem(o.get("card"), o.get("receipt"), o.get("reward"),
                        o.containsKey("points") ? points(o.get("points"), "--points") : null));
            }
            case "cancel-redemption" -> {
                Options o = options(args, 0, "receipt", "redemption", "reason");
                if (o.containsKey("receipt") == o.containsKey("redemption")) {
                    yield usage("cancel-redemption needs --receipt R (a redemption of this till) or --redemption ID"
                            + " (d-…)");
                }
                yield report(till.cancelRedemption(o.get("redemption"), o.get("receipt"), o.get("reason")));
            }
            case "queue" -> queue(till, args);
            default -> tillMode(till, config.terminal());
        };
    }

    private int queue(Till till, List<String> args) throws IOException {
        if (args.isEmpty() || args.get(0).equals("status")) {
            List<Journal.Entry> entries = till.journal().entries();
            long waiting = entries.stream().filter(e -> e.state() == Journal.State.QUEUED).count();
            out.println(waiting + " sale(s) waiting, " + entries.stream()
                    .filter(e -> e.state() == Journal.State.REFUSED).count() + " refused, " + entries.stream()
                    .filter(e -> e.state() == Journal.State.SET_ASIDE).count() + " set aside, " + entries.stream()
                    .filter(e -> e.state() == Journal.State.DELIVERED).count() + " delivered ("
                    + till.journal().file() + ")");
            for (Journal.Entry entry : entries) {
                if (entry.state() != Journal.State.DELIVERED) {
                    out.println(entry.seq() + "\t" + entry.state() + "\t" + entry.receiptKey() + "\tqueued "
                            + entry.queuedAt() + "\t" + (entry.note().isEmpty() ? "not sent yet" : entry.note()));
                }
            }
            List<String> setAside = till.setAsideAfterRestore();
            if (!setAside.isEmpty()) {
                out.println(setAside.size() + " call(s) the engine lost in a restore, set aside to try again at this"
                        + " till's next calls, as the other tills catch up:");
                setAside.forEach(call -> out.println("\t" + call));
            }
            List<String> givenUp = till.givenUpAfterRestore();
            if (!givenUp.isEmpty()) {
                out.println(givenUp.size() + " call(s) the engine lost in a restore and did not record again (send"
                        + " them with queue resend --since TIME):");
                givenUp.forEach(call -> out.println("\t" + call));
            }
            return OK;
        }
        if (args.get(0).equals("replay")) {
            Till.ReplayReport report = till.replay(options(args, 1, "again").containsKey("again"));
            report.notes().forEach(out::println);
            if (report.heldBack() != null) {
                out.println("Nothing was refused: " + report.heldBack() + ", then run queue replay again");
            }
            out.println(report.delivered() + " delivered, " + report.refused() + " refused, " + report.stillWaiting()
                    + " still waiting" + (report.setAside() == 0 ? "" : ", " + report.setAside() + " set aside (the"
                    + " engine failed on them)") + (report.triedInVain() == 0 ? "" : ", " + report.triedInVain()
                    + " set aside before and failed on again") + (report.unanswered() == 0 ? ""
                    : ", the engine did not answer for one set aside before"));
            return report.stillWaiting() + report.unanswered() > 0 ? UNAVAILABLE
                    : report.refused() + report.setAside() + report.triedInVain() > 0 ? REFUSED : OK;
        }
        if (args.get(0).equals("resend")) {
            Options o = options(args, 1, "since", "hours");
            if (o.containsKey("since") == o.containsKey("hours")) {
                return usage("queue resend needs --since TIME (2026-12-05T10:15:00Z) or --hours N");
            }
            Instant since;
            try {
                if (o.containsKey("since")) {
                    since = Instant.parse(o.get("since"));
                } else {
                    long hours = Long.parseLong(o.get("hours"));
                    if (hours < 1 || hours > 100_000) {
                        throw new NumberFormatException("out of range");
                    }
                    since = till.enginesNow().minus(Duration.ofHours(hours));
                }
            } catch (DateTimeParseException | NumberFormatException e) {
                return usage("queue resend --since takes a time such as 2026-12-05T10:15:00Z, --hours a whole number"
                        + " of hours from 1 (the till keeps what the engine recorded for sent.keep.hours, 72)");
            }
            Till.ResendReport report = till.resend(since);
            report.notes().forEach(out::println);
            out.println(report.recordedAgain() + " recorded again (the engine had lost them), " + report.alreadyThere()
                    + " already recorded, " + report.refused() + " refused, " + report.notSent() + " not sent"
                    + " (engine unreachable)");
            return report.notSent() > 0 ? UNAVAILABLE : report.refused() > 0 ? REFUSED : OK;
        }
        return usage("queue status | queue replay [--again] | queue resend (--since TIME | --hours N)");
    }

    /**
     * Reads the till's lines from standard input: a scan (card number, in groups or not, scanner line or image path)
     * starts a basket; {@code SKU CATEGORY QUANTITY PRICE} adds a line; {@code offer OFFER_ID} applies a personal
     * offer;
     * {@code pay [POINTS]} records the sale; {@code rewards} lists what the member can take for points and
     * {@code reward N} takes one at once; {@code cancel} drops the basket; {@code quit} ends. A line the till
     * cannot take (a typo, an unreadable image, a refused payment) is said and changes nothing: the session and the
     * basket stay.
     */
    private int tillMode(Till till, String terminal) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(this.in, StandardCharsets.UTF_8));
        try {
            // Read before the first customer: weeks of what the engine recorded can take a second or two to read.
            till.sent().readAhead();
        } catch (IOException e) {
            err.println("loyalty-pos: could not read " + till.sent().file() + " yet (" + e.getMessage() + "): the"
                    + " first sale reads it");
        }
        Basket basket = new Basket(terminal);
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.strip().split("\\s+");
            if (words[0].isEmpty()) {
                continue;
            }
            if (words[0].equals("quit")) {
                return OK;
            }
            try {
                tillLine(till, basket, line.strip(), words);
            } catch (IllegalArgumentException | IOException e) {
                out.println("REFUSED\t" + (e instanceof java.nio.file.FileSystemException failed
                        ? Journal.cannotWrite(Path.of(failed.getFile() == null ? "" : failed.getFile()), failed)
                        : e.getMessage()) + (basket.lines.isEmpty() ? "" : " (the basket is kept)"));
            }
        }
        return OK;
    }

    /**
     * What a till's session holds between its lines: the card, the basket's lines and offers, the receipts made, and
     * the terminal they are made at.
     */
    private static final class Basket {
        final String terminal;
        String card;
        final List<jakarta.json.JsonObject> lines = new ArrayList<>();
        final List<String> offers = new ArrayList<>();
        /** The offers the card's look-up listed, in its order; {@code null} when it could not (offline). */
        List<String> listed;
        /** The rewards the card's last {@code rewards} listed, in its order; {@code null} before it. */
        List<String> rewards;
        /** The rewards taken on this card in this visit: what each was and its receipt, said at a cancel. */
        final List<String> taken = new ArrayList<>();
        /**
         * A reward whose taking got no answer ({@code UNKNOWN}): its id, its receipt and its card. Asked again, it
         * is sent under the same receipt, so that the engine answers it once whatever it did the first time.
         */
        String[] pending;
        /** The returns that got no answer, as typed after {@code return}, with the id they were sent under. */
        final Map<String, String> pendingReturns = new HashMap<>();
        /** The receipts of the rewards this till session took, with what each was: they are no sales to return. */
        final Map<String, String> rewardReceipts = new HashMap<>();
        int receipts;

        Basket(String terminal) {
            this.terminal = terminal;
        }

        /**
         * A new receipt id: the terminal's, so that two terminals of a store paying in the same millisecond (one
         * receipt key per store at the engine) never share one: the second sale would be refused as a conflict.
         */
        String receipt() {
            return "R-" + terminal + "-" + System.currentTimeMillis() + "-" + (++receipts);
        }

        void clear() {
            card = null;
            lines.clear();
            offers.clear();
            listed = null;
            rewards = null;
            taken.clear();
        }
    }

    /**
     * {@code return RECEIPT}: the reward (or the points spent for their value) on a receipt of the store given back
     * whole, its points to the member and its unit to the stock; {@code return d-…} names the redemption by its id.
     * A sale's receipt needs what came back, said as the usage says it.
     */
    private void giveBack(Till till, Basket basket, String[] words) throws IOException {
        String named = words[1];
        if (words.length > 2) {
            throw new IllegalArgumentException("receipt " + named + " is a reward taken ("
                    + basket.rewardReceipts.get(named) + "), not a sale: a reward is given back whole, type return "
                    + named);
        }
        if (till.saleOfReceipt(named).isPresent()) {
            throw new IllegalArgumentException("return takes the receipt and what came back: return " + named
                    + " COF-250 1 [SKU QUANTITY]...");
        }
        if (basket.pending != null && basket.pending[1].equals(named)) {
            throw new IllegalArgumentException("whether reward " + basket.pending[0] + " was taken on receipt " + named
                    + " is NOT KNOWN yet: type reward " + basket.pending[0] + " again to find out first");
        }
        boolean byId = named.matches("d-[A-Za-z0-9]{16}");
        Till.Outcome outcome = byId ? till.cancelRedemption(named, null, null) : till.cancelRedemption(null, named, null);
        if (outcome.status() == Till.Status.DONE) {
            basket.taken.removeIf(taken -> taken.endsWith(" on receipt " + named));
        }
        boolean noSuch = outcome.answer() != null && "redemption_not_found".equals(outcome.answer().getString("error",
                ""));
        out.println(outcome.status() + "\t" + named + "\t" + outcome.message() + (noSuch && !byId ? " (a sale's"
                + " return names what came back: return " + named + " COF-250 1)" : ""));
    }

    private void tillLine(Till till, Basket basket, String line, String[] words) throws IOException {
        switch (words[0]) {
            case "cancel" -> {
                String kept = basket.taken.isEmpty() ? "" : "; the reward(s) taken stay spent (handed over): "
                        + String.join(", ", basket.taken) + "; to give one back, type return and its receipt";
                basket.clear();
                out.println("basket cancelled" + kept);
            }
            case "return" -> {
                // return RECEIPT: a reward taken on it given back (its points, its unit to the stock).
                if (words.length == 2 || (words.length > 1 && basket.rewardReceipts.containsKey(words[1]))) {
                    giveBack(till, basket, words);
                    return;
                }
                // return RECEIPT SKU QUANTITY [SKU QUANTITY]...: goods brought back with a receipt of this till.
                if (words.length < 4 || words.length % 2 != 0) {
                    throw new IllegalArgumentException("return takes the receipt and what came back: return"
                            + " R-T1-1764930000000-1 COF-250 1 [SKU QUANTITY]...");
                }
                JsonArrayBuilder returned = Json.createArrayBuilder();
                for (int i = 2; i < words.length; i += 2) {
                    returned.add(Json.createObjectBuilder().add("sku", words[i]).add("quantity", quantity(words[i + 1])));
                }
                // A return that got no answer is sent again, typed again, under its first id: the engine answers what
                // it did with it, and takes its points back once. Another return of that receipt waits till then.
                String asTyped = String.join(" ", java.util.Arrays.asList(words).subList(1, words.length));
                basket.pendingReturns.forEach((typed, id) -> {
                    if (!typed.equals(asTyped) && typed.startsWith(words[1] + " ")) {
                        throw new IllegalArgumentException("return " + id + " of " + words[1] + " got no answer: type"
                                + " it again as it was (return " + typed + ") to find out whether it was recorded, before"
                                + " another return of that receipt");
                    }
                });
                String pending = basket.pendingReturns.get(asTyped);
                String returnId = pending != null ? pending : "RET-" + basket.terminal + "-" + System.currentTimeMillis();
                // The transaction id printed on a receipt of another till (or from before sent.keep.hours) names the
                // sale as well as this till's receipt does.
                boolean byTransaction = words[1].matches("t-[A-Za-z0-9]+") && till.saleOfReceipt(words[1]).isEmpty();
                Till.Outcome outcome = byTransaction ? till.returnGoods(words[1], returnId, returned.build())
                        : till.returnOfReceipt(words[1], returnId, returned.build());
                // Only a return the engine may have: one that never reached it is nothing, and is made afresh.
                if (outcome.status() == Till.Status.UNKNOWN) {
                    basket.pendingReturns.put(asTyped, returnId);
                } else {
                    basket.pendingReturns.remove(asTyped);
                }
                out.println(outcome.status() + "\t" + returnId + "\t" + (pending != null ? "sent again as " + pending
                        + ": " : "") + outcome.message());
            }
            case "queue" -> queue(till, java.util.Arrays.asList(words).subList(1, words.length));
            case "remove" -> {
                // remove N: line N of the basket taken off (a mistyped price, an item put back), the rest kept.
                int number;
                try {
                    number = words.length == 2 ? Integer.parseInt(words[1]) : 0;
                } catch (NumberFormatException e) {
                    number = 0;
                }
                if (number < 1 || number > basket.lines.size()) {
                    throw new IllegalArgumentException("remove takes the number of a line of the basket (1 to "
                            + basket.lines.size() + "): remove 2");
                }
                jakarta.json.JsonObject removed = basket.lines.remove(number - 1);
                out.println("line " + number + " (" + removed.getString("sku") + ") removed; " + basket.lines.size()
                        + " line(s) in the basket" + (basket.lines.isEmpty() ? "" : ", numbered 1 to "
                        + basket.lines.size()));
            }
            case "offer" -> {
                if (words.length != 2) {
                    throw new IllegalArgumentException("offer takes the offer's number in the card's look-up, or its"
                            + " id: offer 1, offer o-123; offer none takes them off the basket");
                }
                if (basket.card == null) {
                    throw new IllegalArgumentException("scan a card first: offers are the member's");
                }
                if (words[1].equals("none")) {
                    basket.offers.clear();
                    out.println("no offer applied");
                    return;
                }
                String offer = offerOf(basket, words[1]);
                if (!basket.offers.contains(offer)) {
                    basket.offers.add(offer);
                }
                out.println("offer " + offer + " applied");
            }
            case "rewards" -> {
                if (words.length > 1) {
                    throw new IllegalArgumentException("rewards takes no card here: scan the customer's card, then"
                            + " type rewards");
                }
                if (basket.card == null) {
                    throw new IllegalArgumentException("scan a card first: rewards are taken with the member's"
                            + " points");
                }
                Till.Outcome outcome = till.rewards(basket.card);
                if (outcome.status() == Till.Status.DONE) {
                    basket.rewards = outcome.answer().getJsonArray("rewards")
                            .getValuesAs(jakarta.json.JsonObject.class).stream()
                            .map(r -> r.getString("rewardId", "")).toList();
                }
                out.println(outcome.status() + "\t" + outcome.message());
            }
            case "reward" -> {
                if (words.length != 2) {
                    throw new IllegalArgumentException("reward takes the reward's number in the list rewards gave, or"
                            + " its id: reward 1, reward r-coffee");
                }
                if (basket.card == null) {
                    throw new IllegalArgumentException("scan a card first: rewards are taken with the member's"
                            + " points");
                }
                String reward = rewardOf(basket, words[1]);
                String receipt;
                String[] wasPending = basket.pending;
                String settled = settledSince(till, basket);
                if (settled != null) {
                    // The reward not known was settled meanwhile, by a sale or a replay that sent it first: the
                    // cashier is told how it ended, and the same reward of the same card is not sent again.
                    out.println(settled);
                    if (wasPending[2].equals(basket.card) && wasPending[0].equals(reward)) {
                        return;
                    }
                }
                if (basket.pending != null && basket.pending[2].equals(basket.card)) {
                    if (!basket.pending[0].equals(reward)) {
                        throw new IllegalArgumentException("whether reward " + basket.pending[0] + " (receipt "
                                + basket.pending[1] + ") was taken is NOT KNOWN yet: type reward " + basket.pending[0]
                                + " again to find out first (it is sent under the same receipt, never taken twice)");
                    }
                    // The same reward asked again after no answer: the same receipt, answered once by the engine.
                    receipt = basket.pending[1];
                } else {
                    // A receipt of its own: the reward is handed over now, whatever becomes of the basket.
                    receipt = basket.receipt();
                }
                Till.Outcome outcome = till.redeem(basket.card, receipt, reward, null);
                boolean pendingReceipt = basket.pending != null && basket.pending[1].equals(receipt);
                switch (outcome.status()) {
                    case DONE -> {
                        if (pendingReceipt) {
                            basket.pending = null;
                        }
                        String name = outcome.answer() != null && outcome.answer().containsKey("reward")
                                && !outcome.answer().isNull("reward") ? outcome.answer().getString("reward") : reward;
                        long spent = outcome.answer() == null ? 0
                                : outcome.answer().getJsonNumber("pointsRedeemed").longValue();
                        basket.taken.add(name + " (" + spent + " points) on receipt " + receipt);
                        basket.rewardReceipts.put(receipt, name + ", " + spent + " points, card " + basket.card);
                        String card = basket.card;
                        // A visit for a reward alone ends with it: the next customer's reward or basket is never
                        // put on this card (offers alone are no basket: pay refuses one without lines).
                        boolean visitEnds = basket.lines.isEmpty();
                        if (visitEnds) {
                            basket.clear();
                        }
                        out.println("DONE\t" + receipt + "\tcard " + card + ": " + outcome.message()
                                + " · hand over: " + name + (visitEnds ? " · the till holds no card now (scan the next"
                                + " customer's, or this one's again for a basket)" : ""));
                    }
                    case UNKNOWN -> {
                        basket.pending = new String[] {reward, receipt, basket.card};
                        out.println("UNKNOWN\t" + receipt + "\t" + outcome.message() + " · do not hand the reward over"
                                + " yet: type reward " + words[1] + " again when the engine answers (the same receipt:"
                                + " never taken twice)");
                    }
                    default -> {
                        // The engine's refusal of the receipt is a verdict on it: nothing was spent. A refusal of the
                        // till itself (its key, its address; sales still being sent first) is none: the reward's
                        // outcome is still not known.
                        if (pendingReceipt && outcome.status() == Till.Status.REFUSED && outcome.answer() != null
                                && !TILL_REFUSALS.contains(outcome.answer().getString("error", ""))) {
                            basket.pending = null;
                        }
                        // Nothing was spent: no receipt to speak of.
                        out.println(outcome.status() + "\t" + outcome.message());
                    }
                }
            }
            case "pay" -> {
                if (words.length > 2) {
                    throw new IllegalArgumentException("pay takes the points to spend, if any: pay or pay 500");
                }
                long points = words.length > 1 ? points(words[1], "pay") : 0;
                if (basket.card == null || basket.lines.isEmpty()) {
                    out.println("scan a card and add lines first");
                    return;
                }
                String receipt = basket.receipt();
                JsonArrayBuilder lines = Json.createArrayBuilder();
                basket.lines.forEach(lines::add);
                Till.Outcome outcome = till.sale(basket.card, receipt, lines.build(), points,
                        List.copyOf(basket.offers), null);
                // The transaction id goes on the receipt: any till of the store takes a return by it.
                String transaction = outcome.status() == Till.Status.DONE && outcome.answer() != null
                        && outcome.answer().containsKey("transactionId")
                        ? " · transaction " + outcome.answer().getString("transactionId") : "";
                out.println(outcome.status() + "\t" + receipt + "\t" + outcome.message() + transaction);
                if (outcome.status() == Till.Status.REFUSED || outcome.status() == Till.Status.UNAVAILABLE) {
                    out.println("the basket is kept: pay again, change it, or cancel");
                } else {
                    basket.clear();
                }
            }
            default -> {
                // A card number typed in four groups (2900 0000 0001 8) is the card, not a line of the basket.
                if (words.length == 4 && !ScannedCode.isTypedCardNumber(line)) {
                    jakarta.json.JsonObject added = Json.createObjectBuilder().add("sku", words[0])
                            .add("category", words[1]).add("quantity", quantity(words[2]))
                            .add("unitPrice", price(words[3], till.currency())).build();
                    String tooMuch = till.lineRefusal(added, basket.lines.size() + 1);
                    if (tooMuch != null) {
                        throw new IllegalArgumentException(tooMuch + ": line not added");
                    }
                    basket.lines.add(added);
                    out.println("line " + basket.lines.size() + " added");
                    return;
                }
                ScannedCode scanned = till.scan(line);
                if (scanned.isCard()) {
                    Till.Outcome outcome = till.lookup(scanned.text());
                    // A card the engine refused (unknown, blocked) is not the basket's: its sale would be refused
                    // at the till, or at the replay of an offline till, its points lost. Offline, it is taken.
                    String said = "";
                    if (outcome.status() == Till.Status.REFUSED && basket.card != null
                            && !basket.card.equals(scanned.text())) {
                        // Another card, refused (blocked, unknown): the customer at the till is not the last one.
                        // A card held with nothing else is let go, so that no reward nor basket goes on it.
                        if (basket.lines.isEmpty()) {
                            said = " · the till holds no card now (card " + basket.card + " let go)";
                            basket.clear();
                        } else {
                            said = " · the basket still holds " + basket.lines.size() + " line(s) for card "
                                    + basket.card + ": pay, or cancel";
                        }
                    }
                    if (outcome.status() != Till.Status.REFUSED) {
                        boolean same = scanned.text().equals(basket.card);
                        said = newCard(basket, scanned.text());
                        if (!same) {
                            // Another card: the last one's list and the rewards it took are not this one's.
                            basket.rewards = null;
                            basket.taken.clear();
                        }
                        basket.card = scanned.text();
                        if (outcome.status() == Till.Status.DONE && outcome.answer() != null
                                && outcome.answer().containsKey("offers")) {
                            basket.listed = outcome.answer().getJsonArray("offers")
                                    .getValuesAs(jakarta.json.JsonObject.class).stream()
                                    .map(o -> o.getString("offerId", "")).toList();
                        } else if (!same) {
                            // Offline: this card's offers are not known (the same card's, listed before, stay).
                            basket.listed = null;
                        }
                    }
                    out.println(outcome.status() + "\t" + scanned.text() + "\t" + outcome.message() + said);
                } else {
                    out.println("REFUSED\t" + scanned.reason());
                }
            }
        }
    }

    /**
     * What a card scanned into the basket does to it, said to the cashier: another member's card while lines or
     * offers of the last card's are held (a payment refused or offline, and the next customer at the till) starts a
     * new basket, so that nobody earns on another's purchase; the same card again keeps the lines, and says how many
     * there are, so that they are not added twice.
     */
    private static String newCard(Basket basket, String card) {
        if (basket.card == null || basket.lines.isEmpty() && basket.offers.isEmpty()) {
            return "";
        }
        int lines = basket.lines.size();
        if (basket.card.equals(card)) {
            return " · the basket holds " + lines + " line(s) for this card already: pay, or cancel to start again";
        }
        String previous = basket.card;
        basket.clear();
        return " · a new basket: the " + lines + " line(s) held for card " + previous + " were dropped (never sold);"
                + " add this customer's lines";
    }

    /**
     * The offer a cashier named, by its number in the card's look-up or its id; one the look-up did not list is
     * refused at once (it would refuse every payment of the basket). Offline, the look-up listed none: an id is
     * taken as typed, and the engine judges it when the sale is sent.
     */
    private static String offerOf(Basket basket, String typed) {
        if (basket.listed != null) {
            if (typed.matches("\\d{1,3}")) {
                int number = Integer.parseInt(typed);
                if (number >= 1 && number <= basket.listed.size()) {
                    return basket.listed.get(number - 1);
                }
            } else if (basket.listed.contains(typed)) {
                return typed;
            }
            throw new IllegalArgumentException(basket.listed.isEmpty() ? "this member has no offer now"
                    : "\"" + typed + "\" is not one of this member's offers: offer 1 to offer " + basket.listed.size()
                    + " (" + String.join(", ", basket.listed) + ")");
        }
        if (typed.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("the card's offers are not known (the engine did not answer its"
                    + " look-up): give the offer's id, offer o-123");
        }
        return typed;
    }

    /** The engine's refusals of the till itself, not of a call: no verdict on a reward's receipt. */
    private static final java.util.Set<String> TILL_REFUSALS = java.util.Set.of("unauthenticated", "forbidden",
            "store_mismatch", "not_found", "too_many_requests");

    /**
     * How a reward whose outcome was not known ended, when the till's journal has settled it since (a sale or a
     * replay sent it first): its pending state cleared, and what to say; {@code null} while it is not known yet (or
     * was never kept, the journal refusing it: then it is asked again under its receipt).
     */
    private static String settledSince(Till till, Basket basket) throws IOException {
        if (basket.pending == null) {
            return null;
        }
        String[] pending = basket.pending;
        Journal.Entry entry = till.journal().entries().stream()
                .filter(e -> e.receiptKey().endsWith("/" + pending[1])).reduce((a, b) -> b).orElse(null);
        if (entry == null || entry.state() == Journal.State.QUEUED) {
            return null;
        }
        basket.pending = null;
        return entry.state() == Journal.State.DELIVERED
                ? "SETTLED\t" + pending[1] + "\treward " + pending[0] + " on card " + pending[2] + " was taken, once: its"
                + " points are spent; hand it over if not done already (the note at the last sale said so)"
                : "SETTLED\t" + pending[1] + "\treward " + pending[0] + " on card " + pending[2] + " was not taken ("
                + entry.note() + "): nothing spent; ask for it again if the customer still wants it";
    }

    /**
     * The reward a cashier named, by its number in the list {@code rewards} gave or its id (taken as typed when no
     * list was asked for: the engine judges it).
     */
    private static String rewardOf(Basket basket, String typed) {
        if (typed.matches("\\d{1,3}")) {
            if (basket.rewards == null) {
                throw new IllegalArgumentException("list the rewards first (rewards), or give the reward's id:"
                        + " reward r-coffee");
            }
            int number = Integer.parseInt(typed);
            if (number < 1 || number > basket.rewards.size()) {
                throw new IllegalArgumentException(basket.rewards.isEmpty() ? "the programme has no reward today"
                        : "no reward " + typed + ": reward 1 to reward " + basket.rewards.size());
            }
            return basket.rewards.get(number - 1);
        }
        return typed;
    }

    private static int quantity(String text) {
        try {
            int quantity = Integer.parseInt(text);
            if (quantity > 0) {
                return quantity;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("the quantity \"" + text + "\" is not a whole number from 1: line not"
                + " added (SKU CATEGORY QUANTITY PRICE, e.g. COF-250 coffee 2 4.50)");
    }

    /** A unit price as typed, in the till's currency: digits, and no more decimals than the currency has. */
    private static String price(String text, java.util.Currency currency) {
        int digits = Math.max(0, currency.getDefaultFractionDigits());
        if (!text.matches("\\d{1,12}(\\.\\d+)?")) {
            throw new IllegalArgumentException("the price \"" + text + "\" is not an amount such as "
                    + (digits == 0 ? "450" : "4." + "50".repeat(digits).substring(0, digits)) + ": line not added (SKU"
                    + " CATEGORY QUANTITY PRICE, e.g. COF-250 coffee 2 4.50)");
        }
        if (new java.math.BigDecimal(text).stripTrailingZeros().scale() > digits) {
            throw new IllegalArgumentException("the price " + text + " has more than the " + digits + " decimal(s) of "
                    + currency.getCurrencyCode() + ": line not added");
        }
        return text;
    }

    private static long points(String text, String what) {
        try {
            long points = Long.parseLong(text);
            if (points >= 0) {
                return points;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(what + " takes a whole number of points, not \"" + text + "\"");
    }

    private static java.time.OffsetDateTime time(String text) {
        try {
            return java.time.OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--occurred-at takes a time with its offset such as"
                    + " 2026-12-05T10:15:00+01:00, not \"" + text + "\"");
        }
    }

    private int report(Till.Outcome outcome) {
        out.println(outcome.status() + "\t" + outcome.message());
        if (outcome.answer() != null && outcome.status() == Till.Status.DONE) {
            out.println(outcome.answer());
        }
        return switch (outcome.status()) {
            case DONE, QUEUED -> OK;
            case REFUSED -> REFUSED;
            case UNAVAILABLE, UNKNOWN -> UNAVAILABLE;
        };
    }

    private int usage(String message) {
        err.println("loyalty-pos: " + message);
        err.println("Try: loyalty-pos help");
        return USAGE;
    }

    private static JsonArray readArray(String file) throws IOException {
        try (var reader = Json.createReader(new StringReader(Files.readString(Path.of(file))))) {
            return reader.readArray();
        } catch (jakarta.json.JsonException e) {
            throw new IllegalArgumentException(file + " is not a JSON array of lines: " + e.getMessage());
        }
    }

    private static void require(Options options, String... names) {
        for (String name : names) {
            if (!options.containsKey(name)) {
                throw new IllegalArgumentException("missing --" + name);
            }
        }
    }

    /** The options a command was given: each once, but those it may take again and again. */
    private static final class Options {
        private final Map<String, List<String>> values = new HashMap<>();

        boolean containsKey(String name) {
            return values.containsKey(name);
        }

        String get(String name) {
            List<String> given = values.get(name);
            return given == null ? null : given.get(0);
        }

        String getOrDefault(String name, String fallback) {
            return containsKey(name) ? get(name) : fallback;
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }
    }

    /**
     * {@code --name value} pairs after {@code skip} positional arguments; {@code --again} style flags map to "".
     * Only the {@code known} names are taken (one ending in {@code *} may be given again and again): a misspelt
     * option is refused, never silently ignored.
     */
    private static Options options(List<String> args, int skip, String... known) {
        Options options = new Options();
        List<String> names = new ArrayList<>();
        for (String name : known) {
            names.add(name.replace("*", ""));
        }
        for (int i = skip; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            String name = arg.substring(2);
            if (!names.contains(name)) {
                throw new IllegalArgumentException("unknown option " + arg + (names.isEmpty() ? ": this command takes"
                        + " none" : "; this command takes --" + String.join(", --", names)));
            }
            boolean repeatable = List.of(known).contains(name + "*");
            if (options.values.containsKey(name) && !repeatable) {
                throw new IllegalArgumentException(arg + " is given twice");
            }
            String value = i + 1 < args.size() && !args.get(i + 1).startsWith("--") ? args.get(++i) : "";
            options.values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return options;
    }
}
