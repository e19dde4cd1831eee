package org.loyaltyengine.pos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import org.loyaltyengine.pos.engine.EngineClient;
import org.loyaltyengine.pos.journal.Journal;
import org.loyaltyengine.pos.scan.CardReader;
import org.loyaltyengine.pos.scan.ScannedCode;

/**
 * What the till does with the engine: look a card up, record sales, returns and redemptions, and keep selling
 * when the engine cannot be reached. A sale the engine did not answer within the budget goes to the journal,
 * fsync'd before the cashier is told; it is sent again, as it was, when the engine is back. Redemptions are
 * never queued: points cannot be spent without the live balance.
 */
public final class Till {

    /** How an operation ended for the cashier. */
    public enum Status {
        /** The engine recorded it. */
        DONE,
        /** The engine was unreachable: the sale is in the journal and will be credited later. */
        QUEUED,
        /** The engine (or the till, for a bad scan) refused it; the message says why. */
        REFUSED,
        /** The engine was unreachable and the operation cannot wait (a lookup, a redemption). */
        UNAVAILABLE
    }

    /** The outcome and what to tell the cashier; the engine's answer when there is one. */
    public record Outcome(Status status, String message, JsonObject answer) {
    }

    /** What a replay of the journal did. */
    public record ReplayReport(int delivered, int refused, int stillWaiting, List<String> notes) {
    }

    /** Replays may wait longer for the engine than a cashier would. */
    private static final Duration REPLAY_BUDGET = Duration.ofSeconds(10);

    private final TillConfig config;
    private final EngineClient engine;
    private final Journal journal;
    private final CardReader reader = new CardReader();

    public Till(TillConfig config) {
        this.config = config;
        this.engine = new EngineClient(config.engineUrl(), config.apiKey() == null ? "" : config.apiKey(),
                config.budget());
        this.journal = new Journal(config.journal());
    }

    public Journal journal() {
        return journal;
    }

    /** Reads a card from a scanner's line of text or from an image file. */
    public ScannedCode scan(String cardOrImage) throws IOException {
        Path file = Path.of(cardOrImage);
        if (!cardOrImage.isBlank() && Files.isRegularFile(file)) {
            return reader.read(file).map(decoded -> ScannedCode.classify(decoded.text(), decoded.format()))
                    .orElse(new ScannedCode(ScannedCode.Kind.INVALID, "", null, "No barcode found in " + file));
        }
        return ScannedCode.fromScanner(cardOrImage);
    }

    public Outcome lookup(String cardOrImage) throws IOException {
        ScannedCode card = scan(cardOrImage);
        if (!card.isCard()) {
            return new Outcome(Status.REFUSED, card.reason(), null);
        }
        try {
            EngineClient.Reply reply = engine.get("pos/cards/" + card.text());
            if (!reply.ok()) {
                return new Outcome(Status.REFUSED, reply.message(), reply.json());
            }
            JsonObject json = reply.json();
            return new Outcome(Status.DONE, json.getString("displayName", "") + " · " + json.getString("tier", "")
                    + " · " + json.getJsonNumber("availablePoints").longValue() + " points"
                    + (json.getJsonNumber("pendingPoints").longValue() > 0
                    ? " (+" + json.getJsonNumber("pendingPoints").longValue() + " pending)" : "")
                    + offers(json), json);
        } catch (EngineClient.Unavailable e) {
            return new Outcome(Status.UNAVAILABLE, "Loyalty offline: the card cannot be looked up now ("
                    + e.getMessage() + "); sales still earn points", null);
        }
    }

    /**
     * Records a sale, or queues it when the engine is unreachable.
     *
     * @param lines the basket as the contract's lines
     */
    public Outcome sale(String cardOrImage, String receiptId, JsonArray lines, long redeemPoints) throws IOException {
        ScannedCode card = scan(cardOrImage);
        if (!card.isCard()) {
            return new Outcome(Status.REFUSED, card.reason(), null);
        }
        requireStore();
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("cardNumber", card.text())
                .add("storeId", config.store())
                .add("terminalId", config.terminal())
                .add("receiptId", receiptId)
                .add("occurredAt", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .add("currency", config.currency())
                .add("lines", lines)
                .add("redeemPoints", redeemPoints)
                .add("offerIds", Json.createArrayBuilder());
        JsonObject sale = body.build();
        if (!journal.waiting().isEmpty()) {
            // Sales go to the engine in the order they were rung up: the queue first.
            replay(false, engine.budget());
        }
        if (journal.waiting().isEmpty()) {
            try {
                EngineClient.Reply reply = engine.post("pos/transactions", sale);
                if (!reply.ok()) {
                    return new Outcome(Status.REFUSED, reply.message(), reply.json());
                }
                JsonObject json = reply.json();
                return new Outcome(Status.DONE, json.getJsonNumber("pointsEarned").longValue() + " points earned"
                        + (redeemPoints > 0 ? ", " + redeemPoints + " spent (" + json.getString("redemptionValue")
                        + " " + config.currency() + ")" : "") + "; balance "
                        + json.getJsonNumber("availablePoints").longValue() + " · " + json.getString("tier", ""), json);
            } catch (EngineClient.Unavailable e) {
                return queue(receiptId, sale, redeemPoints, e.getMessage());
            }
        }
        return queue(receiptId, sale, redeemPoints, "earlier sales are still waiting for the engine");
    }

    private Outcome queue(String receiptId, JsonObject sale, long redeemPoints, String why) throws IOException {
        if (redeemPoints > 0) {
            return new Outcome(Status.REFUSED, "Loyalty offline (" + why + "): points cannot be spent now; ring the"
                    + " sale up without using points and it will still earn", null);
        }
        journal.append(config.store() + "/" + receiptId, sale);
        return new Outcome(Status.QUEUED, "Loyalty offline: the points of receipt " + receiptId
                + " will be credited when the connection is back", sale);
    }

    /** Takes back the points of returned lines ({@code [{"sku","quantity"}]}). */
    public Outcome returnGoods(String transactionId, String returnId, JsonArray lines) {
        JsonObject body = Json.createObjectBuilder().add("returnId", returnId).add("terminalId", config.terminal())
                .add("lines", lines).build();
        try {
            EngineClient.Reply reply = engine.post("pos/transactions/" + transactionId + "/returns", body);
            if (!reply.ok()) {
                return new Outcome(Status.REFUSED, reply.message(), reply.json());
            }
            return new Outcome(Status.DONE, reply.json().getJsonNumber("pointsReversed").longValue()
                    + " points taken back; balance " + reply.json().getJsonNumber("availablePoints").longValue(),
                    reply.json());
        } catch (EngineClient.Unavailable e) {
            return new Outcome(Status.UNAVAILABLE, "Loyalty offline: the return's points cannot be taken back now ("
                    + e.getMessage() + "); try again later", null);
        }
    }

    /** Spends points on a reward or for their value: only with the engine, never queued. */
    public Outcome redeem(String cardOrImage, String receiptId, String rewardId, Long points) throws IOException {
        ScannedCode card = scan(cardOrImage);
        if (!card.isCard()) {
            return new Outcome(Status.REFUSED, card.reason(), null);
        }
        requireStore();
        JsonObjectBuilder body = Json.createObjectBuilder().add("cardNumber", card.text())
                .add("storeId", config.store()).add("terminalId", config.terminal()).add("receiptId", receiptId);
        if (rewardId != null) {
            body.add("rewardId", rewardId);
        } else {
            body.add("points", points);
        }
        try {
            EngineClient.Reply reply = engine.post("pos/redemptions", body.build());
            if (!reply.ok()) {
                return new Outcome(Status.REFUSED, reply.message(), reply.json());
            }
            return new Outcome(Status.DONE, reply.json().getJsonNumber("pointsRedeemed").longValue()
                    + " points spent; balance " + reply.json().getJsonNumber("availablePoints").longValue(),
                    reply.json());
        } catch (EngineClient.Unavailable e) {
            return new Outcome(Status.UNAVAILABLE, "Loyalty offline: points cannot be spent now (" + e.getMessage()
                    + ")", null);
        }
    }

    /**
     * Sends the waiting sales to the engine, oldest first, stopping at the first that cannot be delivered so the
     * order holds. With {@code again}, sends every sale the journal ever held once more (an audit: the engine
     * answers replays without crediting anything).
     */
    public ReplayReport replay(boolean again) throws IOException {
        return replay(again, REPLAY_BUDGET);
    }

    private ReplayReport replay(boolean again, Duration budget) throws IOException {
        int delivered = 0;
        int refused = 0;
        List<String> notes = new java.util.ArrayList<>();
        List<Journal.Entry> entries = again ? journal.entries() : journal.waiting();
        for (Journal.Entry entry : entries) {
            try {
                EngineClient.Reply reply = engine.post("pos/transactions", entry.body(), budget);
                if (reply.ok()) {
                    delivered++;
                    String what = reply.status() == 201 ? "credited" : "already credited (replay)";
                    journal.mark(entry.seq(), Journal.State.DELIVERED, what);
                    notes.add(entry.receiptKey() + ": " + reply.status() + " " + what);
                } else {
                    refused++;
                    journal.mark(entry.seq(), Journal.State.REFUSED, reply.error() + ": " + reply.message());
                    notes.add(entry.receiptKey() + ": refused, " + reply.message());
                }
            } catch (EngineClient.Unavailable e) {
                if (entry.state() == Journal.State.QUEUED) {
                    journal.mark(entry.seq(), Journal.State.QUEUED, e.getMessage());
                }
                notes.add(entry.receiptKey() + ": still waiting, " + e.getMessage());
                break;
            }
        }
        return new ReplayReport(delivered, refused, journal.waiting().size(), notes);
    }

    private void requireStore() {
        if (config.store() == null) {
            throw new IllegalStateException("The till's store is not configured (store= or LOYALTY_POS_STORE)");
        }
    }

    private static String offers(JsonObject card) {
        JsonArray offers = card.getJsonArray("offers");
        if (offers == null || offers.isEmpty()) {
            return "";
        }
        return " · offers: " + String.join(", ", offers.getValuesAs(JsonObject.class).stream()
                .map(offer -> offer.getString("title", "")).toList());
    }
}
