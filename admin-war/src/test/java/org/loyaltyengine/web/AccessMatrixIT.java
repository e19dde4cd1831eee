package org.loyaltyengine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every role against every kind of endpoint: allowed calls pass the access check, every other gets 401 (no or
 * bad credentials) or 403 (the wrong role); pages are served to everyone but hold no data; every answer carries
 * the security headers; a large body is read only for a manager's call that takes one; repeated failed sign-ins lock
 * the account, also when sent all at once; a changed password and a log-out end sessions.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AccessMatrixIT {

    /** The largest body the engine reads before it knows who is calling what. */
    private static final int BODY_LIMIT = 256 * 1024;

    @ArquillianResource
    URL base;

    private Http http;

    @Deployment(testable = false)
    static WebArchive engine() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("loyalty.war")));
    }

    @BeforeEach
    void client() {
        http = new Http(base);
    }

    @Test
    void everyRoleIsAllowedWhatItMayDoAndDeniedTheRest() {
        Map<String, String[]> callers = new LinkedHashMap<>();
        callers.put("nobody", new String[0]);
        callers.put("bad token", new String[] {"Authorization", "Bearer not.a.token"});
        callers.put("till", new String[] {"X-Api-Key", "demo-pos-S001"});
        callers.put("customer", http.bearer("claire@demo.local", "claire-demo"));
        callers.put("auditor", http.bearer("auditor@demo.local", "auditor-demo"));
        callers.put("manager", http.bearer("manager@demo.local", "manager-demo"));
        callers.put("admin", http.bearer("admin@demo.local", "admin-demo"));
        String memberId = http.get("api/v1/pos/cards/2900000000025", callers.get("till")).json().getString("memberId");

        // endpoint -> the callers allowed (everyone else: 401 without valid credentials, 403 with them)
        List<Object[]> matrix = List.of(
                new Object[] {"GET", "api/v1/pos/cards/2900000000018", List.of("till")},
                new Object[] {"GET", "api/v1/pos/rewards", List.of("till")},
                new Object[] {"GET", "api/v1/pos/cards/2900000000018/rewards", List.of("till")},
                new Object[] {"GET", "api/v1/me", List.of("customer")},
                new Object[] {"GET", "api/v1/me/transactions", List.of("customer")},
                new Object[] {"GET", "api/v1/me/export", List.of("customer")},
                new Object[] {"GET", "api/v1/me/rewards", List.of("customer")},
                new Object[] {"POST", "api/v1/me/password", List.of("customer")},
                new Object[] {"POST", "api/v1/admin/me/password", List.of("auditor", "manager", "admin")},
                new Object[] {"GET", "api/v1/admin/programmes", List.of("auditor", "manager", "admin")},
                new Object[] {"GET", "api/v1/admin/members/" + memberId, List.of("auditor", "manager", "admin")},
                new Object[] {"GET", "api/v1/admin/programmes/DEMO/rules", List.of("auditor", "manager", "admin")},
                new Object[] {"GET", "api/v1/admin/members/" + memberId + "/redemptions", List.of("auditor", "manager", "admin")},
                new Object[] {"GET", "api/v1/admin/engine/timings", List.of("auditor", "manager", "admin")},
                new Object[] {"GET", "api/v1/admin/jobs", List.of("auditor", "manager", "admin")},
                new Object[] {"POST", "api/v1/admin/members/" + memberId + "/adjustments", List.of("manager", "admin")},
                new Object[] {"POST", "api/v1/admin/members/" + memberId + "/password-reset", List.of("manager", "admin")},
                new Object[] {"POST", "api/v1/admin/members/" + memberId + "/redemptions/d-0000000000000000/cancel",
                        List.of("manager", "admin")},
                new Object[] {"POST", "api/v1/admin/programmes/DEMO/rules/simulate", List.of("manager", "admin")},
                new Object[] {"POST", "api/v1/admin/programmes", List.of("admin")});
        List<String> wrong = new ArrayList<>();
        for (Object[] row : matrix) {
            String method = (String) row[0];
            String path = (String) row[1];
            @SuppressWarnings("unchecked")
            List<String> allowed = (List<String>) row[2];
            for (Map.Entry<String, String[]> caller : callers.entrySet()) {
                // Bodies that fail validation: an allowed caller gets past the access check to a 400, never 401/403.
                Http.Reply reply = method.equals("GET") ? http.get(path, caller.getValue())
                        : http.post(path, "{}", caller.getValue());
                int expectedDenial = caller.getKey().equals("nobody") || caller.getKey().equals("bad token") ? 401 : 403;
                boolean ok = allowed.contains(caller.getKey())
                        ? reply.status() != 401 && reply.status() != 403 && reply.status() < 500
                        : reply.status() == expectedDenial
                                || (caller.getKey().equals("manager") && path.equals("api/v1/admin/programmes")
                                && reply.status() == 403);
                if (!ok) {
                    wrong.add(method + " " + path + " as " + caller.getKey() + " -> " + reply.status() + " " + reply.body());
                }
            }
        }
        assertThat(wrong).as("allow and deny of every role").isEmpty();
    }

    @Test
    void aTillKeyRevokedIsRefusedFromTheNextCallOn() {
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        Http.Reply issued = http.post("api/v1/admin/programmes/DEMO/pos-keys", "{\"storeId\":\"S003\"}", manager);
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        String[] till = {"X-Api-Key", issued.json().getString("key")};
        // Used, so that the engine has the key in its cache of keys.
        assertThat(http.get("api/v1/pos/cards/2900000000018", till).status()).isEqualTo(200);
        assertThat(http.get("api/v1/pos/cards/2900000000018", till).status()).isEqualTo(200);

        long keyId = http.get("api/v1/admin/programmes/DEMO/pos-keys", manager).array().getValuesAs(JsonObject.class)
                .stream().filter(key -> key.getString("storeId").equals("S003") && !key.containsKey("revokedAt"))
                .mapToLong(key -> key.getJsonNumber("keyId").longValue()).max().orElseThrow();
        Http.Reply revoked = http.post("api/v1/admin/programmes/DEMO/pos-keys/" + keyId + "/revoke", "", manager);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);

        long before = points(new String[] {"X-Api-Key", "demo-pos-S001"}, "2900000000018");
        assertThat(http.get("api/v1/pos/cards/2900000000018", till).status()).as("refused at once").isEqualTo(401);
        Http.Reply sale = http.post("api/v1/pos/transactions", "{\"cardNumber\":\"2900000000018\",\"storeId\":\"S003\","
                + "\"receiptId\":\"R-" + java.util.UUID.randomUUID() + "\",\"occurredAt\":\""
                + java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).withNano(0) + "\",\"currency\":\"EUR\","
                + "\"lines\":[{\"sku\":\"A\",\"category\":\"grocery\",\"quantity\":1,\"unitPrice\":\"50.00\"}]}", till);
        assertThat(sale.status()).as("a sale under the revoked key earns nothing").isEqualTo(401);
        assertThat(points(new String[] {"X-Api-Key", "demo-pos-S001"}, "2900000000018")).isEqualTo(before);
    }

    @Test
    void aPathSpelledAnotherWayMeetsTheRuleOfTheMethodItReaches() {
        String[] till = {"X-Api-Key", "demo-pos-S001"};
        String[] marc = http.bearer("marc@demo.local", "marc-demo");
        String[] auditor = http.bearer("auditor@demo.local", "auditor-demo");
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        String marcId = http.get("api/v1/pos/cards/2900000000025", till).json().getString("memberId");
        String claireId = http.get("api/v1/pos/cards/2900000000018", till).json().getString("memberId");
        long before = points(till, "2900000000025");

        List<String> wrong = new ArrayList<>();
        for (String admin : List.of("admin;x", "admin;", "%61dmin", "admin;a=b;c=d")) {
            String claire = "api/v1/" + admin + "/members/" + claireId;
            String adjust = "api/v1/" + admin + "/members/" + marcId + "/adjustments";
            String body = "{\"points\":5000,\"reason\":\"self-service\"}";
            expectDenied(wrong, "GET " + claire + " as nobody", http.get(claire), 401);
            expectDenied(wrong, "GET " + claire + " as a customer", http.get(claire, marc), 403);
            expectDenied(wrong, "GET " + claire + " as a till", http.get(claire, till), 403);
            expectDenied(wrong, "POST " + adjust + " as a customer", http.post(adjust, body, marc), 403);
            expectDenied(wrong, "POST " + adjust + " as an auditor", http.post(adjust, body, auditor), 403);
            expectDenied(wrong, "POST " + adjust + " as a till", http.post(adjust, body, till), 403);
        }
        for (String pos : List.of("pos;x", "p%6Fs")) {
            String card = "api/v1/" + pos + "/cards/2900000000018";
            expectDenied(wrong, "GET " + card + " as nobody", http.get(card), 401);
            expectDenied(wrong, "GET " + card + " as a customer", http.get(card, marc), 403);
        }
        expectDenied(wrong, "GET me;x as a till", http.get("api/v1/me;x", till), 403);
        expectDenied(wrong, "POST admin/me;x/password as a customer",
                http.post("api/v1/admin/me;x/password", "{}", marc), 403);
        expectDenied(wrong, "POST admin/programmes;x as a manager of DEMO only",
                http.post("api/v1/admin/programmes;x", "{\"code\":\"SNEAK\",\"name\":\"Sneak\"}", manager), 403);

        assertThat(wrong).as("answers to a path spelled another way").isEmpty();
        assertThat(points(till, "2900000000025")).as("Marc's points: no adjustment got through").isEqualTo(before);
        Http.Reply allowed = http.get("api/v1/admin;x/members/" + claireId, manager);
        assertThat(allowed.status()).as("the rule, not the spelling, decides: " + allowed.body()).isEqualTo(200);
        assertThat(allowed.body()).contains("claire@demo.local");
    }

    @Test
    void aBodyOver256KiBIsReadOnlyWhenAManagerSendsARuleSetOrAMemberImport() {
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        String[] marc = http.bearer("marc@demo.local", "marc-demo");
        String rules = "api/v1/admin/programmes/DEMO/rules";
        String mebibyte = "{\"comment\":\"" + "x".repeat(1 << 20) + "\"}";

        // Without credentials a large body is refused before anything reads it, whatever the path.
        assertError(http.put(rules, mebibyte), 413, "body_too_large", null);
        assertError(http.post("api/v1/nothing/rules", mebibyte), 413, "body_too_large", null);
        assertError(http.post("api/v1/admin/programmes/DEMO/members/import", "text/csv",
                ("email\n" + "a@example.org\n".repeat(80_000)).getBytes(StandardCharsets.UTF_8)),
                413, "body_too_large", null);
        // A token that is none, or not a manager's: refused by the access check, the body never kept.
        assertError(http.put(rules, mebibyte, "Authorization", "Bearer not.a.token"), 401, "unauthenticated", null);
        assertError(http.put(rules, mebibyte, marc), 403, "forbidden", null);
        // Signed in, to a method that takes no large body.
        assertError(http.post("api/v1/me/claims", mebibyte, marc), 413, "body_too_large", null);
        assertError(http.post(rules + "/simulate", mebibyte, manager), 413, "body_too_large", null);

        // A manager's rule set of over 256 KiB (the live files, and two long notes) is stored as a draft.
        JsonObjectBuilder files = Json.createObjectBuilder();
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (JsonObject file : http.get(rules, manager).json().getJsonArray("files").getValuesAs(JsonObject.class)) {
            list.add(Json.createObjectBuilder().add("path", file.getString("path")).add("content",
                    file.getString("content")));
        }
        String note = "// A long note on the programme's history, kept beside its rules.\n".repeat(2_500);
        list.add(Json.createObjectBuilder().add("path", "notes/history-1.drl").add("content", note));
        list.add(Json.createObjectBuilder().add("path", "notes/history-2.drl").add("content", note));
        String large = files.add("comment", "Rules with long notes").add("files", list).build().toString();
        assertThat(large.length()).isGreaterThan(BODY_LIMIT);

        Http.Reply saved = http.put(rules, large, manager);

        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        assertThat(http.get(rules + "?version=" + saved.json().getInt("version"), manager).body())
                .contains("notes/history-2.drl");
        assertError(http.put(rules, "{\"comment\":\"" + "x".repeat(9 << 20) + "\"}", manager), 413,
                "body_too_large", null);
    }

    @Test
    void aBodyFarOverTheLimitIsAnsweredAfterSixteenMiBAndItsConnectionClosed() throws IOException {
        String root = base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + root + "api/v1/admin/programmes/DEMO/rules HTTP/1.1\r\nHost: " + base.getHost()
                    + ":" + base.getPort() + "\r\nContent-Type: application/json\r\nContent-Length: " + (64 << 20)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            // 16 MiB of the 64 declared: what the engine reads and drops before it answers.
            for (int i = 0; i < 256; i++) {
                out.write(chunk);
            }
            out.flush();

            String answer = answer(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("\r\nconnection: close\r\n")
                    .contains("\"error\":\"body_too_large\"");
        }
    }

    /** An HTTP/1.1 answer with a Content-Length, headers and body, read off the connection. */
    private static String answer(java.io.InputStream in) throws IOException {
        java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
        int end = -1;
        while (end < 0) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            read.write(next);
            end = read.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        }
        String head = read.toString(StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)")
                .matcher(head);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return head + new String(body, StandardCharsets.UTF_8);
    }

    /** The call must be refused with the status (or, where the spelling reaches no method at all, 404). */
    private static void expectDenied(List<String> wrong, String call, Http.Reply reply, int status) {
        boolean refused = reply.status() == status || reply.status() == 404;
        if (!refused || reply.body().contains("claire@demo.local")) {
            wrong.add(call + " -> " + reply.status() + " " + reply.body());
        }
    }

    private long points(String[] till, String card) {
        return http.get("api/v1/pos/cards/" + card, till).json().getJsonNumber("availablePoints").longValue();
    }

    @Test
    void pagesAreServedWithTheSecurityHeadersAndHoldNoData() {
        for (String page : List.of("", "account/", "backoffice/", "js/api.js", "css/site.css")) {
            Http.Reply reply = http.get(page);
            assertThat(reply.status()).as(page).isEqualTo(200);
        }
        Http.Reply page = http.get("backoffice/");
        assertThat(page.body()).doesNotContain("@demo.local").doesNotContain("29000000000");
        java.net.http.HttpResponse<String> raw = http.raw("account/");
        assertThat(raw.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(raw.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(raw.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
        assertThat(http.raw("api/v1/me").headers().firstValue("Cache-Control")).hasValue("no-store");
        // The engine's clock, by which the POS adapter sets a till's that is off.
        java.time.Instant date = java.time.ZonedDateTime.parse(http.raw("api/v1/health").headers().firstValue("Date")
                .orElseThrow(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(date).isBetween(java.time.Instant.now().minusSeconds(5), java.time.Instant.now().plusSeconds(5));
    }

    @Test
    void aMemberEnrolledAtTheDeskSignsUpOnlineWithTheirCardEmailAndName() {
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        String email = "desk-" + UUID.randomUUID() + "@example.org";
        Http.Reply enrolled = http.post("api/v1/admin/programmes/DEMO/members", "{\"email\":\"" + email
                + "\",\"firstName\":\"Erik\",\"lastName\":\"Sand\"}", manager);
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        String card = enrolled.json().getString("cardNumber");
        JsonObject exists = http.post("api/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":"
                + "\"erik-pass-1\",\"firstName\":\"Erik\",\"lastName\":\"Sand\"}").json();
        assertThat(exists.getString("error")).as("without the card, the member exists").isEqualTo("member_exists");
        assertThat(exists.getString("message")).as("whoever typed the email is not told the member's id")
                .doesNotContain(enrolled.json().getString("memberId")).contains("reset code");

        Http.Reply wrongName = http.post("api/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":"
                + "\"erik-pass-1\",\"firstName\":\"Erik\",\"lastName\":\"Strand\",\"cardNumber\":\"" + card
                + "\"}");
        Http.Reply joined = http.post("api/v1/auth/register", "{\"email\":\"" + email.toUpperCase()
                + "\",\"password\":\"erik-pass-1\",\"firstName\":\"Erik\",\"lastName\":\"sand\","
                + "\"cardNumber\":\"" + card + "\"}");
        Http.Reply again = http.post("api/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":"
                + "\"other-pass-1\",\"firstName\":\"Erik\",\"lastName\":\"Sand\",\"cardNumber\":\"" + card
                + "\"}");

        assertThat(wrongName.status()).as(wrongName.body()).isEqualTo(422);
        assertThat(wrongName.json().getString("error")).isEqualTo("details_mismatch");
        assertThat(wrongName.json().getString("message")).doesNotContain("Strand").doesNotContain("Sand");
        assertThat(joined.status()).as(joined.body()).isEqualTo(201);
        assertThat(joined.json().getString("cardNumber")).isEqualTo(card);
        String[] site = http.bearer(email, "erik-pass-1");
        assertThat(http.get("api/v1/me", site).json().getJsonArray("cards").getJsonObject(0).getString("cardNumber"))
                .isEqualTo(card);
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.json().getString("error")).isEqualTo("account_exists");
        assertThat(http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"other-pass-1\"}")
                .status()).as("the first password stays").isEqualTo(401);
    }

    @Test
    void theEmailOnFileOfADeskCardCannotBeGuessedFromTheCardAndTheName() {
        // The number is printed on the card and the name is easy to learn: each claim is counted, as a sign-in is.
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        String email = "guessed-" + UUID.randomUUID() + "@example.org";
        Http.Reply enrolled = http.post("api/v1/admin/programmes/DEMO/members", "{\"email\":\"" + email
                + "\",\"firstName\":\"Gil\",\"lastName\":\"Moreau\"}", manager);
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        String card = enrolled.json().getString("cardNumber");
        java.util.function.Function<String, Http.Reply> claim = guess -> http.post("api/v1/auth/register",
                "{\"email\":\"" + guess + "\",\"password\":\"gil-pass-12\",\"firstName\":\"Gil\",\"lastName\":\"Moreau\","
                        + "\"cardNumber\":\"" + card + "\"}");
        for (int i = 0; i < 5; i++) {
            assertError(claim.apply("guess-" + i + "@example.org"), 422, "details_mismatch", "cardNumber");
        }

        Http.Reply right = claim.apply(email);

        assertError(right, 429, "claim_locked", "cardNumber");
        assertThat(right.json().getString("message")).contains("service desk").doesNotContain(email);
        assertThat(http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"gil-pass-12\"}")
                .status()).as("no sign-in was given to the sixth claim").isEqualTo(401);
        // The member calls the desk: the member's page says why, once for the lock, not once per refused claim.
        String audit = http.get("api/v1/admin/members/" + enrolled.json().getString("memberId") + "/audit", manager)
                .body();
        assertThat(audit).contains("CARD_CLAIMS_LOCKED").contains("5 claims in a row of card " + card)
                .doesNotContain("guess-0@example.org");
        assertThat(audit.split("CARD_CLAIMS_LOCKED", -1)).as(audit).hasSize(2);
        // A card number of nobody locks the same way, so that the lock tells nobody which cards exist.
        String nobodys = http.post("api/v1/admin/programmes/DEMO/members", "{\"email\":\"other-" + UUID.randomUUID()
                + "@example.org\",\"firstName\":\"Ida\",\"lastName\":\"Roux\"}", manager).json()
                .getString("cardNumber");
        String unissued = nextCardNumberAfter(nobodys);
        for (int i = 0; i < 5; i++) {
            assertError(http.post("api/v1/auth/register", "{\"email\":\"x" + i + "@example.org\",\"password\":"
                    + "\"gil-pass-12\",\"firstName\":\"Ida\",\"lastName\":\"Roux\",\"cardNumber\":\"" + unissued + "\"}"), 422,
                    "details_mismatch", "cardNumber");
        }
        assertError(http.post("api/v1/auth/register", "{\"email\":\"x@example.org\",\"password\":\"gil-pass-12\","
                + "\"firstName\":\"Ida\",\"lastName\":\"Roux\",\"cardNumber\":\"" + unissued + "\"}"), 429, "claim_locked", "cardNumber");
    }

    /** A valid card number (its check digit right) after the one given, that no card has yet. */
    private static String nextCardNumberAfter(String card) {
        String body = String.valueOf(Long.parseLong(card.substring(0, 12)) + 1_000);
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            int digit = body.charAt(i) - '0';
            sum += i % 2 == 0 ? digit : digit * 3;
        }
        return body + (10 - sum % 10) % 10;
    }

    @Test
    void fiveFailedSignInsLockTheAccountEvenForTheRightPassword() {
        String email = "lock-" + UUID.randomUUID() + "@example.org";
        Http.Reply joined = http.post("api/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":\"right-password\","
                + "\"firstName\":\"Lou\",\"lastName\":\"Keller\"}");
        assertThat(joined.status()).as(joined.body()).isEqualTo(201);
        assertThat(joined.json().getString("cardNumber")).startsWith("29").hasSize(13);
        for (int i = 0; i < 5; i++) {
            assertThat(http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"wrong\"}").status())
                    .isEqualTo(401);
        }

        Http.Reply locked = http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"right-password\"}");

        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.json().getString("error")).isEqualTo("account_locked");

        // An email of no account is locked the same way: the lock tells nobody which emails have an account.
        String nobody = "nobody-" + UUID.randomUUID() + "@example.org";
        for (int i = 0; i < 4; i++) {
            assertError(login(nobody, "wrong"), 401, "invalid_credentials", null);
        }
        assertError(reset(nobody, "AAAAA-AAAA2", "second-pass-2"), 401, "invalid_reset_code", "code");
        Http.Reply lockedToo = login(nobody, "right-password");
        assertError(lockedToo, 429, "account_locked", null);
        assertThat(lockedToo.json().getString("message").replaceAll("until [^;]+;", "until …;"))
                .isEqualTo(locked.json().getString("message").replaceAll("until [^;]+;", "until …;"));
    }

    @Test
    void wrongPasswordsSentAllAtOnceLockTheAccountAfterFive() throws Exception {
        String email = "burst-" + UUID.randomUUID() + "@example.org";
        register(email, "right-password");

        List<Http.Reply> replies = atOnce(20, i -> login(email, "wrong-" + i));

        assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).as(reply.body()).isIn(401, 429));
        assertThat(replies.stream().filter(reply -> reply.status() == 401))
                .as("wrong passwords checked before the lock").hasSizeBetween(1, 5)
                .allSatisfy(reply -> assertThat(reply.json().getString("error")).isEqualTo("invalid_credentials"));
        assertThat(replies.stream().filter(reply -> reply.status() == 429))
                .allSatisfy(reply -> assertThat(reply.json().getString("error")).isEqualTo("account_locked"));
        assertError(login(email, "right-password"), 429, "account_locked", null);
    }

    @Test
    void wrongPasswordsSentAllAtOnceOnAnEmailOfNoAccountAreCountedAsAnAccountsAre() throws Exception {
        // Counted in the database under the row of the email's slot, as an account's failures under its row: the
        // first failures of a slot, sent at once, each insert that row, and all but one count again on the one kept.
        String nobody = "burst-nobody-" + UUID.randomUUID() + "@example.org";

        List<Http.Reply> replies = atOnce(20, i -> login(nobody, "wrong-" + i));

        assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).as(reply.body()).isIn(401, 429));
        assertThat(replies.stream().filter(reply -> reply.status() == 401))
                .as("attempts answered as a wrong password before the lock").hasSizeBetween(1, 5);
        assertThat(replies.stream().filter(reply -> reply.status() == 429))
                .as("attempts refused by the lock").hasSizeGreaterThanOrEqualTo(15)
                .allSatisfy(reply -> assertThat(reply.json().getString("error")).isEqualTo("account_locked"));
        assertError(login(" " + nobody.toUpperCase(java.util.Locale.ROOT), "wrong"), 429, "account_locked", null);
    }

    @Test
    void wrongPasswordsSentAllAtOnceToChangeOrCloseOrResetAreCountedEachOne() throws Exception {
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        String changing = "burst-change-" + UUID.randomUUID() + "@example.org";
        String[] changer = register(changing, "first-pass-1");
        String closing = "burst-close-" + UUID.randomUUID() + "@example.org";
        String[] closer = register(closing, "first-pass-1");
        String resetting = "burst-reset-" + UUID.randomUUID() + "@example.org";
        String memberId = http.get("api/v1/me", register(resetting, "first-pass-1")).json().getString("memberId");
        String code = http.post("api/v1/admin/members/" + memberId + "/password-reset", "{}", manager).json()
                .getString("code");

        List<Http.Reply> changes = atOnce(20, i -> http.post("api/v1/me/password", "{\"currentPassword\":\"guess-"
                + i + "\",\"newPassword\":\"second-pass-2\"}", changer));
        List<Http.Reply> closes = atOnce(20, i -> http.post("api/v1/me/close", "{\"password\":\"guess-" + i + "\"}",
                closer));
        List<Http.Reply> resets = atOnce(20, i -> reset(resetting, "AAAAA-AAA" + (char) ('A' + i), "second-pass-2"));

        assertThat(changes.stream().filter(reply -> reply.status() == 403)).as("wrong passwords checked")
                .hasSizeBetween(1, 5);
        assertThat(closes.stream().filter(reply -> reply.status() == 403)).as("wrong passwords checked")
                .hasSizeBetween(1, 5);
        assertThat(resets.stream().filter(reply -> reply.status() == 401)).as("wrong codes checked")
                .hasSizeBetween(1, 5);
        for (List<Http.Reply> replies : List.of(changes, closes, resets)) {
            assertThat(replies.stream().filter(reply -> reply.status() != 403 && reply.status() != 401))
                    .allSatisfy(reply -> assertThat(reply.status()).as(reply.body()).isEqualTo(429));
        }
        assertError(http.post("api/v1/me/password", "{\"currentPassword\":\"first-pass-1\",\"newPassword\":"
                + "\"second-pass-2\"}", changer), 429, "account_locked", null);
        assertError(http.post("api/v1/me/close", "{\"password\":\"first-pass-1\"}", closer), 429, "account_locked",
                null);
        assertError(reset(resetting, code, "second-pass-2"), 429, "account_locked", null);
        for (String email : List.of(changing, closing, resetting)) {
            assertThat(login(email, "first-pass-1").status()).as(email).isEqualTo(429);
        }
    }

    @Test
    void theRightPasswordAfterFourWrongOnesSignsInAndStartsTheCountAgain() {
        String email = "four-" + UUID.randomUUID() + "@example.org";
        register(email, "right-password");
        for (int i = 0; i < 4; i++) {
            assertError(login(email, "wrong-" + i), 401, "invalid_credentials", null);
        }

        assertThat(login(email, "right-password").status()).isEqualTo(200);

        for (int i = 0; i < 4; i++) {
            assertError(login(email, "wrong-again-" + i), 401, "invalid_credentials", null);
        }
        assertThat(login(email, "right-password").status()).as("four more in a row: not locked").isEqualTo(200);
    }

    /** Sends the calls at the same moment, each from a thread of its own, and answers their replies. */
    private static List<Http.Reply> atOnce(int calls, java.util.function.IntFunction<Http.Reply> call)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(calls);
        try {
            CountDownLatch ready = new CountDownLatch(calls);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Http.Reply>> sent = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int n = i;
                sent.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call.apply(n);
                }));
            }
            ready.await();
            go.countDown();
            List<Http.Reply> replies = new ArrayList<>();
            for (Future<Http.Reply> reply : sent) {
                replies.add(reply.get(2, TimeUnit.MINUTES));
            }
            return replies;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aCustomerClosesTheirAccountAndOnlyTheLedgerRemains() {
        String email = "close-" + UUID.randomUUID() + "@example.org";
        Http.Reply joined = http.post("api/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":\"close-pass-1\","
                + "\"firstName\":\"Noa\",\"lastName\":\"Berg\"}");
        String card = joined.json().getString("cardNumber");
        String[] customer = {"Authorization", "Bearer " + joined.json().getJsonObject("session").getString("token")};
        http.post("api/v1/pos/transactions", "{\"cardNumber\":\"" + card + "\",\"storeId\":\"S001\",\"receiptId\":\"R-"
                + UUID.randomUUID() + "\",\"occurredAt\":\"" + java.time.OffsetDateTime.now().minusMinutes(1).withNano(0)
                + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"category\":\"x\",\"quantity\":1,\"unitPrice\":\"12.00\"}]}",
                "X-Api-Key", "demo-pos-S001");

        java.time.OffsetDateTime rungUpBefore = java.time.OffsetDateTime.now().minusMinutes(1).withNano(0);

        // As the customer site (a browser, HTTP/1.1 as this client) sends it: a DELETE with a body never reaches the
        // application.
        Http.Reply wrong = http.post("api/v1/me/close", "{\"password\":\"wrong\"}", customer);
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(403);
        assertThat(wrong.json().getString("error")).isNotBlank();
        assertThat(http.get("api/v1/me", customer).status()).as("a wrong password closes nothing").isEqualTo(200);
        Http.Reply closed = http.post("api/v1/me/close", "{\"password\":\"close-pass-1\"}", customer);
        assertThat(closed.status()).as(closed.body()).isEqualTo(204);

        assertThat(http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"close-pass-1\"}").status())
                .isEqualTo(401);
        assertThat(http.get("api/v1/pos/cards/" + card, "X-Api-Key", "demo-pos-S001").status()).isEqualTo(409);
        // A till that was offline sends a sale rung up before the closing: a sale before a card was blocked earns,
        // but not for an account closed since.
        Http.Reply late = http.post("api/v1/pos/transactions", "{\"cardNumber\":\"" + card + "\",\"storeId\":\"S001\","
                + "\"receiptId\":\"R-" + UUID.randomUUID() + "\",\"occurredAt\":\"" + rungUpBefore + "\",\"currency\":"
                + "\"EUR\",\"lines\":[{\"sku\":\"A\",\"category\":\"x\",\"quantity\":1,\"unitPrice\":\"30.00\"}]}",
                "X-Api-Key", "demo-pos-S001");
        assertError(late, 409, "member_closed", "cardNumber");
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        // Nor can staff put a closed account's card back into use, or replace it.
        assertError(http.post("api/v1/admin/cards/" + card + "/activate", "", manager), 409, "member_closed", null);
        assertError(http.post("api/v1/admin/cards/" + card + "/replace", "{}", manager), 409, "member_closed", null);
        assertThat(http.get("api/v1/pos/cards/" + card, "X-Api-Key", "demo-pos-S001").status()).isEqualTo(409);
        String memberId = joined.json().getString("memberId");
        var record = http.get("api/v1/admin/members/" + memberId, manager).json();
        assertThat(record.getString("status")).isEqualTo("CLOSED");
        assertThat(record.toString()).doesNotContain(email).doesNotContain("Noa");
        assertThat(http.get("api/v1/admin/members/" + memberId + "/ledger-check", manager).json()
                .getJsonNumber("entriesTotal").longValue()).as("the ledger's totals stay").isEqualTo(12);
    }

    @Test
    void theOldDeleteOfMeStillClosesAnAccountOverHttp2() {
        String email = "close-" + UUID.randomUUID() + "@example.org";
        Http.Reply joined = http.post("api/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":\"close-pass-2\","
                + "\"firstName\":\"Ola\",\"lastName\":\"Berg\"}");
        String[] customer = {"Authorization", "Bearer " + joined.json().getJsonObject("session").getString("token")};

        // Sent over h2c (Http.delete with a body), where Payara lets a DELETE carry its body.
        assertThat(http.delete("api/v1/me", "{\"password\":\"close-pass-2\"}", customer).status()).isEqualTo(204);

        assertThat(http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"close-pass-2\"}").status())
                .isEqualTo(401);
    }

    @Test
    void aWrongCurrentPasswordChangesNothingAndCountsAsAFailedSignIn() {
        String email = "pw-wrong-" + UUID.randomUUID() + "@example.org";
        String[] customer = register(email, "first-pass-1");

        Http.Reply wrong = http.post("api/v1/me/password", "{\"currentPassword\":\"not-it-at-all\","
                + "\"newPassword\":\"second-pass-2\"}", customer);

        assertError(wrong, 403, "invalid_credentials", "currentPassword");
        assertThat(http.get("api/v1/me", customer).status()).as("the session goes on").isEqualTo(200);
        assertThat(login(email, "second-pass-2").status()).isEqualTo(401);
        assertThat(login(email, "first-pass-1").status()).as("the old password still signs in").isEqualTo(200);
        assertError(http.post("api/v1/me/password", "{\"currentPassword\":\"first-pass-1\",\"newPassword\":\"short\"}",
                customer), 400, "invalid_field", "newPassword");
        assertError(http.post("api/v1/me/password", "{\"currentPassword\":\"first-pass-1\","
                + "\"newPassword\":\"first-pass-1\"}", customer), 422, "password_unchanged", "newPassword");
        assertError(http.post("api/v1/me/password", "{\"newPassword\":\"second-pass-2\"}", customer), 400,
                "invalid_field", "currentPassword");
        assertThat(login(email, "first-pass-1").status()).isEqualTo(200);

        // Guessing the password with a stolen token is no faster than at the sign-in form.
        for (int i = 0; i < 5; i++) {
            http.post("api/v1/me/password", "{\"currentPassword\":\"guess-" + i + "\",\"newPassword\":\"second-pass-2\"}",
                    customer);
        }
        assertError(http.post("api/v1/me/password", "{\"currentPassword\":\"first-pass-1\","
                + "\"newPassword\":\"second-pass-2\"}", customer), 429, "account_locked", null);
        assertThat(login(email, "first-pass-1").status()).isEqualTo(429);
    }

    @Test
    void closingAnAccountGuessesThePasswordNoFasterThanSigningIn() {
        String email = "close-guess-" + UUID.randomUUID() + "@example.org";
        String[] customer = register(email, "first-pass-1");

        for (int i = 0; i < 5; i++) {
            assertError(http.post("api/v1/me/close", "{\"password\":\"guess-" + i + "\"}", customer), 403,
                    "invalid_credentials", "password");
        }
        Http.Reply right = http.post("api/v1/me/close", "{\"password\":\"first-pass-1\"}", customer);

        assertError(right, 429, "account_locked", null);
        assertThat(http.get("api/v1/me", customer).status()).as("the account stays open").isEqualTo(200);
        assertThat(login(email, "first-pass-1").status()).as("locked at the sign-in form too").isEqualTo(429);
    }

    @Test
    void aNewPasswordSignsInTheOldOneNoLongerAndEveryOtherSessionEnds() {
        String email = "pw-change-" + UUID.randomUUID() + "@example.org";
        String[] registered = register(email, "first-pass-1");
        String[] phone = http.bearer(email, "first-pass-1");
        String[] laptop = http.bearer(email, "first-pass-1");

        Http.Reply changed = http.post("api/v1/me/password", "{\"currentPassword\":\"first-pass-1\","
                + "\"newPassword\":\"second-pass-2\"}", laptop);

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().getString("role")).isEqualTo("CUSTOMER");
        assertThat(changed.json().getJsonNumber("expiresIn").longValue()).isPositive();
        String[] renewed = {"Authorization", "Bearer " + changed.json().getString("token")};
        assertThat(http.get("api/v1/me", renewed).status()).as("the new session of the one who changed it")
                .isEqualTo(200);
        for (String[] before : List.of(registered, phone, laptop)) {
            Http.Reply ended = http.get("api/v1/me", before);
            assertError(ended, 401, "unauthenticated", null);
        }
        assertThat(login(email, "first-pass-1").status()).as("the old password").isEqualTo(401);
        assertThat(login(email, "second-pass-2").status()).as("the new password").isEqualTo(200);
        String memberId = http.get("api/v1/me", renewed).json().getString("memberId");
        assertThat(http.get("api/v1/admin/members/" + memberId + "/audit", http.bearer("manager@demo.local",
                "manager-demo")).body()).as("in the member's audit trail").contains("PASSWORD_CHANGED");
    }

    @Test
    void loggingOutEndsThatSessionAtOnceAndEverywhereEndsThemAll() {
        String email = "logout-" + UUID.randomUUID() + "@example.org";
        String[] registered = register(email, "first-pass-1");
        String[] phone = http.bearer(email, "first-pass-1");
        String[] laptop = http.bearer(email, "first-pass-1");

        Http.Reply out = http.post("api/v1/auth/logout", "", laptop);

        assertThat(out.status()).as(out.body()).isEqualTo(204);
        assertError(http.get("api/v1/me", laptop), 401, "unauthenticated", null);
        assertThat(http.get("api/v1/me", phone).status()).as("the account's other sessions go on").isEqualTo(200);
        assertError(http.post("api/v1/auth/logout", "", laptop), 401, "unauthenticated", null);
        assertError(http.post("api/v1/auth/logout", ""), 401, "unauthenticated", null);
        assertError(http.post("api/v1/auth/logout", "", "X-Api-Key", "demo-pos-S001"), 403, "forbidden", null);
        assertThat(login(email, "first-pass-1").status()).as("the password is the same").isEqualTo(200);

        assertThat(http.post("api/v1/auth/logout?everywhere=true", "", phone).status()).isEqualTo(204);

        assertThat(http.get("api/v1/me", phone).status()).isEqualTo(401);
        assertThat(http.get("api/v1/me", registered).status()).isEqualTo(401);
        assertThat(http.get("api/v1/me", http.bearer(email, "first-pass-1")).status()).as("a new sign-in")
                .isEqualTo(200);
    }

    @Test
    void aStaffMemberLogsOutAndTheTokenNoLongerReadsTheProgrammes() {
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        assertThat(http.get("api/v1/admin/programmes", manager).status()).isEqualTo(200);

        assertThat(http.post("api/v1/auth/logout", "", manager).status()).isEqualTo(204);

        assertError(http.get("api/v1/admin/programmes", manager), 401, "unauthenticated", null);
    }

    @Test
    void anAuditorWhoChangesNothingElseChangesTheirOwnPassword() {
        String[] other = http.bearer("auditor@demo.local", "auditor-demo");
        String[] auditor = http.bearer("auditor@demo.local", "auditor-demo");
        String[] renewed = null;
        try {
            assertError(http.post("api/v1/admin/me/password", "{\"currentPassword\":\"auditor-wrong\","
                    + "\"newPassword\":\"auditor-new-1\"}", auditor), 403, "invalid_credentials", "currentPassword");
            Http.Reply changed = http.post("api/v1/admin/me/password", "{\"currentPassword\":\"auditor-demo\","
                    + "\"newPassword\":\"auditor-new-1\"}", auditor);
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            assertThat(changed.json().getString("role")).isEqualTo("AUDITOR");
            renewed = new String[] {"Authorization", "Bearer " + changed.json().getString("token")};

            assertThat(http.get("api/v1/admin/programmes", renewed).status()).isEqualTo(200);
            assertThat(http.get("api/v1/admin/programmes", other).status()).as("another session").isEqualTo(401);
            assertThat(http.get("api/v1/admin/programmes", auditor).status()).as("the one that changed it")
                    .isEqualTo(401);
            assertThat(login("auditor@demo.local", "auditor-demo").status()).isEqualTo(401);
            assertThat(login("auditor@demo.local", "auditor-new-1").status()).isEqualTo(200);
            assertThat(http.post("api/v1/admin/programmes/DEMO/rules/simulate", "{}", renewed).status())
                    .as("still an auditor: reads only").isEqualTo(403);
            assertThat(http.post("api/v1/me/password", "{\"currentPassword\":\"auditor-new-1\","
                    + "\"newPassword\":\"auditor-new-2\"}", renewed).status()).as("/me is a customer's")
                    .isEqualTo(403);
        } finally {
            // Other tests sign in with the demo password.
            String[] signedIn = renewed != null ? renewed : auditor;
            http.post("api/v1/admin/me/password", "{\"currentPassword\":\"auditor-new-1\","
                    + "\"newPassword\":\"auditor-demo\"}", signedIn);
        }
        assertThat(login("auditor@demo.local", "auditor-demo").status()).isEqualTo(200);
    }

    @Test
    void aCustomerWhoForgotTheirPasswordSetsANewOneWithTheCodeTheDeskIssued() {
        String email = "forgot-" + UUID.randomUUID() + "@example.org";
        String[] before = register(email, "first-pass-1");
        String memberId = http.get("api/v1/me", before).json().getString("memberId");
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        String issue = "api/v1/admin/members/" + memberId + "/password-reset";

        Http.Reply first = http.post(issue, "{}", manager);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().getString("email")).isEqualTo(email);
        assertThat(first.json().getString("code")).matches("[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}");
        assertThat(java.time.Instant.parse(first.json().getString("expiresAt")))
                .isBetween(java.time.Instant.now().plusSeconds(29 * 60), java.time.Instant.now().plusSeconds(31 * 60));
        Http.Reply second = http.post(issue, "{}", manager);
        String code = second.json().getString("code");
        assertThat(code).isNotEqualTo(first.json().getString("code"));

        assertError(reset(email, first.json().getString("code"), "second-pass-2"), 401, "invalid_reset_code", "code");
        assertError(reset("nobody-" + UUID.randomUUID() + "@example.org", code, "second-pass-2"), 401,
                "invalid_reset_code", "code");
        assertError(reset(email, code, "short"), 400, "invalid_field", "newPassword");
        assertThat(http.get("api/v1/me", before).status()).as("nothing changed yet").isEqualTo(200);

        // Typed as read out: in small letters, with a space for the dash.
        Http.Reply done = reset(email, code.toLowerCase(java.util.Locale.ROOT).replace('-', ' '), "second-pass-2");

        assertThat(done.status()).as(done.body()).isEqualTo(200);
        String[] renewed = {"Authorization", "Bearer " + done.json().getString("token")};
        assertThat(http.get("api/v1/me", renewed).json().getString("memberId")).isEqualTo(memberId);
        assertError(http.get("api/v1/me", before), 401, "unauthenticated", null);
        assertThat(login(email, "first-pass-1").status()).as("the forgotten password").isEqualTo(401);
        assertThat(login(email, "second-pass-2").status()).as("the new password").isEqualTo(200);
        assertError(reset(email, code, "third-pass-3"), 401, "invalid_reset_code", "code");
        assertThat(login(email, "second-pass-2").status()).as("a code works once").isEqualTo(200);
        assertThat(http.get("api/v1/admin/members/" + memberId + "/audit", manager).body())
                .contains("PASSWORD_RESET_CODE_ISSUED").contains("PASSWORD_RESET\"").doesNotContain(code)
                .doesNotContain(code.replace("-", ""));

        // A member enrolled at the desk who never signed up has no password to reset: they sign up with the card.
        Http.Reply enrolled = http.post("api/v1/admin/programmes/DEMO/members", "{\"email\":\"desk-only-"
                + UUID.randomUUID() + "@example.org\",\"firstName\":\"Ola\",\"lastName\":\"Berg\"}", manager);
        assertError(http.post("api/v1/admin/members/" + enrolled.json().getString("memberId") + "/password-reset",
                "{}", manager), 409, "no_online_account", null);
    }

    @Test
    void resetCodesAreGuessedNoFasterThanPasswordsAndTheDeskEndsALock() {
        String email = "guess-" + UUID.randomUUID() + "@example.org";
        String memberId = http.get("api/v1/me", register(email, "first-pass-1")).json().getString("memberId");
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        String issue = "api/v1/admin/members/" + memberId + "/password-reset";
        String code = http.post(issue, "{}", manager).json().getString("code");

        for (int i = 0; i < 5; i++) {
            assertError(reset(email, "AAAAA-AAAA" + (i + 2), "second-pass-2"), 401, "invalid_reset_code", "code");
        }

        assertError(reset(email, code, "second-pass-2"), 429, "account_locked", null);
        assertThat(login(email, "first-pass-1").status()).isEqualTo(429);

        // Locked out, the customer goes to the desk, which checks who they are: the new code ends the lock.
        String again = http.post(issue, "{}", manager).json().getString("code");
        Http.Reply reset = reset(email, again, "second-pass-2");
        assertThat(reset.status()).as(reset.body()).isEqualTo(200);
        assertThat(login(email, "second-pass-2").status()).isEqualTo(200);

        // A code outstanding when the customer remembers the password and signs in no longer works.
        String unused = http.post(issue, "{}", manager).json().getString("code");
        assertThat(login(email, "second-pass-2").status()).isEqualTo(200);
        assertError(reset(email, unused, "third-pass-3"), 401, "invalid_reset_code", "code");
    }

    private Http.Reply reset(String email, String code, String newPassword) {
        return http.post("api/v1/auth/password-reset", "{\"email\":\"" + email + "\",\"code\":\"" + code
                + "\",\"newPassword\":\"" + newPassword + "\"}");
    }

    private String[] register(String email, String password) {
        Http.Reply joined = http.post("api/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":\""
                + password + "\",\"firstName\":\"Pia\",\"lastName\":\"Lund\"}");
        assertThat(joined.status()).as(joined.body()).isEqualTo(201);
        return new String[] {"Authorization", "Bearer " + joined.json().getJsonObject("session").getString("token")};
    }

    private Http.Reply login(String email, String password) {
        return http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
    }

    private static void assertError(Http.Reply reply, int status, String error, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.json().getString("error")).as(reply.body()).isEqualTo(error);
        assertThat(reply.json().getString("message")).isNotBlank();
        if (field == null) {
            assertThat(reply.json().containsKey("field")).as("field is always present").isTrue();
        } else {
            assertThat(reply.json().getString("field")).isEqualTo(field);
        }
    }
}
