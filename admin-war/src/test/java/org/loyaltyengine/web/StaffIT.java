package org.loyaltyengine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.util.UUID;

import jakarta.json.JsonObject;

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
 * The engine's staff, managed by an administrator over HTTP: a manager made for a new programme runs it and sees
 * nothing of another; an auditor reads only; managers manage no staff; a disabled account neither signs in nor
 * uses its token, not even once enabled again; an email is used once; a new role applies at once, and a password
 * set by an administrator ends the account's sessions; every change is audited.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StaffIT {

    private static final String CLAIRE_CARD = "2900000000018";

    @ArquillianResource
    URL base;

    private Http http;
    private String[] admin;

    @Deployment(testable = false)
    static WebArchive engine() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("loyalty.war")));
    }

    @BeforeEach
    void signIn() {
        http = new Http(base);
        admin = http.bearer("admin@demo.local", "admin-demo");
    }

    @Test
    void anAdministratorCreatesAManagerForAProgrammeWhoRunsItAndSeesNothingOfAnother() {
        String code = programme();
        String email = email("manager");

        Http.Reply created = createStaff(email, "first-pass-1", "MANAGER", code.toLowerCase());

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().getString("email")).isEqualTo(email);
        assertThat(created.json().getString("role")).isEqualTo("MANAGER");
        assertThat(created.json().getString("programme")).isEqualTo(code);
        assertThat(created.json().getString("status")).isEqualTo("ACTIVE");
        assertThat(http.get("api/v1/admin/staff", admin).array().getValuesAs(JsonObject.class))
                .anySatisfy(staff -> assertThat(staff.getString("email")).isEqualTo(email))
                .noneSatisfy(staff -> assertThat(staff.getString("role")).isEqualTo("CUSTOMER"));

        String[] manager = http.bearer(email, "first-pass-1");
        assertThat(http.get("api/v1/admin/programmes/" + code, manager).status()).isEqualTo(200);
        Http.Reply tier = http.post("api/v1/admin/programmes/" + code + "/tiers", "{\"code\":\"SILVER\","
                + "\"name\":\"Silver\",\"minimumPoints\":500}", manager);
        assertThat(tier.status()).as(tier.body()).isEqualTo(201);
        Http.Reply enrolled = http.post("api/v1/admin/programmes/" + code + "/members", "{\"email\":\""
                + email("member") + "\",\"firstName\":\"Ada\",\"lastName\":\"Stone\"}", manager);
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        assertThat(http.post("api/v1/admin/programmes/" + code + "/pos-keys", "{\"storeId\":\"X01\"}", manager)
                .status()).isEqualTo(201);

        assertThat(http.get("api/v1/admin/programmes/DEMO", manager).status()).isIn(403, 404);
        assertThat(http.get("api/v1/admin/programmes/DEMO/members?card=" + CLAIRE_CARD, manager).status())
                .isIn(403, 404);
        assertThat(http.post("api/v1/admin/programmes/DEMO/tiers", "{\"code\":\"IRON\",\"name\":\"Iron\","
                + "\"minimumPoints\":10}", manager).status()).isIn(403, 404);
        String claire = http.get("api/v1/pos/cards/" + CLAIRE_CARD, "X-Api-Key", "demo-pos-S001").json()
                .getString("memberId");
        assertError(http.get("api/v1/admin/members/" + claire, manager), 404, "member_not_found");
        assertThat(http.post("api/v1/admin/members/" + claire + "/adjustments", "{\"points\":100,\"reason\":\"x\"}",
                manager).status()).isIn(403, 404);

        JsonObject audited = http.get("api/v1/admin/staff/" + email + "/audit", admin).array()
                .getValuesAs(JsonObject.class).get(0);
        assertThat(audited.getString("action")).isEqualTo("STAFF_CREATED");
        assertThat(audited.getString("actor")).isEqualTo("admin@demo.local");
        assertThat(audited.getString("detail")).isEqualTo("MANAGER of " + code);
        assertThat(http.get("api/v1/admin/programmes/" + code + "/audit", admin).body())
                .as("the programme's audit names who was given it").contains("STAFF_CREATED").contains(email);
    }

    @Test
    void anAuditorReadsTheirProgrammeAndChangesNothing() {
        String code = programme();
        String email = email("auditor");
        assertThat(createStaff(email, "auditor-pass", "AUDITOR", code).status()).isEqualTo(201);
        String[] auditor = http.bearer(email, "auditor-pass");

        assertThat(http.get("api/v1/admin/programmes/" + code, auditor).status()).isEqualTo(200);
        assertThat(http.get("api/v1/admin/programmes/" + code + "/rules", auditor).status()).isEqualTo(200);
        assertError(http.post("api/v1/admin/programmes/" + code + "/tiers", "{\"code\":\"GOLD\",\"name\":\"Gold\","
                + "\"minimumPoints\":10}", auditor), 403, "forbidden");
        assertError(http.put("api/v1/admin/programmes/" + code, "{\"name\":\"Renamed\"}", auditor), 403, "forbidden");
        assertThat(http.get("api/v1/admin/programmes/DEMO", auditor).status()).isIn(403, 404);
    }

    @Test
    void managersAndAuditorsManageNoStaff() {
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        String[] auditor = http.bearer("auditor@demo.local", "auditor-demo");
        String email = email("by-manager");

        assertError(http.post("api/v1/admin/staff", "{\"email\":\"" + email + "\",\"password\":\"long-enough\","
                + "\"role\":\"MANAGER\",\"programme\":\"DEMO\"}", manager), 403, "forbidden");
        assertError(http.get("api/v1/admin/staff", manager), 403, "forbidden");
        assertError(http.get("api/v1/admin/staff", auditor), 403, "forbidden");
        assertError(http.post("api/v1/admin/staff/auditor@demo.local/disable", "{}", manager), 403, "forbidden");
        assertError(http.post("api/v1/admin/staff/auditor@demo.local/password", "{\"password\":\"taken-over\"}",
                manager), 403, "forbidden");
        assertError(http.post("api/v1/admin/staff", "{}"), 401, "unauthenticated");
        assertThat(http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"long-enough\"}")
                .status()).as("nothing was created").isEqualTo(401);
    }

    @Test
    void aDisabledAccountCannotSignInAndItsTokenIsRefusedUntilEnabled() {
        String email = email("leaver");
        assertThat(createStaff(email, "leaver-pass", "MANAGER", "DEMO").status()).isEqualTo(201);
        String[] manager = http.bearer(email, "leaver-pass");
        assertThat(http.get("api/v1/admin/programmes/DEMO", manager).status()).isEqualTo(200);

        Http.Reply disabled = http.post("api/v1/admin/staff/" + email + "/disable", "{}", admin);

        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        assertThat(disabled.json().getString("status")).isEqualTo("DISABLED");
        assertError(http.get("api/v1/admin/programmes/DEMO", manager), 401, "unauthenticated");
        assertError(http.post("api/v1/admin/programmes/DEMO/tiers", "{\"code\":\"IRON\",\"name\":\"Iron\","
                + "\"minimumPoints\":10}", manager), 401, "unauthenticated");
        assertError(http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"leaver-pass\"}"),
                403, "account_disabled");
        assertError(http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"wrong-pass\"}"),
                401, "invalid_credentials");

        assertThat(http.post("api/v1/admin/staff/" + email + "/enable", "{}", admin).json().getString("status"))
                .isEqualTo("ACTIVE");
        assertError(http.get("api/v1/admin/programmes/DEMO", manager), 401, "unauthenticated");
        assertThat(http.get("api/v1/admin/programmes/DEMO", http.bearer(email, "leaver-pass")).status())
                .isEqualTo(200);
        assertThat(http.get("api/v1/admin/staff/" + email + "/audit", admin).array().getValuesAs(JsonObject.class)
                .stream().map(event -> event.getString("action")).toList())
                .containsExactly("STAFF_ENABLED", "STAFF_DISABLED", "STAFF_CREATED");
    }

    @Test
    void aNewRoleAndANewPasswordApplyAtOnce() {
        String code = programme();
        String email = email("moved");
        assertThat(createStaff(email, "moved-pass-1", "MANAGER", code).status()).isEqualTo(201);
        String[] token = http.bearer(email, "moved-pass-1");

        Http.Reply appointed = http.put("api/v1/admin/staff/" + email, "{\"role\":\"AUDITOR\",\"programme\":\"DEMO\"}",
                admin);

        assertThat(appointed.status()).as(appointed.body()).isEqualTo(200);
        assertThat(http.get("api/v1/admin/programmes/DEMO", token).status()).as("now DEMO's").isEqualTo(200);
        assertThat(http.get("api/v1/admin/programmes/" + code, token).status()).as("no longer " + code)
                .isIn(403, 404);
        assertError(http.post("api/v1/admin/programmes/DEMO/tiers", "{\"code\":\"IRON\",\"name\":\"Iron\","
                + "\"minimumPoints\":10}", token), 403, "forbidden");

        assertThat(http.post("api/v1/admin/staff/" + email + "/password", "{\"password\":\"moved-pass-2\"}", admin)
                .status()).isEqualTo(200);
        assertError(http.get("api/v1/admin/programmes/DEMO", token), 401, "unauthenticated");
        assertThat(http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"moved-pass-1\"}")
                .status()).isEqualTo(401);
        assertThat(http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"moved-pass-2\"}")
                .json().getString("role")).isEqualTo("AUDITOR");
        assertThat(http.get("api/v1/admin/staff/" + email + "/audit", admin).body())
                .contains("STAFF_PASSWORD_SET").contains("AUDITOR of DEMO (was MANAGER of " + code + ")")
                .doesNotContain("moved-pass");
    }

    @Test
    void anEmailAlreadyUsedIs409AndBadInputIsNamed() {
        String email = email("twice");
        assertThat(createStaff(email, "twice-pass", "AUDITOR", null).status()).isEqualTo(201);

        assertError(createStaff(email.toUpperCase(), "other-pass", "MANAGER", "DEMO"), 409, "email_taken");
        assertError(createStaff("claire@demo.local", "other-pass", "MANAGER", "DEMO"), 409, "email_taken");
        assertThat(http.post("api/v1/auth/login", "{\"email\":\"claire@demo.local\",\"password\":\"claire-demo\"}")
                .json().getString("role")).as("the customer's account is untouched").isEqualTo("CUSTOMER");

        assertField(createStaff(email("short"), "short", "MANAGER", "DEMO"), 400, "password");
        assertField(createStaff("not-an-email", "long-enough", "MANAGER", "DEMO"), 400, "email");
        assertField(createStaff(email("customer"), "long-enough", "CUSTOMER", "DEMO"), 400, "role");
        assertField(createStaff(email("admin"), "long-enough", "ADMIN", "DEMO"), 400, "programme");
        assertField(createStaff(email("nowhere"), "long-enough", "MANAGER", "NO-SUCH"), 422, "programme");
        assertError(http.get("api/v1/admin/staff/claire@demo.local", admin), 404, "staff_not_found");
        assertError(http.post("api/v1/admin/staff/" + email("nobody") + "/disable", "{}", admin), 404,
                "staff_not_found");
    }

    @Test
    void noAdministratorLocksTheEngineOut() {
        assertError(http.post("api/v1/admin/staff/admin@demo.local/disable", "{}", admin), 409, "own_account");
        assertError(http.put("api/v1/admin/staff/admin@demo.local", "{\"role\":\"MANAGER\",\"programme\":\"DEMO\"}",
                admin), 409, "own_account");
        String other = email("second-admin");
        assertThat(createStaff(other, "second-admin", "ADMIN", null).status()).isEqualTo(201);
        String[] second = http.bearer(other, "second-admin");
        assertThat(http.get("api/v1/admin/staff", second).status()).isEqualTo(200);
        assertThat(http.post("api/v1/admin/staff/" + other + "/disable", "{}", admin).status()).isEqualTo(200);
        assertError(http.get("api/v1/admin/staff", second), 401, "unauthenticated");
    }

    private Http.Reply createStaff(String email, String password, String role, String programme) {
        return http.post("api/v1/admin/staff", "{\"email\":\"" + email + "\",\"password\":\"" + password
                + "\",\"role\":\"" + role + "\",\"programme\":" + (programme == null ? "null" : "\"" + programme + "\"")
                + "}", admin);
    }

    /** A new programme of the test's own. */
    private String programme() {
        String code = "ST" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        Http.Reply created = http.post("api/v1/admin/programmes", "{\"code\":\"" + code + "\",\"name\":\"Staff "
                + code + "\",\"currency\":\"EUR\",\"pointsExpireAfterDays\":365,\"pendingDays\":0}", admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return code;
    }

    private static String email(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@staff.example";
    }

    private static void assertError(Http.Reply reply, int status, String error) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        JsonObject json = reply.json();
        assertThat(json.getString("error")).isEqualTo(error);
        assertThat(json.getString("message")).isNotBlank();
        assertThat(json.containsKey("field")).as("field is always present").isTrue();
    }

    private static void assertField(Http.Reply reply, int status, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.json().getString("field", null)).as(reply.body()).isEqualTo(field);
    }
}
