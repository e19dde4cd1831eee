package org.loyaltyengine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real headless Chromium (Debian's chromium and chromedriver) against the WAR in Payara Micro: a
 * manager edits a rule with a mistake and sees it on its line, fixes it, simulates last week and publishes; a
 * cashier's sale through the API shows on the member's page; a customer on a phone-sized window sees the new
 * points and the card's barcode. A browser in another time zone than the programme's sees the programme's days: a
 * simulation day by day, an offer's last day, the history. A customer and an auditor change their passwords and log
 * out, and the sessions ended are refused by the engine. Screenshots go to target/screenshots/.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserIT {

    private static final String BROKEN = """
            package org.loyaltyengine.rules.demo.earning;

            import org.loyaltyengine.rules.decision.BasePoints;
            import org.loyaltyengine.rules.decision.PointsAward;

            rule "double-week"
            when
                BasePoints( $points : points, points > )
            then
                insert( new PointsAward( "double-week", $points ) );
            end
            """;

    private static final String DIVIDES_BY_ZERO = """
            package org.loyaltyengine.rules.browser;

            import org.loyaltyengine.rules.fact.Purchase;
            import org.loyaltyengine.rules.decision.PointsAward;

            rule "divides-by-zero"
            when
                Purchase( $x : total )
            then
                insert( new PointsAward( "divides-by-zero", 10 / ($x.intValue() - $x.intValue()) ) );
            end
            """;

    /**
     * A programme's zone and a browser's 25 hours apart: an instant never falls on the same calendar day in both, so
     * a page that shows the browser's day in place of the programme's is always caught, whatever the hour of the run.
     */
    private static final String PROGRAMME_ZONE = "Pacific/Kiritimati";
    private static final String BROWSER_ZONE = "Pacific/Pago_Pago";

    @ArquillianResource
    URL base;

    private WebDriver browser;
    private final Path screenshots = Path.of("target", "screenshots");

    @Deployment(testable = false)
    static WebArchive engine() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("loyalty.war")));
    }

    @AfterEach
    void close(org.junit.jupiter.api.TestInfo test) throws Exception {
        if (browser != null) {
            try {
                String message = browser.findElements(By.id("message")).isEmpty() ? ""
                        : browser.findElement(By.id("message")).getText();
                screenshot("last-page.png");
                System.out.println("Last page " + browser.getCurrentUrl() + ", message: " + message);
            } catch (RuntimeException e) {
                // the browser is gone already
            }
            browser.quit();
        }
    }

    @Test
    void anAdministratorCreatesAManagerInTheStaffTabAndManagersSeeNoSuchTab() throws Exception {
        Http http = new Http(base);
        String code = newProgramme(http, http.bearer("admin@demo.local", "admin-demo"), "SF");
        String email = "page-" + UUID.randomUUID().toString().substring(0, 8) + "@staff.example";
        browser = chromium(1400, 1000);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "backoffice/");
        signIn(wait, "admin@demo.local", "admin-demo");
        browser.findElement(By.id("staff-tab")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("staff-rows"), "manager@demo.local"));
        browser.findElement(By.id("staff-email")).sendKeys(email);
        browser.findElement(By.id("staff-password")).sendKeys("page-first-pass");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("staff-role"))).selectByValue("MANAGER");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("staff-programme"))).selectByValue(code);
        browser.findElement(By.id("staff-create")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), email + " created"));
        By row = By.cssSelector("#staff-rows tr[data-email='" + email + "']");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(row, code));
        assertThat(browser.findElement(row).getText()).contains("Programme manager").contains("active");
        screenshot("staff-created.png");

        browser.findElement(row).findElement(By.tagName("button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("staff-history"), "STAFF_CREATED"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("staff-member-role"))).selectByValue("AUDITOR");
        browser.findElement(By.id("staff-appoint")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "Auditor"));
        browser.findElement(By.id("staff-new-password")).sendKeys("page-second-pass");
        browser.findElement(By.id("staff-set-password")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "New password set for " + email));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("staff-history"), "STAFF_PASSWORD_SET"));

        Http.Reply signedIn = http.post("api/v1/auth/login", "{\"email\":\"" + email
                + "\",\"password\":\"page-second-pass\"}");
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
        assertThat(signedIn.json().getString("role")).isEqualTo("AUDITOR");

        signOut();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
        signIn(wait, "manager@demo.local", "manager-demo");
        assertThat(browser.findElement(By.id("staff-tab")).isDisplayed()).as("no Staff tab for a manager").isFalse();
    }

    @Test
    void aManagerFixesARuleSimulatesAndPublishesAndTheCustomerSeesTheNewPointsOnAPhone() throws Exception {
        Http http = new Http(base);
        sale(http, "2900000000025", "10.00");
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        int liveBefore = http.get("api/v1/admin/programmes/DEMO/rules", manager).json().getInt("version");
        try {
            managerAndCustomer(http);
        } finally {
            // Other test classes share this database and expect the demo rules: put them back.
            http.post("api/v1/admin/programmes/DEMO/rules/rollback", "{\"version\":" + liveBefore + "}", manager);
        }
    }

    @Test
    void aManagerRecomputesSegmentsSeesWhoMovedAndFollowsAnOffer() throws Exception {
        Http http = new Http(base);
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        String code = "BR" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        assertThat(http.post("api/v1/admin/programmes", "{\"code\":\"" + code + "\",\"name\":\"Browser " + code
                + "\",\"currency\":\"EUR\",\"pointsExpireAfterDays\":1000,\"pendingDays\":0,\"timeZone\":\"UTC\"}",
                admin).status()).isEqualTo(201);
        String[] till = {"X-Api-Key", http.post("api/v1/admin/programmes/" + code + "/pos-keys", "{\"storeId\":\"B01\"}",
                admin).json().getString("key")};
        assertThat(http.post("api/v1/admin/programmes/" + code + "/offers", "{\"code\":\"WINBACK\",\"title\":\"Come back:"
                + " 200 points\",\"points\":200,\"holdoutPercent\":0}", admin).status()).isEqualTo(201);
        String faded = enrol(http, admin, code);
        for (int daysAgo : new int[] {200, 185, 170}) {
            backdatedSale(http, till, faded, daysAgo);
        }
        for (int i = 0; i < 4; i++) {
            backdatedSale(http, till, enrol(http, admin, code), 2 + i);
        }

        browser = chromium(1400, 1000);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "backoffice/");
        browser.findElement(By.id("email")).sendKeys("admin@demo.local");
        browser.findElement(By.id("password")).sendKeys("admin-demo");
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
        switchProgramme(code);
        browser.findElement(By.cssSelector("#nav [data-view=knowledge]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("offer-rows"), "WINBACK"));
        browser.findElement(By.id("recompute")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "1 offers given"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("segments-date"), "as of"));
        String atRisk = browser.findElement(By.xpath("//tbody[@id='segment-rows']/tr[td[1]='at risk']/td[2]")).getText();
        assertThat(atRisk).isEqualTo("1");
        browser.findElement(By.id("k-measure")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("matrix-title")));
        assertThat(browser.findElement(By.id("kpi-repurchase-detail")).getText()).isEqualTo("0 of 4 buyers came back");
        assertThat(browser.findElement(By.id("matrix")).getText()).contains("not yet a member");
        browser.findElement(By.cssSelector("tr[data-offer=WINBACK] td.response button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-offer=WINBACK] td.response"),
                "0 of 1 bought"));
        assertThat(browser.findElement(By.cssSelector("tr[data-offer=WINBACK]")).getText())
                .doesNotContain("No live rule names it");
        screenshot("9-customers.png");

        // An offer whose code no incentive rule names: defined, and the manager told nobody will get it.
        browser.findElement(By.id("o-code")).sendKeys("SPRING");
        browser.findElement(By.id("o-title")).sendKeys("Spring bonus");
        browser.findElement(By.id("o-points")).sendKeys("50");
        browser.findElement(By.cssSelector("#offer-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "no live rule names it yet"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-offer=SPRING]"),
                "No live rule names it"));

        // The administrator backs the whole engine up from the audit page, and sees the backup listed.
        browser.findElement(By.cssSelector("#nav [data-view=audit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("backups-panel")));
        browser.findElement(By.id("take-backup")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), " taken: "));
        String name = browser.findElement(By.id("message")).getText().replaceAll("^Backup (\\S+) taken: .*", "$1");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("backup-rows"), name));
        assertThat(browser.findElement(By.id("backup-rows")).getText()).contains(" MB").contains("/backups/" + name);
        screenshot("10-backups.png");
    }

    @Test
    void aManagerAbroadSeesTheSimulationDayByDayOfTheProgrammesCalendar() throws Exception {
        Http http = new Http(base);
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        String code = newProgramme(http, admin, "BS", PROGRAMME_ZONE);
        String[] till = till(http, admin, code, "S01");
        String card = enrol(http, admin, code);
        ZoneId zone = ZoneId.of(PROGRAMME_ZONE);
        LocalDate today = LocalDate.now(zone);
        // Two sales the day before today, none the day before that, one the day before that (noon, the programme's).
        for (int daysAgo : new int[] {1, 1, 3}) {
            saleAt(http, till, "S01", card, today.minusDays(daysAgo).atTime(12, 0).atZone(zone).toOffsetDateTime(), "20.00");
        }

        browser = chromium(1400, 1000, BROWSER_ZONE);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "backoffice/");
        assertThat(((JavascriptExecutor) browser).executeScript("return Intl.DateTimeFormat().resolvedOptions().timeZone"))
                .as("the browser's zone").isEqualTo(BROWSER_ZONE);
        signIn(wait, "admin@demo.local", "admin-demo");
        switchProgramme(code);
        browser.findElement(By.cssSelector("#nav [data-view=rules]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rules-version"), code + " live: version 1"));
        browser.findElement(By.id("simulate")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sim-totals"), "3 transactions"));

        // Every day of the programme's calendar from 7 days back to today, in order, a day without sales at zero.
        assertThat(browser.findElements(By.cssSelector("#sim-chart g[data-day]"))).extracting(g -> g.getAttribute("data-day"))
                .containsExactly(IntStream.rangeClosed(0, 7).mapToObj(i -> today.minusDays(7 - i).toString()).toArray(String[]::new));
        double busy = barHeight(today.minusDays(1));
        double quiet = barHeight(today.minusDays(3));
        assertThat(quiet).as("one sale 3 days back").isPositive();
        assertThat(busy).as("two sales the day before today").isCloseTo(2 * quiet, org.assertj.core.data.Offset.offset(1.0));
        assertThat(barHeight(today.minusDays(2))).as("the day between, without sales").isZero();
        assertThat(barHeight(today)).isZero();
        assertThat(browser.findElement(By.cssSelector("#sim-chart text.x-label[data-day='" + today.minusDays(2) + "']")).getText())
                .as("the day under its bars").isEqualTo(written(today.minusDays(2), "{day: 'numeric', month: 'short'}"));
        assertThat(browser.findElement(By.id("sim-chart")).getText()).contains("Day (" + PROGRAMME_ZONE + ")").contains("points");
        assertThat(browser.findElements(By.cssSelector("#sim-chart text.y-label"))).extracting(WebElement::getText).first().isEqualTo("0");
        scrollTo(browser.findElement(By.id("sim-chart")));
        screenshot("13-simulation-by-day.png");

        // The times of the back office are the programme's too, whatever the browser's zone: a rule version's date,
        // then the member's ledger.
        java.time.Instant published = java.time.Instant.parse(http.get("api/v1/admin/programmes/" + code
                + "/rules/versions", admin).array().getJsonObject(0).getString("createdAt"));
        assertThat(browser.findElement(By.cssSelector("#versions tr td:nth-child(4)")).getText()).as("the version's date")
                .isEqualTo(programmeTime(published, zone));
        String member = http.get("api/v1/admin/programmes/" + code + "/members?card=" + card, admin).json()
                .getJsonObject("account").getString("memberId");
        jakarta.json.JsonObject newest = http.get("api/v1/admin/members/" + member + "/transactions?size=1", admin).json()
                .getJsonArray("items").getJsonObject(0);
        java.time.Instant recorded = java.time.Instant.parse(newest.getString("recordedAt"));
        java.time.Instant bought = java.time.Instant.parse(newest.getString("occurredAt"));
        assertThat(bought.atZone(zone).toLocalDate()).as("the sale of 3 days back, sent last").isEqualTo(today.minusDays(3));
        browser.findElement(By.cssSelector("#nav [data-view=members]")).click();
        openByCard(wait, card);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#ledger tr")));
        assertThat(browser.findElement(By.cssSelector("#ledger tr td")).getText())
                .as("when the points moved, and the purchase credited on a later day")
                .isEqualTo(programmeTime(recorded, zone) + "\npurchase of " + programmeTime(bought, zone));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#purchases tr")));
        assertThat(browser.findElements(By.cssSelector("#purchases tr"))).as("the three sales").hasSize(3);
        assertThat(browser.findElement(By.cssSelector("#purchases tr td")).getText()).as("bought, on the programme's clock")
                .isEqualTo(programmeTime(bought, zone));
    }

    /** An instant as the pages write it ("6 Dec 2026, 00:30") on the clock of a zone. */
    private String programmeTime(java.time.Instant instant, ZoneId zone) {
        java.time.ZonedDateTime local = instant.atZone(zone);
        return written(local.toLocalDate(), "{dateStyle: 'medium'}") + ", " + local.toLocalTime().withSecond(0).withNano(0);
    }

    @Test
    void aRuleThatFailsAsItRunsIsNamedUnderTheEditorBySimulatingAndByPublishing() throws Exception {
        Http http = new Http(base);
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        String code = newProgramme(http, admin, "BF");
        saleAt(http, till(http, admin, code, "F01"), "F01", enrol(http, admin, code),
                OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).withNano(0), "20.00");

        browser = chromium(1400, 1000);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "backoffice/");
        signIn(wait, "admin@demo.local", "admin-demo");
        switchProgramme(code);
        browser.findElement(By.cssSelector("#nav [data-view=rules]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rules-version"), code + " live: version 1"));
        browser.findElement(By.id("simulate")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sim-totals"), "1 transactions"));

        // A rule that compiles but fails as it runs: the simulation, then the publication, name it under the editor.
        browser.findElement(By.id("new-file")).sendKeys("earning/divide.drl");
        browser.findElement(By.id("add-file")).click();
        type(browser.findElement(By.id("source")), DIVIDES_BY_ZERO);
        browser.findElement(By.id("comment")).sendKeys("Divides by zero");
        browser.findElement(By.id("save-rules")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Saved as draft version 2 of " + code));
        browser.findElement(By.id("simulate")).click();
        WebElement failure = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#rule-errors li.rule-failure[data-rule='divides-by-zero']")));
        assertThat(failure.findElement(By.cssSelector(".rule-name")).getText()).isEqualTo("divides-by-zero");
        assertThat(failure.getText()).contains("of version 2 fails as it runs").contains("earning/divide.drl, line 6")
                .contains("/ by zero");
        assertThat(browser.findElement(By.id("message")).getText()).startsWith("Version 2 was not simulated: rule"
                + " \"divides-by-zero\" fails as it runs.");
        assertThat(browser.findElement(By.id("simulation")).isDisplayed()).as("no result of a failed simulation").isFalse();
        assertThat(browser.findElements(By.cssSelector("#gutter div.error"))).extracting(WebElement::getText).containsExactly("6");
        screenshot("14-rule-fails-as-it-runs.png");
        new Select(browser.findElement(By.id("rule-file"))).selectByIndex(0);
        failure.findElement(By.tagName("button")).click();
        assertThat(new Select(browser.findElement(By.id("rule-file"))).getFirstSelectedOption().getText())
                .isEqualTo("earning/divide.drl");
        assertThat(browser.findElements(By.cssSelector("#gutter div.error"))).extracting(WebElement::getText).containsExactly("6");

        browser.findElement(By.cssSelector("[data-publish='2']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Version 2 was not published"));
        assertThat(browser.findElement(By.id("message")).getText()).contains("rule \"divides-by-zero\" fails as it runs");
        assertThat(browser.findElements(By.cssSelector("#rule-errors li.rule-failure"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#rule-errors li.rule-failure")).getText()).contains("divides-by-zero")
                .contains("earning/divide.drl, line 6");
        assertThat(http.get("api/v1/admin/programmes/" + code + "/rules", admin).json().getInt("version"))
                .as("the live rules keep serving").isEqualTo(1);
    }

    @Test
    void aCustomerGivenACardInStoreJoinsTheSitesProgrammeWithIt() throws Exception {
        Http http = new Http(base);
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        String code = newProgramme(http, admin, "BJ");
        String email = "bj-" + UUID.randomUUID() + "@example.org";
        Http.Reply enrolled = http.post("api/v1/admin/programmes/" + code + "/members", "{\"email\":\"" + email
                + "\",\"firstName\":\"Erik\",\"lastName\":\"Sand\"}", admin);
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        String card = enrolled.json().getString("cardNumber");

        browser = chromium(390, 844);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "account/?programme=" + code.toLowerCase());
        browser.findElement(By.id("show-register")).click();
        browser.findElement(By.id("r-first")).sendKeys("Erik");
        browser.findElement(By.id("r-last")).sendKeys("Sand");
        browser.findElement(By.id("r-email")).sendKeys(email);
        browser.findElement(By.id("r-password")).sendKeys("erik-pass-1");
        browser.findElement(By.id("r-card")).sendKeys(card);
        browser.findElement(By.cssSelector("#register-form button[type=submit]")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "is now online"));
        assertThat(browser.findElement(By.id("message")).getText()).contains(card);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("greeting"), "Browser " + code));
        assertThat(http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"erik-pass-1\"}")
                .status()).isEqualTo(200);
        assertThat(browser.findElement(By.id("c-store")).getTagName()).as("no store listed yet: typed")
                .isEqualTo("input");

        // Once the programme's stores have names, a claim picks its store by name.
        assertThat(http.put("api/v1/admin/programmes/" + code + "/stores/ST1", "{\"name\":\"Stockholm Sergels\"}",
                admin).status()).isEqualTo(200);
        assertThat(http.put("api/v1/admin/programmes/" + code + "/stores/G02", "{\"name\":\"Göteborg Nordstan\"}",
                admin).status()).isEqualTo(200);
        browser.navigate().refresh();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("select#c-store option[value=ST1]")));
        Select store = new Select(browser.findElement(By.id("c-store")));
        assertThat(store.getOptions()).extracting(WebElement::getText).containsExactly(
                "Choose the store on the receipt", "Göteborg Nordstan (G02)", "Stockholm Sergels (ST1)");
        store.selectByVisibleText("Stockholm Sergels (ST1)");
        String receipt = "R-" + UUID.randomUUID().toString().substring(0, 8);
        browser.findElement(By.id("c-receipt")).sendKeys(receipt);
        ((JavascriptExecutor) browser).executeScript("document.getElementById('c-date').value = arguments[0]",
                OffsetDateTime.now(ZoneOffset.UTC).minusHours(2).withSecond(0).withNano(0).toLocalDateTime().toString());
        // As the receipt prints it, the currency and a decimal comma with it.
        browser.findElement(By.id("c-total")).sendKeys("€ 23,40");
        browser.findElement(By.cssSelector("#claim-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("claim-message"), "Claim sent"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("claims"), "Receipt " + receipt + " at Stockholm Sergels of "));
        assertThat(browser.findElement(By.id("claims")).getText()).as("in words, with its days").contains(", sent ")
                .endsWith(": being checked");
        assertThat(http.get("api/v1/me/claims", http.bearer(email, "erik-pass-1")).array().getJsonObject(0)
                .getString("storeId")).isEqualTo("ST1");

        // The programme's manager finds it in the claims queue under the store's name.
        browser.get(base + "backoffice/");
        signIn(wait, "admin@demo.local", "admin-demo");
        switchProgramme(code);
        browser.findElement(By.cssSelector("#nav [data-view=claims]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("claim-rows"), "Stockholm Sergels (ST1) / "
                + receipt));
    }

    @Test
    void aCustomerWhoForgotTheirPasswordSetsANewOneWithTheCodeTheDeskReadsOut() throws Exception {
        Http http = new Http(base);
        String email = "forgot-" + UUID.randomUUID() + "@example.org";
        Http.Reply joined = http.post("api/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":"
                + "\"old-pass-1\",\"firstName\":\"Mona\",\"lastName\":\"Vik\"}");
        assertThat(joined.status()).as(joined.body()).isEqualTo(201);
        String card = joined.json().getString("cardNumber");

        // At the desk: the manager finds the member by the card she shows and reads out a code.
        browser = chromium(1280, 900);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "backoffice/");
        signIn(wait, "manager@demo.local", "manager-demo");
        browser.findElement(By.cssSelector("#nav [data-view=members]")).click();
        openByCard(wait, card);
        browser.findElement(By.id("reset-code")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("reset-code-shown")));
        String code = browser.findElement(By.cssSelector("#reset-code-shown strong")).getText();
        assertThat(code).matches("[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}");
        assertThat(browser.findElement(By.id("reset-code-shown")).getText()).contains(email);
        screenshot("reset-code-at-the-desk.png");
        browser.quit();

        // At home, on her phone.
        browser = chromium(390, 844);
        wait = new PageWait(browser);
        browser.get(base + "account/");
        browser.findElement(By.id("show-reset")).click();
        browser.findElement(By.id("x-email")).sendKeys(email);
        browser.findElement(By.id("x-code")).sendKeys(code.toLowerCase(java.util.Locale.ROOT));
        browser.findElement(By.id("x-password")).sendKeys("new-pass-22");
        // Typed twice: a slip of the second is said, nothing sent (the code stays good).
        browser.findElement(By.id("x-password2")).sendKeys("new-pass-23");
        browser.findElement(By.id("reset-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "The two new passwords differ"));
        browser.findElement(By.id("x-password2")).clear();
        browser.findElement(By.id("x-password2")).sendKeys("new-pass-22");
        browser.findElement(By.id("reset-button")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Your new password is set"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("account")));
        assertThat(browser.findElement(By.id("reset-form")).isDisplayed()).isFalse();
        assertThat(http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"new-pass-22\"}")
                .status()).isEqualTo(200);
        assertThat(http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"old-pass-1\"}")
                .status()).isEqualTo(401);
    }

    @Test
    void aCustomerAbroadSeesTheOffersLastDayTheExpiryAndTheHistoryOnTheProgrammesCalendar() throws Exception {
        Http http = new Http(base);
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        String code = newProgramme(http, admin, "BZ", PROGRAMME_ZONE);
        ZoneId zone = ZoneId.of(PROGRAMME_ZONE);
        String[] till = till(http, admin, code, "Z01");
        Http.Reply offer = http.post("api/v1/admin/programmes/" + code + "/offers", "{\"code\":\"SECOND\",\"title\":"
                + "\"Come again\",\"kind\":\"BONUS_POINTS\",\"points\":50,\"validDays\":10,\"holdoutPercent\":0}", admin);
        assertThat(offer.status()).as(offer.body()).isEqualTo(201);
        String email = "bz-" + UUID.randomUUID() + "@example.org";
        Http.Reply enrolled = http.post("api/v1/admin/programmes/" + code + "/members", "{\"email\":\"" + email
                + "\",\"firstName\":\"Zoe\",\"lastName\":\"Abroad\",\"password\":\"zoe-pass-1\"}", admin);
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        LocalDate saleDay = LocalDate.now(zone).minusDays(1);
        saleAt(http, till, "Z01", enrolled.json().getString("cardNumber"), saleDay.atTime(23, 30).atZone(zone)
                .toOffsetDateTime(), "30.00");
        Http.Reply recomputed = http.post("api/v1/admin/programmes/" + code + "/knowledge/recompute", "{}", admin);
        assertThat(recomputed.status()).as(recomputed.body()).isEqualTo(200);
        assertThat(recomputed.json().getJsonObject("offers").getInt("granted")).as("the second-purchase nudge").isEqualTo(1);
        String[] customer = http.bearer(email, "zoe-pass-1");
        jakarta.json.JsonObject me = http.get("api/v1/me", customer).json();
        assertThat(me.getString("timeZone")).isEqualTo(PROGRAMME_ZONE);
        LocalDate expiresOn = LocalDate.parse(me.getJsonArray("expiringPoints").getJsonObject(0).getString("on"));
        // expiresAt is the end of the offer, the programme's midnight after its last day.
        LocalDate lastDay = OffsetDateTime.parse(http.get("api/v1/me/offers", customer).array().getJsonObject(0)
                .getString("expiresAt")).toInstant().minusMillis(1).atZone(zone).toLocalDate();

        browser = chromium(390, 844, BROWSER_ZONE);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "account/");
        assertThat(((JavascriptExecutor) browser).executeScript("return Intl.DateTimeFormat().resolvedOptions().timeZone"))
                .as("the browser's zone").isEqualTo(BROWSER_ZONE);
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys("zoe-pass-1");
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("offers"), "Come again"));
        assertThat(browser.findElement(By.id("point-value")).getText()).as("what the points are worth")
                .startsWith("100 points are worth ").endsWith(" at the till");
        assertThat(browser.findElement(By.id("rewards")).getText()).isNotBlank();
        assertThat(browser.findElement(By.id("offers")).getText()).as("the offer's last day, the programme's")
                .contains("until " + written(lastDay, "{dateStyle: 'medium'}") + ": show your card and ask the cashier");
        assertThat(browser.findElement(By.cssSelector("#offers time")).getAttribute("datetime")).isEqualTo(lastDay.toString());
        assertThat(browser.findElement(By.id("expiring")).getText()).contains("points expire on "
                + written(expiresOn, "{dateStyle: 'medium'}"));
        assertThat(browser.findElement(By.cssSelector("#expiring time")).getAttribute("datetime")).isEqualTo(expiresOn.toString());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "Purchase"));
        // The history is in the order the points moved, each line dated when they did, on the programme's calendar;
        // the sale rung up at the programme's 23:30 the day before says so.
        jakarta.json.JsonObject line = http.get("api/v1/me/transactions?size=1", customer).json().getJsonArray("items")
                .getJsonObject(0);
        java.time.ZonedDateTime recorded = java.time.Instant.parse(line.getString("recordedAt")).atZone(zone);
        assertThat(browser.findElement(By.cssSelector("#history tr td")).getText()).as("when the points moved")
                .isEqualTo(written(recorded.toLocalDate(), "{dateStyle: 'medium'}") + ", "
                        + recorded.toLocalTime().withSecond(0).withNano(0));
        assertThat(browser.findElement(By.cssSelector("#history tr")).getText()).as("the sale at the programme's 23:30")
                .contains("purchase of " + written(saleDay, "{dateStyle: 'medium'}"));
        scrollTo(browser.findElement(By.id("offers")));
        screenshot("15-customer-abroad.png");
    }

    @Test
    void anAdministratorDeletesAProgrammeCreatedByMistakeOnlyOnceTheyTypeItsCode() throws Exception {
        Http http = new Http(base);
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        String code = "MX" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        assertThat(http.post("api/v1/admin/programmes", "{\"code\":\"" + code + "\",\"name\":\"Mistake\","
                + "\"currency\":\"EUR\",\"pointsExpireAfterDays\":365,\"pendingDays\":0}", admin).status())
                .isEqualTo(201);
        browser = chromium(1400, 1000);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "backoffice/");
        signIn(wait, "admin@demo.local", "admin-demo");
        switchProgramme(code);
        browser.findElement(By.cssSelector("#nav [data-view=programme]")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("p-name"), "value", "Mistake"));

        browser.findElement(By.id("delete-programme-button")).click();
        org.openqa.selenium.Alert asked = wait.until(ExpectedConditions.alertIsPresent());
        assertThat(asked.getText()).contains("Delete programme " + code);
        asked.sendKeys("DEMO");
        asked.accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Programme " + code + " kept"));
        assertThat(http.get("api/v1/admin/programmes/" + code, admin).status()).isEqualTo(200);

        browser.findElement(By.id("delete-programme-button")).click();
        org.openqa.selenium.Alert again = wait.until(ExpectedConditions.alertIsPresent());
        again.sendKeys(code.toLowerCase());
        again.accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Programme " + code + " deleted"));
        assertThat(http.get("api/v1/admin/programmes/" + code, admin).status()).isEqualTo(404);
        assertThat(browser.findElements(By.cssSelector("#programme option[value='" + code + "']"))).isEmpty();
        String shown = new Select(browser.findElement(By.id("programme"))).getFirstSelectedOption().getAttribute("value");
        assertThat(shown).isNotEqualTo(code);
        wait.until(ExpectedConditions.attributeToBe(By.id("p-name"), "value", http.get("api/v1/admin/programmes/"
                + shown, admin).json().getString("name")));

        // The demo programme has members: the engine keeps it, and says why.
        switchProgramme("DEMO");
        browser.findElement(By.id("delete-programme-button")).click();
        org.openqa.selenium.Alert demo = wait.until(ExpectedConditions.alertIsPresent());
        demo.sendKeys("DEMO");
        demo.accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "cannot be deleted"));
        assertThat(http.get("api/v1/admin/programmes/DEMO", admin).status()).isEqualTo(200);
    }

    @Test
    void anAdministratorSetsUpANewProgrammeEntirelyFromTheBackOffice() throws Exception {
        Http http = new Http(base);
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        String code = "SU" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        browser = chromium(1400, 1000);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "backoffice/");
        signIn(wait, "admin@demo.local", "admin-demo");

        // The programme is chosen in a list of the programmes the signed-in staff member may see.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#programme option[value=DEMO]")));
        assertThat(browser.findElement(By.id("programme")).getTagName()).isEqualTo("select");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("programme-facts"), "EUR · Europe/Paris"));

        // Creating a programme: a mistake is named by the field the API refuses, then the programme is created.
        browser.findElement(By.cssSelector("#nav [data-view=programme]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("create-programme")));
        browser.findElement(By.id("n-code")).sendKeys(code.toLowerCase());
        browser.findElement(By.id("n-name")).sendKeys("Setup " + code);
        browser.findElement(By.id("n-currency")).sendKeys("gbp");
        browser.findElement(By.id("n-zone")).clear();
        browser.findElement(By.id("n-zone")).sendKeys("Europe/London");
        browser.findElement(By.id("n-expire")).clear();
        browser.findElement(By.id("n-expire")).sendKeys("300");
        browser.findElement(By.id("n-pending")).clear();
        browser.findElement(By.id("n-pending")).sendKeys("300");
        browser.findElement(By.id("create-programme-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Pending days: "));
        assertThat(browser.findElement(By.id("message")).getText()).contains("pendingDays must be below");
        assertThat(browser.findElement(By.id("n-pending")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(http.get("api/v1/admin/programmes/" + code, admin).status()).as("nothing created").isEqualTo(404);
        browser.findElement(By.id("n-pending")).clear();
        browser.findElement(By.id("n-pending")).sendKeys("0");
        browser.findElement(By.id("create-programme-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Programme " + code + " created"));
        wait.until(ExpectedConditions.attributeToBe(By.id("p-name"), "value", "Setup " + code));
        assertThat(new Select(browser.findElement(By.id("programme"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo(code);
        assertThat(browser.findElement(By.id("programme-facts")).getText()).isEqualTo("GBP · Europe/London");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tier-list"), "MEMBER"));
        assertThat(browser.findElement(By.id("p-most")).getAttribute("value")).as("no most for one sale given")
                .isEmpty();
        // Set on the terms' form, in the programme's currency, and saved with them.
        browser.findElement(By.id("p-most")).sendKeys("2500.00");
        browser.findElement(By.id("save-terms")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Terms saved"));
        assertThat(http.get("api/v1/admin/programmes/" + code, admin).json().getString("maxSaleTotal"))
                .isEqualTo("2500.00");

        // A tier and a reward are added, then edited in their rows; a refused edit names its input.
        browser.findElement(By.id("t-code")).sendKeys("gold");
        browser.findElement(By.id("t-name")).sendKeys("Gold");
        browser.findElement(By.id("t-min")).sendKeys("1000");
        browser.findElement(By.cssSelector("#tier-form button")).click();
        // The starter rules name no tier: the manager is told GOLD's members get no bonus of their own yet.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Tier GOLD added; no live"
                + " rule names it yet"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tier-list"), "No live rule names it"));
        assertThat(browser.findElement(By.id("tier-list")).getText().split("No live rule names it", -1))
                .as("GOLD's row only, not the entry tier's").hasSize(2);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-edit=tier-GOLD]"))).click();
        WebElement minimum = browser.findElement(By.cssSelector("#tier-list input[data-field=minimumPoints]"));
        minimum.clear();
        minimum.sendKeys("0");
        browser.findElement(By.cssSelector("#tier-list [data-save]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "From qualifying points: Tier GOLD"));
        assertThat(minimum.getAttribute("aria-invalid")).isEqualTo("true");
        WebElement tierName = browser.findElement(By.cssSelector("#tier-list input[data-field=name]"));
        tierName.clear();
        tierName.sendKeys("Gold club");
        minimum.clear();
        minimum.sendKeys("1500");
        browser.findElement(By.cssSelector("#tier-list input[data-field=benefits]")).sendKeys("free delivery");
        browser.findElement(By.cssSelector("#tier-list [data-save]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Tier GOLD saved"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tier-list"), "Gold club"));
        assertThat(browser.findElement(By.id("tier-list")).getText()).contains("1,500").contains("free delivery");
        jakarta.json.JsonObject gold = http.get("api/v1/admin/programmes/" + code, admin).json().getJsonArray("tiers")
                .getValuesAs(jakarta.json.JsonObject.class).stream().filter(t -> t.getString("code").equals("GOLD"))
                .findFirst().orElseThrow();
        assertThat(gold.getString("name") + " " + gold.getInt("minimumPoints") + " " + gold.getString("benefits"))
                .isEqualTo("Gold club 1500 free delivery");

        browser.findElement(By.id("w-id")).sendKeys("r-tote");
        browser.findElement(By.id("w-name")).sendKeys("Tote bag");
        browser.findElement(By.id("w-points")).sendKeys("500");
        browser.findElement(By.cssSelector("#reward-form button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-edit=reward-r-tote]"))).click();
        WebElement price = browser.findElement(By.cssSelector("#reward-list input[data-field=points]"));
        price.clear();
        price.sendKeys("450");
        browser.findElement(By.cssSelector("#reward-list input[data-field=tier]")).sendKeys("GOLD");
        browser.findElement(By.cssSelector("#reward-list input[data-field=stock]")).sendKeys("20" + org.openqa.selenium.Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Reward r-tote saved"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reward-list"), "450"));
        jakarta.json.JsonObject tote = http.get("api/v1/admin/programmes/" + code + "/rewards", admin).array()
                .getValuesAs(jakarta.json.JsonObject.class).get(0);
        assertThat(tote.getString("name") + " " + tote.getInt("points") + " " + tote.getString("tier") + " "
                + tote.getInt("stock")).isEqualTo("Tote bag 450 GOLD 20");
        screenshot("12-new-programme.png");

        // Another manager sets the stock while this one edits it: the first save is refused and says so, the stock
        // typed again from what it is now is saved.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-edit=reward-r-tote]"))).click();
        assertThat(http.put("api/v1/admin/programmes/" + code + "/rewards/r-tote", "{\"name\":\"Tote bag\",\"points\":450,"
                + "\"tier\":\"GOLD\",\"stock\":15,\"stockWas\":20}", admin).status()).isEqualTo(200);
        WebElement stock = browser.findElement(By.cssSelector("#reward-list input[data-field=stock]"));
        stock.clear();
        stock.sendKeys("30");
        browser.findElement(By.cssSelector("#reward-list [data-save]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "has 15 now"));
        wait.until(ExpectedConditions.attributeToBe(stock, "value", "15"));
        stock.clear();
        stock.sendKeys("30");
        browser.findElement(By.cssSelector("#reward-list [data-save]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Reward r-tote saved"));
        assertThat(http.get("api/v1/admin/programmes/" + code + "/rewards", admin).array()
                .getValuesAs(jakarta.json.JsonObject.class).get(0).getInt("stock")).isEqualTo(30);

        // Another programme picked from the list shows its own terms; the choice is remembered on coming back.
        switchProgramme("DEMO");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tier-list"), "SILVER"));
        assertThat(browser.findElement(By.id("programme-facts")).getText()).isEqualTo("EUR · Europe/Paris");
        switchProgramme(code);
        wait.until(ExpectedConditions.attributeToBe(By.id("p-name"), "value", "Setup " + code));
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("programme-facts"), "GBP"));
        assertThat(new Select(browser.findElement(By.id("programme"))).getFirstSelectedOption().getAttribute("value"))
                .as("the programme chosen last").isEqualTo(code);

        // One member enrolled by hand, then given a second card.
        browser.findElement(By.cssSelector("#nav [data-view=members]")).click();
        String email = "nia-" + UUID.randomUUID() + "@example.org";
        browser.findElement(By.id("e-email")).sendKeys(email);
        browser.findElement(By.id("e-first")).sendKeys("Nia");
        browser.findElement(By.id("e-last")).sendKeys("Setup");
        browser.findElement(By.id("enrol")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Nia Setup enrolled in " + code));
        String member = browser.findElement(By.id("message")).getText().replaceAll(".* as (m-\\S+) with card.*", "$1");
        String firstCard = browser.findElement(By.id("message")).getText().replaceAll(".* with card (\\d+).*", "$1");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("member-cards"), firstCard));
        assertThat(browser.findElement(By.id("member-name")).getText()).contains("Nia Setup").contains(member);
        browser.findElement(By.id("issue-card")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), " issued"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#member-cards tr"), 2));
        jakarta.json.JsonArray cards = http.get("api/v1/admin/members/" + member, admin).json().getJsonArray("cards");
        assertThat(cards.getValuesAs(jakarta.json.JsonObject.class).stream()
                .map(c -> c.getString("status")).toList()).containsExactly("ACTIVE", "ACTIVE");
        screenshot("13-second-card.png");
        // The same email again: refused, the email named.
        browser.findElement(By.id("e-email")).sendKeys(email);
        browser.findElement(By.id("e-first")).sendKeys("Nia");
        browser.findElement(By.id("e-last")).sendKeys("Again");
        browser.findElement(By.id("enrol")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Email: Programme " + code
                + " already has member " + member));
        assertThat(browser.findElement(By.id("e-email")).getAttribute("aria-invalid")).isEqualTo("true");

        // A spreadsheet imported: the new members' cards are listed, and downloaded as CSV.
        Path csv = Files.createTempFile(Path.of("target").toAbsolutePath(), "import-", ".csv");
        Files.writeString(csv, "email,firstName,lastName\nomar-" + code + "@example.org,Omar,Card\nnot-an-email,Bad,Row\n"
                + "pia-" + code + "@example.org,Pia,Card\n");
        browser.findElement(By.cssSelector("#nav [data-view=knowledge]")).click();
        browser.findElement(By.id("import-file")).sendKeys(csv.toString());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-summary"), "2 of 3 rows imported, 1 rejected"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("import-members")));
        java.util.List<String> shown = browser.findElements(By.cssSelector("#import-member-rows td.card-number")).stream()
                .map(WebElement::getText).toList();
        assertThat(shown).hasSize(2);
        for (String card : shown) {
            assertThat(http.get("api/v1/admin/programmes/" + code + "/members?card=" + card, admin).json()
                    .getJsonObject("account").getString("lastName")).isEqualTo("Card");
        }
        assertThat(browser.findElement(By.id("import-member-rows")).getText()).contains("Omar Card").contains("Pia Card");
        assertThat(browser.findElement(By.id("import-download")).getAttribute("download")).isEqualTo(code + "-imported-cards.csv");
        Path downloads = Files.createDirectories(Path.of("target", "downloads-" + UUID.randomUUID()).toAbsolutePath());
        ((ChromeDriver) browser).executeCdpCommand("Browser.setDownloadBehavior", java.util.Map.of("behavior", "allow",
                "downloadPath", downloads.toString()));
        browser.findElement(By.id("import-download")).click();
        Path file = downloads.resolve(code + "-imported-cards.csv");
        wait.until(driver -> Files.exists(file));
        String downloaded = Files.readString(file);
        assertThat(downloaded.lines().toList()).hasSize(3).first().isEqualTo("memberId,cardNumber,firstName,lastName,email,line");
        assertThat(downloaded).contains(shown.get(0) + ",Omar,Card,omar-" + code.toLowerCase() + "@example.org,2")
                .contains(shown.get(1) + ",Pia,Card,pia-" + code.toLowerCase() + "@example.org,4");
        screenshot("14-import-cards.png");
    }

    @Test
    void aManagerSwitchesProgrammesSavesOneDraftSignsInAgainAndAdjustsOnceWhateverTheClicks() throws Exception {
        Http http = new Http(base);
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        String code = newProgramme(http, admin, "BW");
        assertThat(http.post("api/v1/admin/programmes/" + code + "/tiers", "{\"code\":\"GOLD\",\"name\":\"Gold\","
                + "\"minimumPoints\":1000}", admin).status()).isEqualTo(201);
        Http.Reply enrolled = http.post("api/v1/admin/programmes/" + code + "/members", "{\"email\":\"bw-" + UUID.randomUUID()
                + "@example.org\",\"firstName\":\"Bea\",\"lastName\":\"Wolf\"}", admin);
        String member = enrolled.json().getString("memberId");
        String card = enrolled.json().getString("cardNumber");
        String other = enrol(http, admin, code);
        for (int i = 0; i < 55; i++) {
            adjust(http, admin, member, 1, "bulk " + i);
        }
        assertThat(http.post("api/v1/admin/cards/" + card + "/block", "{\"reason\":\"lost\"}", admin).status())
                .isEqualTo(200);
        int demoVersions = http.get("api/v1/admin/programmes/DEMO/rules/versions", admin).array().size();
        long entries = http.get("api/v1/admin/members/" + member + "/transactions?size=1", admin).json()
                .getJsonNumber("total").longValue();
        assertThat(entries).isGreaterThanOrEqualTo(55).isLessThan(100);

        browser = chromium(1400, 1000);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "backoffice/");
        signIn(wait, "admin@demo.local", "admin-demo");

        // The Programme box reloads the open tab: the terms, then the rules, are those of the programme named.
        browser.findElement(By.cssSelector("#nav [data-view=programme]")).click();
        wait.until(driver -> !driver.findElement(By.id("p-name")).getAttribute("value").isEmpty());
        assertThat(browser.findElement(By.id("p-name")).getAttribute("value")).isNotEqualTo("Browser " + code);
        switchProgramme(code);
        wait.until(ExpectedConditions.attributeToBe(By.id("p-name"), "value", "Browser " + code));
        switchProgramme("DEMO");
        browser.findElement(By.cssSelector("#nav [data-view=rules]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rules-version"), "DEMO live"));
        switchProgramme(code);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rules-version"), code + " live: version 1"));

        // A double click on "Check and save draft" stores one draft, and the diff goes from the live one to it.
        String source = browser.findElement(By.id("source")).getAttribute("value");
        type(browser.findElement(By.id("source")), source + "\n// a browser's edit\n");
        browser.findElement(By.id("comment")).sendKeys("One draft");
        new org.openqa.selenium.interactions.Actions(browser).doubleClick(browser.findElement(By.id("save-rules"))).perform();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Saved as draft version 2 of " + code));
        Thread.sleep(1500);
        assertThat(http.get("api/v1/admin/programmes/" + code + "/rules/versions", admin).array()).as("one draft").hasSize(2);
        assertThat(http.get("api/v1/admin/programmes/DEMO/rules/versions", admin).array())
                .as("nothing saved as the other programme's").hasSize(demoVersions);
        assertThat(browser.findElement(By.id("diff-from")).getAttribute("value")).isEqualTo("1");
        assertThat(browser.findElement(By.id("diff-to")).getAttribute("value")).isEqualTo("2");

        // The session ends: the sign-in form comes back, and after it the editor as it was left.
        type(browser.findElement(By.id("source")), source + "\n// typed before the session ended\n");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.setItem('loyalty.token', 'expired');");
        browser.findElement(By.id("diff")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
        assertThat(browser.findElement(By.id("rules")).isDisplayed()).as("the data is hidden").isFalse();
        assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("message")).getText()).contains("sign in again");
        assertThat(browser.findElement(By.id("message")).getAttribute("role")).isEqualTo("alert");
        screenshot("11-session-ended.png");
        signIn(wait, "admin@demo.local", "admin-demo");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rules")));
        assertThat(browser.findElement(By.id("source")).getAttribute("value")).contains("typed before the session ended");
        assertThat(browser.findElement(By.id("message")).getText()).as("an old message goes").isEmpty();

        // A blocked card can be reactivated or replaced; printing twice leaves one sheet; the ledger pages.
        browser.findElement(By.cssSelector("#nav [data-view=members]")).click();
        openByCard(wait, card);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("member-cards"), "BLOCKED"));
        assertThat(browser.findElement(By.id("member-cards")).getText()).contains("Reactivate").contains("Replace");
        browser.findElement(By.xpath("//tbody[@id='member-cards']//button[.='Print']")).click();
        WebElement sheet = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("print-sheet")));
        browser.findElement(By.xpath("//tbody[@id='member-cards']//button[.='Print']")).click();
        wait.until(ExpectedConditions.stalenessOf(sheet));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("print-sheet")));
        assertThat(browser.findElements(By.cssSelector("#member .printable"))).hasSize(1);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ledger-pages"), "1–50 of " + entries));
        assertThat(browser.findElements(By.cssSelector("#ledger tr"))).hasSize(50);
        browser.findElement(By.cssSelector("#ledger-pages [data-page=older]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ledger-pages"), "51–" + entries + " of " + entries));
        assertThat(browser.findElements(By.cssSelector("#ledger tr"))).hasSize((int) entries - 50);
        assertThat(browser.findElement(By.id("ledger")).getText()).contains("bulk 0");
        browser.findElement(By.xpath("//tbody[@id='member-cards']//button[.='Reactivate']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "active again"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("member-cards"), "ACTIVE"));
        assertThat(http.get("api/v1/admin/members/" + member, admin).json().getJsonArray("cards").getJsonObject(0)
                .getString("status")).isEqualTo("ACTIVE");
        openByCard(wait, other);
        assertThat(browser.findElements(By.cssSelector("#member .printable"))).as("the sheet was the other member's")
                .isEmpty();

        // An adjustment double-clicked, and each request sent twice on the way (a retry): recorded once.
        openByCard(wait, card);
        long before = http.get("api/v1/admin/members/" + member, admin).json().getJsonObject("account")
                .getJsonNumber("availablePoints").longValue();
        ((JavascriptExecutor) browser).executeScript("const send = window.fetch; window.fetch = async (url, init) => {"
                + " if (init && init.method === 'POST' && String(url).endsWith('/adjustments')) await send(url, init);"
                + " return send(url, init); };");
        browser.findElement(By.id("adjust-points")).sendKeys("25");
        browser.findElement(By.id("adjust-reason")).sendKeys("goodwill");
        new org.openqa.selenium.interactions.Actions(browser).doubleClick(browser.findElement(By.id("adjust"))).perform();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("adjust-message"), "25 points adjusted"));
        Thread.sleep(1500);
        long goodwill = http.get("api/v1/admin/members/" + member + "/transactions?size=100", admin).json()
                .getJsonArray("items").getValuesAs(jakarta.json.JsonObject.class).stream()
                .filter(line -> "goodwill".equals(line.getString("reason", null))).count();
        assertThat(goodwill).as("the adjustment recorded once").isEqualTo(1);
        assertThat(http.get("api/v1/admin/members/" + member, admin).json().getJsonObject("account")
                .getJsonNumber("availablePoints").longValue()).isEqualTo(before + 25);
        assertThat(browser.findElement(By.id("adjust-points")).getAttribute("value")).isEmpty();
        assertThat(browser.findElement(By.id("adjust-reason")).getAttribute("value")).isEmpty();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("member-available"),
                String.format(java.util.Locale.ENGLISH, "%,d", before + 25)));

        // A debit beyond the balance is refused beside the form, which says how to make it: the box it names.
        browser.findElement(By.id("adjust-points")).sendKeys("-1000");
        browser.findElement(By.id("adjust-reason")).sendKeys("fraud");
        browser.findElement(By.id("adjust")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("adjust-message"), "allow a negative balance"));
        assertThat(browser.findElement(By.id("adjust-message")).getAttribute("class")).contains("error");
        assertThat(inView("adjust-message")).as("the refusal in sight").isTrue();
        browser.findElement(By.id("adjust-negative")).click();
        browser.findElement(By.id("adjust")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("adjust-message"), "-1,000 points adjusted"));
        assertThat(http.get("api/v1/admin/members/" + member, admin).json().getJsonObject("account")
                .getJsonNumber("availablePoints").longValue()).isEqualTo(before + 25 - 1000);
        assertThat(browser.findElement(By.id("adjust-negative")).isSelected()).as("for this debit only").isFalse();

        // A tier set by hand, with its reason: said beside the form, with the tier the member's own points reach.
        String held = http.get("api/v1/admin/members/" + member, admin).json().getJsonObject("account").getString("tier");
        wait.until(ExpectedConditions.attributeToBe(By.id("tier-set"), "value", held));
        Select tiers = new Select(browser.findElement(By.id("tier-set")));
        String given = tiers.getOptions().stream().map(option -> option.getAttribute("value"))
                .filter(tier -> !tier.equals(held)).findFirst().orElseThrow();
        tiers.selectByValue(given);
        browser.findElement(By.id("tier-set-reason")).sendKeys("Gesture after a complaint");
        browser.findElement(By.id("tier-set-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tier-set-message"), "Set from " + held
                + " to " + given + "; their "));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("member-tier"), given));
        assertThat(http.get("api/v1/admin/members/" + member, admin).json().getJsonObject("account").getString("tier"))
                .isEqualTo(given);

        // On a 500-pixel screen the tabs wrap instead of running off it; a checkbox is no wider than a box.
        browser.manage().window().setSize(new Dimension(500, 900));
        Thread.sleep(500);
        long beyond = (Long) ((JavascriptExecutor) browser).executeScript("return Array.from(document.querySelectorAll('#nav button'))"
                + ".filter(b => b.getBoundingClientRect().right > document.documentElement.clientWidth).length;");
        assertThat(beyond).as("tabs beyond the screen's edge").isZero();
        assertThat(browser.findElement(By.id("c-email")).getSize().getWidth()).isLessThan(40);
        screenshot("12-narrow-member.png");

        // On a phone the member's tables and the rule editor scroll in their boxes: the page is the screen's width.
        browser.manage().window().setSize(new Dimension(390, 844));
        Thread.sleep(500);
        assertThat(pageOverflow()).as("the member's page beyond a phone's width").isLessThanOrEqualTo(0);
        browser.findElement(By.cssSelector("#nav [data-view=rules]")).click();
        wait.until(driver -> !driver.findElement(By.id("source")).getAttribute("value").isEmpty());
        assertThat(pageOverflow()).as("the rule editor beyond a phone's width").isLessThanOrEqualTo(0);
        browser.findElement(By.cssSelector("#nav [data-view=audit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#audit-rows tr")));
        assertThat(pageOverflow()).as("the audit beyond a phone's width").isLessThanOrEqualTo(0);
        screenshot("22-phone-audit.png");
    }

    @Test
    void aManagerMergesOnlyThePairOnScreenAndKeepsUnsavedRulesWhateverTheTabs() throws Exception {
        Http http = new Http(base);
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        String code = newProgramme(http, admin, "BG");
        jakarta.json.JsonObject paul = enrolNamed(http, admin, code, "Paul", "Martin");
        jakarta.json.JsonObject zoe = enrolNamed(http, admin, code, "Zoe", "Durand");
        jakarta.json.JsonObject pia = enrolNamed(http, admin, code, "Pia", "Martin");

        browser = chromium(1400, 1000);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "backoffice/");
        signIn(wait, "admin@demo.local", "admin-demo");
        switchProgramme(code);

        // Zoe compared with Paul; then Pia opened: the comparison with Paul goes, and nothing can be merged unseen.
        openByCard(wait, paul.getString("cardNumber"));
        browser.findElement(By.id("merge-from")).sendKeys(zoe.getString("memberId"));
        browser.findElement(By.id("merge-compare")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("merge-keep"), "Paul Martin"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("merge-dup"), "Zoe Durand"));
        assertThat(browser.findElement(By.id("merge-confirm")).isDisplayed()).isTrue();
        openByCard(wait, pia.getString("cardNumber"));
        assertThat(browser.findElement(By.id("merge-sides")).isDisplayed()).as("Paul's comparison").isFalse();
        assertThat(browser.findElement(By.id("merge-confirm")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("merge-from")).getAttribute("value")).isEmpty();

        // An id changed after its comparison is compared again before a merge.
        browser.findElement(By.id("merge-from")).sendKeys(paul.getString("memberId"));
        browser.findElement(By.id("merge-compare")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("merge-dup"), "Paul Martin"));
        browser.findElement(By.id("merge-from")).clear();
        browser.findElement(By.id("merge-from")).sendKeys(zoe.getString("memberId"));
        assertThat(browser.findElement(By.id("merge-confirm")).isDisplayed()).isFalse();
        browser.findElement(By.id("merge-compare")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("merge-dup"), "Zoe Durand"));
        browser.findElement(By.id("merge-confirm")).click();
        org.openqa.selenium.Alert asked = wait.until(ExpectedConditions.alertIsPresent());
        assertThat(asked.getText()).as("the question names both").contains("Zoe Durand").contains("into Pia Martin");
        asked.accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Zoe Durand merged into Pia Martin"));
        assertThat(http.get("api/v1/admin/members/" + zoe.getString("memberId"), admin).json().getString("mergedInto"))
                .isEqualTo(pia.getString("memberId"));
        assertThat(http.get("api/v1/admin/members/" + paul.getString("memberId"), admin).json().getJsonArray("cards"))
                .as("Paul keeps his own card alone").hasSize(1);

        // An edit left for another tab is there on coming back, and saved with its comment; a save of nothing is not.
        browser.findElement(By.cssSelector("#nav [data-view=rules]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rules-version"), code + " live: version 1"));
        int files = new Select(browser.findElement(By.id("rule-file"))).getOptions().size();
        assertThat(files).isGreaterThan(1);
        String source = browser.findElement(By.id("source")).getAttribute("value");
        type(browser.findElement(By.id("source")), source + "\n// an edit left for the reports\n");
        browser.findElement(By.id("comment")).sendKeys("Kept across tabs");
        browser.findElement(By.cssSelector("#nav [data-view=reports]")).click();
        browser.findElement(By.cssSelector("#nav [data-view=rules]")).click();
        Thread.sleep(1000);
        assertThat(browser.findElement(By.id("source")).getAttribute("value")).contains("an edit left for the reports");
        browser.findElement(By.id("save-rules")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Saved as draft version 2 of " + code));
        assertThat(browser.findElement(By.id("comment")).getAttribute("value")).as("for the next change").isEmpty();
        browser.findElement(By.id("save-rules")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Nothing to save"));
        assertThat(http.get("api/v1/admin/programmes/" + code + "/rules/versions", admin).array()).hasSize(2);

        // A file taken out is not in the next draft; the draft before opens in the editor again.
        String removed = new Select(browser.findElement(By.id("rule-file"))).getFirstSelectedOption().getText();
        browser.findElement(By.id("remove-file")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        assertThat(new Select(browser.findElement(By.id("rule-file"))).getOptions()).hasSize(files - 1);
        browser.findElement(By.id("comment")).sendKeys("Without " + removed);
        browser.findElement(By.id("save-rules")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Saved as draft version 3 of " + code));
        jakarta.json.JsonArray third = http.get("api/v1/admin/programmes/" + code + "/rules?version=3", admin).json()
                .getJsonArray("files");
        assertThat(third).hasSize(files - 1);
        assertThat(third.getValuesAs(jakarta.json.JsonObject.class)).noneMatch(file -> file.getString("path").equals(removed));
        browser.findElement(By.cssSelector("#versions [data-open='2']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rules-version"), code
                + ": version 2 in the editor (live: version 1)"));
        assertThat(new Select(browser.findElement(By.id("rule-file"))).getOptions()).hasSize(files);
        assertThat(browser.findElement(By.id("source")).getAttribute("value")).contains("an edit left for the reports");
    }

    @Test
    void aManagerCancelsARedemptionWhoseRewardNeverArrivedOnceWhateverTheClicks() throws Exception {
        Http http = new Http(base);
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        String[] till = {"X-Api-Key", "demo-pos-S001"};
        String reward = "r-tote-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(http.post("api/v1/admin/programmes/DEMO/rewards", "{\"rewardId\":\"" + reward + "\",\"name\":"
                + "\"Tote bag\",\"points\":250,\"stock\":1}", manager).status()).isEqualTo(201);
        String card = enrol(http, manager, "DEMO");
        String member = http.get("api/v1/pos/cards/" + card, till).json().getString("memberId");
        adjust(http, manager, member, 600, "welcome");
        Http.Reply redeemed = http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + card + "\",\"storeId\":"
                + "\"S001\",\"receiptId\":\"R-" + UUID.randomUUID() + "\",\"rewardId\":\"" + reward + "\"}", till);
        assertThat(redeemed.status()).as(redeemed.body()).isEqualTo(201);
        String redemption = redeemed.json().getString("redemptionId");
        Http.Reply paid = http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + card + "\",\"storeId\":"
                + "\"S001\",\"receiptId\":\"R-" + UUID.randomUUID() + "\",\"points\":100}", till);
        assertThat(paid.status()).as(paid.body()).isEqualTo(201);
        String byValue = paid.json().getString("redemptionId");

        browser = chromium(1400, 1000);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "backoffice/");
        signIn(wait, "manager@demo.local", "manager-demo");
        // The card number as the card prints it, in groups.
        openByCard(wait, card, card.substring(0, 4) + " " + card.substring(4, 8) + " " + card.substring(8, 12) + " "
                + card.substring(12));
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#redemptions tr[data-redemption='" + redemption + "']")));
        assertThat(row.getText()).contains("Tote bag", "250", "stands", "S001");
        // Every cancellation sent is counted, and sent twice on the way (a retry).
        ((JavascriptExecutor) browser).executeScript("window.cancelsSent = 0; const send = window.fetch;"
                + " window.fetch = async (url, init) => { if (init && init.method === 'POST' && String(url).endsWith('/cancel'))"
                + " { window.cancelsSent++; await send(url, init); } return send(url, init); };");

        // Without a reason nothing is sent; "Keep it" leaves it as it was.
        browser.findElement(By.cssSelector("[data-cancel='" + redemption + "']")).click();
        WebElement why = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#redemptions input[data-field=reason]")));
        assertThat(browser.switchTo().activeElement()).as("the cursor waits in the reason").isEqualTo(why);
        browser.findElement(By.xpath("//tbody[@id='redemptions']//button[text()='Give the points back']")).click();
        assertThat(((JavascriptExecutor) browser).executeScript("return arguments[0].matches(':invalid')", why))
                .as("the reason is asked for").isEqualTo(true);
        browser.findElement(By.xpath("//tbody[@id='redemptions']//button[text()='Keep it']")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-cancel='" + redemption + "']")));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.cancelsSent")).isEqualTo(0L);
        assertThat(available(http, till, card)).isEqualTo(250);

        // Double-clicked, and the request sent twice on the way: cancelled once.
        browser.findElement(By.cssSelector("[data-cancel='" + redemption + "']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#redemptions input[data-field=reason]")))
                .sendKeys("Never arrived by post");
        new org.openqa.selenium.interactions.Actions(browser).doubleClick(browser.findElement(
                By.xpath("//tbody[@id='redemptions']//button[text()='Give the points back']"))).perform();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("redemption-message"),
                "Redemption " + redemption + " cancelled: 250 points given back, Tote bag back in stock; available now 500"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#redemptions tr[data-redemption='"
                + redemption + "']"), "by manager@demo.local: Never arrived by post"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.cancelsSent")).as("one click sent")
                .isEqualTo(1L);
        assertThat(browser.findElements(By.cssSelector("[data-cancel='" + redemption + "']"))).as("no second cancel")
                .isEmpty();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("member-available"), "500"));
        assertThat(browser.findElement(By.id("ledger")).getText()).contains("Redemption cancelled: Tote bag");
        screenshot("redemption-cancelled.png");
        long givenBack = http.get("api/v1/admin/members/" + member + "/transactions?size=100", manager).json()
                .getJsonArray("items").getValuesAs(jakarta.json.JsonObject.class).stream()
                .filter(line -> line.getString("kind").equals("REDEEM") && line.getJsonNumber("points").longValue() > 0)
                .count();
        assertThat(givenBack).as("the points given back once").isEqualTo(1);
        assertThat(available(http, till, card)).isEqualTo(500);
        // The tote bag is back in stock: the customer takes it again at the till.
        assertThat(http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + card + "\",\"storeId\":\"S001\","
                + "\"receiptId\":\"R-" + UUID.randomUUID() + "\",\"rewardId\":\"" + reward + "\"}", till).status())
                .isEqualTo(201);

        // The till cancels the other one while the page still shows it standing: the manager is told it was
        // cancelled already, and nothing is given twice.
        assertThat(http.post("api/v1/pos/redemptions/" + byValue + "/cancel", "{\"terminalId\":\"T4\"}", till)
                .status()).isEqualTo(201);
        browser.findElement(By.cssSelector("[data-cancel='" + byValue + "']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#redemptions input[data-field=reason]")))
                .sendKeys("Charged twice");
        browser.findElement(By.xpath("//tbody[@id='redemptions']//button[text()='Give the points back']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("redemption-message"),
                "Redemption " + byValue + " had been cancelled already"));
        assertThat(browser.findElement(By.id("redemption-message")).getText()).contains("nothing given back now");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#redemptions tr[data-redemption='"
                + byValue + "']"), "at the till S001/T4"));
        assertThat(available(http, till, card)).isEqualTo(350);
    }

    private static long available(Http http, String[] till, String card) {
        return http.get("api/v1/pos/cards/" + card, till).json().getJsonNumber("availablePoints").longValue();
    }

    @Test
    void theAuditorSeesNoControlThatWouldBeRefused() throws Exception {
        // A customer spends 10 points at the till: a redemption that stands, which a manager could cancel.
        Http http = new Http(base);
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        String[] till = {"X-Api-Key", "demo-pos-S001"};
        String spender = enrol(http, manager, "DEMO");
        adjust(http, manager, http.get("api/v1/pos/cards/" + spender, till).json().getString("memberId"), 10, "welcome");
        Http.Reply spent = http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + spender + "\",\"storeId\":"
                + "\"S001\",\"receiptId\":\"R-" + UUID.randomUUID() + "\",\"points\":10}", till);
        assertThat(spent.status()).as(spent.body()).isEqualTo(201);
        String redemption = spent.json().getString("redemptionId");
        browser = chromium(1400, 1000);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "backoffice/");
        signIn(wait, "auditor@demo.local", "auditor-demo");
        browser.findElement(By.id("search-name")).sendKeys("Pet");
        browser.findElement(By.id("search")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("Marc Petit"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("member-name"), "Marc Petit"));
        assertThat(browser.findElement(By.id("adjust")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("member-cards")).getText()).doesNotContain("Block").doesNotContain("Replace");
        openByCard(wait, spender);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#redemptions tr[data-redemption='"
                + redemption + "']")));
        assertThat(browser.findElements(By.cssSelector("#redemptions button"))).as("no cancel for the auditor").isEmpty();
        browser.findElement(By.cssSelector("#nav [data-view=programme]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tier-list"), "GOLD"));
        assertThat(browser.findElement(By.id("save-terms")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("tier-form")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("reward-form")).isDisplayed()).isFalse();
        browser.findElement(By.cssSelector("#nav [data-view=rules]")).click();
        wait.until(driver -> !driver.findElement(By.id("source")).getAttribute("value").isEmpty());
        assertThat(browser.findElement(By.id("save-rules")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("remove-file")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector("#versions button:not([data-open])"))).as("no publish, no"
                + " rollback").isEmpty();
        assertThat(browser.findElements(By.cssSelector("#versions button[data-open]"))).as("any version read")
                .isNotEmpty();
    }

    @Test
    void aCustomerOnAPhoneReadsEveryHistoryLineBesideItsPointsAndEveryDayPointsExpire() throws Exception {
        Http http = new Http(base);
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        String code = newProgramme(http, admin, "BH");
        assertThat(http.post("api/v1/admin/programmes/" + code + "/rewards", "{\"rewardId\":\"r-cup\",\"name\":"
                + "\"Cup\",\"points\":5}", admin).status()).isEqualTo(201);
        assertThat(http.post("api/v1/admin/programmes/" + code + "/tiers", "{\"code\":\"SILVER\",\"minimumPoints\":95}",
                admin).status()).isIn(200, 201);
        String email = "bh-" + UUID.randomUUID() + "@example.org";
        Http.Reply enrolled = http.post("api/v1/admin/programmes/" + code + "/members", "{\"email\":\"" + email
                + "\",\"firstName\":\"Hana\",\"lastName\":\"Ito\",\"password\":\"hana-pass-1\"}", admin);
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        String card = enrolled.json().getString("cardNumber");
        String[] till = {"X-Api-Key", http.post("api/v1/admin/programmes/" + code + "/pos-keys", "{\"storeId\":\"H01\"}",
                admin).json().getString("key")};
        // Purchases on five days (five days their points expire on), one of them under a till's long receipt number.
        String longReceipt = "H01-T01-20261207-0000012345-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String returned = null;
        for (int day = 5; day >= 1; day--) {
            Http.Reply sale = http.post("api/v1/pos/transactions", "{\"cardNumber\":\"" + card + "\",\"storeId\":\"H01\","
                    + "\"receiptId\":\"" + (day == 1 ? longReceipt : "R-" + UUID.randomUUID()) + "\",\"occurredAt\":\""
                    + OffsetDateTime.now(ZoneOffset.UTC).minusDays(day).withNano(0) + "\",\"currency\":\"EUR\","
                    + "\"lines\":[{\"sku\":\"A" + day + "\",\"category\":\"grocery\",\"quantity\":2,\"unitPrice\":\"10.00\"}]}", till);
            assertThat(sale.status()).as(sale.body()).isEqualTo(201);
            if (day == 3) {
                returned = sale.json().getString("transactionId");
            }
        }
        assertThat(http.post("api/v1/pos/transactions/" + returned + "/returns", "{\"returnId\":\"RET-" + UUID.randomUUID()
                + "\",\"lines\":[{\"sku\":\"A3\",\"quantity\":1}]}", till).status()).isEqualTo(201);
        assertThat(http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + card + "\",\"storeId\":\"H01\","
                + "\"receiptId\":\"R-" + UUID.randomUUID() + "\",\"rewardId\":\"r-cup\"}", till).status()).isEqualTo(201);
        String[] customer = http.bearer(email, "hana-pass-1");
        jakarta.json.JsonArray expiring = http.get("api/v1/me", customer).json().getJsonArray("expiringPoints");
        assertThat(expiring).as("five days points expire on").hasSize(5);
        long later = expiring.getJsonObject(3).getJsonNumber("points").longValue()
                + expiring.getJsonObject(4).getJsonNumber("points").longValue();

        browser = chromium(390, 844);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "account/");
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys("hana-pass-1");
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), longReceipt));

        // 100 qualifying points made SILVER, 10 of them brought back since; the review, a year after joining today,
        // counts the purchases of the 365 days before it, and these of the last days stop counting before it: keeping
        // SILVER then takes its 95 points anew.
        assertThat(browser.findElement(By.id("tier")).getText()).isEqualTo("SILVER");
        assertThat(browser.findElement(By.id("next-tier")).getText()).endsWith(" · to keep SILVER then: 95 more qualifying points");
        // The list of expiring points adds up: three days, then the rest in one line.
        java.util.List<WebElement> days = browser.findElements(By.cssSelector("#expiring li"));
        assertThat(days).hasSize(4);
        assertThat(days.get(3).getText()).startsWith(later + " more points expire later, on 2 other days, the last on ");
        // The long receipt number wraps: the page is the phone's width, and every line's points are on the screen.
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertThat(((Number) js.executeScript("return document.documentElement.scrollWidth")).longValue())
                .isLessThanOrEqualTo(((Number) js.executeScript("return window.innerWidth")).longValue());
        assertThat(js.executeScript("return Array.from(document.querySelectorAll('#history td.num'))"
                + ".every(td => td.getBoundingClientRect().right <= window.innerWidth)")).isEqualTo(true);
        // Lines in the customer's words: no reward's code, a return's day as the page writes days.
        String history = browser.findElement(By.id("history")).getText();
        assertThat(history).contains("Points spent", "Cup").doesNotContain("(reward").doesNotContain("r-cup");
        WebElement returnLine = browser.findElement(By.xpath("//tbody[@id='history']/tr[contains(., 'Return')]"));
        assertThat(returnLine.getText()).doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}")
                .contains(" " + OffsetDateTime.now(ZoneOffset.UTC).minusDays(3).getYear());
        screenshot("customer-history-phone.png");

        // A refusal names the field as the page does.
        browser.findElement(By.xpath("//summary[text()='Close my account']")).click();
        browser.findElement(By.id("close")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("close-message"), "The password must not be blank"));
    }

    @Test
    void aCustomerSeesTheCardTheBarcodeEncodesPagesTheHistorySignsInAgainAndClosesTheAccount() throws Exception {
        Http http = new Http(base);
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        String code = newProgramme(http, admin, "BC");
        String email = "bc-" + UUID.randomUUID() + "@example.org";
        Http.Reply enrolled = http.post("api/v1/admin/programmes/" + code + "/members", "{\"email\":\"" + email
                + "\",\"firstName\":\"Cleo\",\"lastName\":\"Berg\",\"password\":\"cleo-pass-1\"}", admin);
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        String member = enrolled.json().getString("memberId");
        Http.Reply second = http.post("api/v1/admin/members/" + member + "/cards", "{}", admin);
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        String newest = second.json().getString("cardNumber");
        String[] till = {"X-Api-Key", http.post("api/v1/admin/programmes/" + code + "/pos-keys", "{\"storeId\":\"C01\"}",
                admin).json().getString("key")};
        String receipt = "R-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Reply sale = http.post("api/v1/pos/transactions", "{\"cardNumber\":\"" + enrolled.json().getString("cardNumber")
                + "\",\"storeId\":\"C01\",\"receiptId\":\"" + receipt + "\",\"occurredAt\":\""
                + OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5).withNano(0) + "\",\"currency\":\"EUR\","
                + "\"lines\":[{\"sku\":\"A\",\"category\":\"grocery\",\"quantity\":1,\"unitPrice\":\"12.00\"}]}", till);
        assertThat(sale.status()).as(sale.body()).isEqualTo(201);
        for (int i = 0; i < 23; i++) {
            adjust(http, admin, member, 10, "gift " + i);
        }
        // A till that was offline for days sends a sale of 3 days ago: it is the newest line of the history, and says
        // the day it was bought.
        OffsetDateTime threeDaysAgo = OffsetDateTime.now(ZoneOffset.UTC).minusDays(3).withNano(0);
        Http.Reply late = http.post("api/v1/pos/transactions", "{\"cardNumber\":\"" + newest
                + "\",\"storeId\":\"C01\",\"receiptId\":\"" + receipt + "-late\",\"occurredAt\":\""
                + threeDaysAgo + "\",\"currency\":\"EUR\","
                + "\"lines\":[{\"sku\":\"B\",\"category\":\"grocery\",\"quantity\":1,\"unitPrice\":\"3.00\"}]}", till);
        assertThat(late.status()).as(late.body()).isEqualTo(201);
        // A tier added since, below the member's qualifying points: they move up with their next purchase.
        Http.Reply tier = http.post("api/v1/admin/programmes/" + code + "/tiers", "{\"code\":\"SILVER\",\"minimumPoints\":10}",
                admin);
        assertThat(tier.status()).as(tier.body()).isIn(200, 201);
        // "3 Dec 2026" as the browser writes it (the month's abbreviation is the browser's own: "Sept", "Sep").
        String boughtOn = threeDaysAgo.getDayOfMonth() + " ";
        String[] customer = http.bearer(email, "cleo-pass-1");
        long entries = http.get("api/v1/me/transactions?size=1", customer).json().getJsonNumber("total").longValue();
        assertThat(entries).isGreaterThanOrEqualTo(23).isLessThan(40);
        long points = http.get("api/v1/me", customer).json().getJsonNumber("availablePoints").longValue();

        browser = chromium(390, 844);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "account/");
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys("cleo-pass-1");
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("available"),
                String.format(java.util.Locale.ENGLISH, "%,d points", points)));
        assertThat(browser.findElement(By.id("tier")).getText()).isEqualTo("MEMBER");
        assertThat(browser.findElement(By.id("next-tier")).getText()).as("no \"0 points to\", no false deadline")
                .startsWith("SILVER from your next purchase · ").contains(" qualifying points stop counting on ")
                .contains("(purchases count for 365 days) · tier review on ");
        // Two active cards: the number printed is the newest card's, and the image is asked for that card.
        assertThat(browser.findElement(By.id("card-number")).getText()).isEqualTo(newest);
        assertThat(browser.findElement(By.cssSelector("[data-format=QR_CODE]")).getAttribute("aria-pressed"))
                .as("the format shown is pressed").isEqualTo("true");
        assertThat(browser.findElement(By.cssSelector("[data-format=CODE_128]")).getAttribute("aria-pressed")).isEqualTo("false");
        wait.until(driver -> ((Number) ((JavascriptExecutor) driver).executeScript(
                "const i = document.querySelector('#card-image'); return i.complete ? i.naturalWidth : 0;")).intValue() > 0);
        assertThat(http.getBytes("api/v1/me/card.png?format=CODE_128", customer).body())
                .as("the image the engine draws by default is the newest card's")
                .isEqualTo(http.getBytes("api/v1/me/card.png?format=CODE_128&card=" + newest, customer).body());

        // The history: 20 entries a page with what each was, then the older ones.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history-pages"), "1–20 of " + entries));
        assertThat(browser.findElements(By.cssSelector("#history tr"))).hasSize(20);
        assertThat(browser.findElement(By.id("history")).getText()).contains("Adjustment").contains("gift 22");
        assertThat(browser.findElement(By.cssSelector("#history tr")).getText()).as("the late sale, first")
                .contains("Purchase").contains("purchase of " + boughtOn).contains(" " + threeDaysAgo.getYear());
        java.util.List<String> firstPage = browser.findElements(By.cssSelector("#history tr")).stream()
                .map(row -> row.getAttribute("data-entry")).toList();

        // A sale while the first page is read (it moves the customer up a tier): the next page does not show again
        // the entries it pushed down, and the points and tier above follow.
        Http.Reply meanwhile = http.post("api/v1/pos/transactions", "{\"cardNumber\":\"" + newest
                + "\",\"storeId\":\"C01\",\"receiptId\":\"" + receipt + "-meanwhile\",\"occurredAt\":\""
                + OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).withNano(0) + "\",\"currency\":\"EUR\","
                + "\"lines\":[{\"sku\":\"C\",\"category\":\"grocery\",\"quantity\":1,\"unitPrice\":\"7.00\"}]}", till);
        assertThat(meanwhile.status()).as(meanwhile.body()).isEqualTo(201);
        long grown = http.get("api/v1/me/transactions?size=1", customer).json().getJsonNumber("total").longValue();
        jakarta.json.JsonObject after = http.get("api/v1/me", customer).json();
        assertThat(grown).isGreaterThan(entries);
        browser.findElement(By.cssSelector("#history-pages [data-page=older]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history-pages"),
                (21 + grown - entries) + "–" + grown + " of " + grown));
        assertThat(browser.findElements(By.cssSelector("#history tr"))).hasSize((int) entries - 20)
                .extracting(row -> row.getAttribute("data-entry")).as("no entry of the first page again")
                .doesNotContainAnyElementsOf(firstPage);
        assertThat(browser.findElement(By.id("history")).getText()).contains("gift 0")
                .as("the purchase names its receipt").contains("Purchase · C01").contains("receipt " + receipt);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("available"),
                String.format(java.util.Locale.ENGLISH, "%,d points", after.getJsonNumber("availablePoints").longValue())));
        assertThat(after.getString("tier")).isEqualTo("SILVER");
        assertThat(browser.findElement(By.id("tier")).getText()).isEqualTo("SILVER");
        assertThat(browser.findElement(By.id("next-tier")).getText()).startsWith("top tier · tier review on ");

        // The card shown is replaced at the desk: the next barcode asked for says so beside the card, and the page
        // shows the new card.
        Http.Reply replaced = http.post("api/v1/admin/cards/" + newest + "/replace", "{\"reason\":\"damaged\"}", admin);
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(201);
        String replacement = replaced.json().getString("cardNumber");
        browser.findElement(By.cssSelector("[data-format=CODE_128]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("card-message"),
                "was replaced by the card ending in " + replacement.substring(9)));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("card-number"), replacement));
        wait.until(driver -> ((Number) ((JavascriptExecutor) driver).executeScript(
                "const i = document.querySelector('#card-image'); return i.complete ? i.naturalWidth : 0;")).intValue() > 0);
        assertThat(browser.findElement(By.cssSelector("[data-format=CODE_128]")).getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(browser.findElement(By.cssSelector("[data-format=CODE_128]")).getAttribute("class")).contains("active");
        assertThat(browser.findElement(By.cssSelector("[data-format=QR_CODE]")).getAttribute("aria-pressed")).isEqualTo("false");
        screenshot("20-card-replaced.png");

        // The session ends: the sign-in form again, the account hidden; signing in shows it again. The page may still
        // be reading the rest of the account after the card's replacement: the first call with the ended session,
        // the format's or one of those, signs the page out, and the format's button is then hidden, so it is
        // clicked the way the page's own code would be.
        ((JavascriptExecutor) browser).executeScript("sessionStorage.setItem('loyalty.token', 'expired');"
                + " document.querySelector('[data-format=CODE_128]').click();");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
        assertThat(browser.findElement(By.id("account")).isDisplayed()).isFalse();
        browser.findElement(By.id("password")).sendKeys("cleo-pass-1");
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("account")));

        // A claim of a total with a decimal comma, on the phone: said beside the form, in sight.
        new Select(browser.findElement(By.id("c-store"))).selectByValue("C01");
        browser.findElement(By.id("c-receipt")).sendKeys("R-claimed");
        type(browser.findElement(By.id("c-date")), java.time.LocalDateTime.now(ZoneOffset.UTC).minusDays(2).withSecond(0)
                .withNano(0).toString());
        browser.findElement(By.id("c-total")).sendKeys("25,50");
        browser.findElement(By.id("claim")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("claim-message"), "Claim sent"));
        assertThat(inView("claim-message")).as("the answer in sight").isTrue();
        assertThat(http.get("api/v1/me/claims", http.bearer(email, "cleo-pass-1")).array().getJsonObject(0)
                .getString("total")).isEqualTo("25.50");
        screenshot("21-claim-sent.png");

        // Closing the account from the page: the browser speaks HTTP/1.1. A wrong password is said beside the button.
        browser.findElement(By.cssSelector("details summary")).click();
        browser.findElement(By.id("close-password")).sendKeys("not-my-password");
        browser.findElement(By.id("close")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(driver -> !driver.findElement(By.id("close-message")).getText().isEmpty());
        assertThat(browser.findElement(By.id("close-message")).getAttribute("class")).contains("error");
        assertThat(inView("close-message")).as("the refusal in sight").isTrue();
        browser.findElement(By.id("close-password")).clear();
        browser.findElement(By.id("close-password")).sendKeys("cleo-pass-1");
        browser.findElement(By.id("close")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Your account is closed"));
        assertThat(browser.findElement(By.id("sign-in")).isDisplayed()).as("not an empty page").isTrue();
        assertThat(http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"cleo-pass-1\"}")
                .status()).isEqualTo(401);
        assertThat(http.get("api/v1/admin/members/" + member, admin).json().getString("status")).isEqualTo("CLOSED");
    }

    @Test
    void aCustomerChangesThePasswordAfterAMistakeAndLogsOutForGood() throws Exception {
        Http http = new Http(base);
        String email = "pw-" + UUID.randomUUID() + "@example.org";
        Http.Reply joined = http.post("api/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":\"old-pass-1\","
                + "\"firstName\":\"Ivo\",\"lastName\":\"Laine\"}");
        assertThat(joined.status()).as(joined.body()).isEqualTo(201);
        String[] phone = http.bearer(email, "old-pass-1");

        browser = chromium(390, 844);
        WebDriverWait wait = new PageWait(browser);
        browser.get(base + "account/");
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys("old-pass-1");
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("available"), "points"));
        browser.findElement(By.id("show-password")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pw-current")));

        // A wrong current password: said beside the form, and nothing changes.
        fillPassword("not-the-password", "new-pass-2", "new-pass-2");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("password-message"), "current password is wrong"));
        assertThat(browser.findElement(By.id("password-message")).getAttribute("class")).contains("error");
        assertThat(browser.findElement(By.id("pw-current")).getAttribute("value")).as("to type again").isEmpty();
        screenshot("16-password-wrong.png");
        assertThat(http.get("api/v1/me", phone).status()).as("the other session goes on").isEqualTo(200);
        assertThat(login(http, email, "old-pass-1")).isEqualTo(200);

        // The new password typed twice differently: the page says so and sends nothing.
        fillPassword("old-pass-1", "new-pass-2", "new-pass-3");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("password-message"), "differ"));
        assertThat(login(http, email, "old-pass-1")).isEqualTo(200);

        fillPassword("old-pass-1", "new-pass-2", "new-pass-2");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("password-message"), "Your password is changed"));
        screenshot("17-password-changed.png");
        assertThat(http.get("api/v1/me", phone).status()).as("the phone is signed out").isEqualTo(401);
        assertThat(login(http, email, "old-pass-1")).isEqualTo(401);
        assertThat(login(http, email, "new-pass-2")).isEqualTo(200);
        // This page goes on with the new session's token, after a reload too.
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("available"), "points"));
        String token = (String) ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('loyalty.token');");
        String[] page = {"Authorization", "Bearer " + token};
        assertThat(http.get("api/v1/me", page).status()).isEqualTo(200);

        // Logging out ends the session on the engine, not only in the page.
        signOut();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "You are signed out"));
        assertThat(browser.findElement(By.id("account")).isDisplayed()).isFalse();
        assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('loyalty.token');")).isNull();
        assertThat(http.get("api/v1/me", page).status()).as("the page's token after logging out").isEqualTo(401);
        screenshot("18-logged-out.png");
    }

    @Test
    void theAuditorChangesTheirOwnPasswordInTheBackOfficeAndLogsOut() throws Exception {
        Http http = new Http(base);
        String[] otherTab = http.bearer("auditor@demo.local", "auditor-demo");
        boolean changed = false;
        try {
            browser = chromium(1400, 1000);
            WebDriverWait wait = new PageWait(browser);
            browser.get(base + "backoffice/");
            signIn(wait, "auditor@demo.local", "auditor-demo");
            browser.findElement(By.id("my-password-button")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password-form")));

            fillPassword("auditor-wrong", "auditor-new-9", "auditor-new-9");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("password-message"), "current password is wrong"));
            assertThat(http.get("api/v1/admin/programmes", otherTab).status()).isEqualTo(200);

            fillPassword("auditor-demo", "auditor-new-9", "auditor-new-9");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("password-message"), "Your password is changed"));
            changed = true;
            screenshot("19-staff-password.png");
            assertThat(http.get("api/v1/admin/programmes", otherTab).status()).as("the other tab's session")
                    .isEqualTo(401);
            // The back office goes on with the new session.
            browser.findElement(By.cssSelector("#nav [data-view=programme]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tier-list"), "GOLD"));
            String token = (String) ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('loyalty.token');");
            String[] page = {"Authorization", "Bearer " + token};

            signOut();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "You are signed out"));
            assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();
            assertThat(http.get("api/v1/admin/programmes", page).status()).as("the page's token after logging out")
                    .isEqualTo(401);
        } finally {
            // Other tests sign in with the demo password.
            if (changed) {
                Http.Reply back = http.post("api/v1/admin/me/password", "{\"currentPassword\":\"auditor-new-9\","
                        + "\"newPassword\":\"auditor-demo\"}", http.bearer("auditor@demo.local", "auditor-new-9"));
                assertThat(back.status()).as(back.body()).isEqualTo(200);
            }
        }
    }

    /** Fills the password form of either page and sends it. */
    private void fillPassword(String current, String next, String again) {
        for (String[] field : new String[][] {{"pw-current", current}, {"pw-new", next}, {"pw-confirm", again}}) {
            browser.findElement(By.id(field[0])).clear();
            browser.findElement(By.id(field[0])).sendKeys(field[1]);
        }
        browser.findElement(By.id("change-password")).click();
    }

    private static int login(Http http, String email, String password) {
        return http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")
                .status();
    }

    private String newProgramme(Http http, String[] admin, String prefix) {
        return newProgramme(http, admin, prefix, "UTC");
    }

    private String newProgramme(Http http, String[] admin, String prefix, String zone) {
        String code = prefix + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        Http.Reply created = http.post("api/v1/admin/programmes", "{\"code\":\"" + code + "\",\"name\":\"Browser " + code
                + "\",\"currency\":\"EUR\",\"pointsExpireAfterDays\":1000,\"pendingDays\":0,\"timeZone\":\"" + zone
                + "\"}", admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return code;
    }

    private static void adjust(Http http, String[] admin, String member, int points, String reason) {
        Http.Reply reply = http.post("api/v1/admin/members/" + member + "/adjustments", "{\"points\":" + points
                + ",\"reason\":\"" + reason + "\"}", admin);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    /**
     * Clicks Sign out. The page reloads as soon as the engine has ended the session; when that reload beats
     * chromedriver's own check after the click, chromedriver reports the button's node as gone from the document
     * (the click was made). The callers' waits for the reloaded page's sign-in form prove that it was.
     */
    private void signOut() {
        try {
            browser.findElement(By.id("sign-out")).click();
        } catch (WebDriverException e) {
            if (!PageWait.reloaded(e)) {
                throw e;
            }
        }
    }

    /**
     * Waits up to 20 s for a condition, looking again when the page reloaded under the look. Sign out reloads the
     * page; a look that found an element of the old page and asks about it once the new one is there gets
     * chromedriver's "Node with given id does not belong to the document", which is no stale-element error and
     * which Selenium's own waits therefore do not ignore.
     */
    private static final class PageWait extends WebDriverWait {

        PageWait(WebDriver browser) {
            super(browser, Duration.ofSeconds(20));
        }

        static boolean reloaded(WebDriverException e) {
            return e.getMessage() != null && e.getMessage().contains("does not belong to the document");
        }

        @Override
        public <V> V until(Function<? super WebDriver, V> condition) {
            return super.until(new Function<WebDriver, V>() {
                @Override
                public V apply(WebDriver driver) {
                    try {
                        return condition.apply(driver);
                    } catch (WebDriverException e) {
                        if (reloaded(e)) {
                            return null;
                        }
                        throw e;
                    }
                }

                /** What a wait that timed out names: the condition, as Selenium's own waits do. */
                @Override
                public String toString() {
                    return condition.toString();
                }
            });
        }
    }

    private void signIn(WebDriverWait wait, String email, String password) {
        browser.findElement(By.id("email")).clear();
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("password")).clear();
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    /** Chooses a programme in the Programme list, as a manager does, once the list holds it. */
    private void switchProgramme(String code) {
        new PageWait(browser).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#programme option[value='" + code + "']")));
        new Select(browser.findElement(By.id("programme"))).selectByValue(code);
    }

    private void openByCard(WebDriverWait wait, String card) {
        openByCard(wait, card, card);
    }

    /** Finds the member by their card, typed as given ({@code typed}: in groups, say). */
    private void openByCard(WebDriverWait wait, String card, String typed) {
        browser.findElement(By.id("search-card")).clear();
        browser.findElement(By.id("search-card")).sendKeys(typed);
        browser.findElement(By.id("search")).click();
        wait.until(driver -> {
            Object shown = ((JavascriptExecutor) driver).executeScript("return Array.from(document.querySelectorAll('#member-cards td'))"
                    + ".some(td => td.textContent === arguments[0]);", card);
            return Boolean.TRUE.equals(shown);
        });
    }

    private static jakarta.json.JsonObject enrolNamed(Http http, String[] admin, String code, String first, String last) {
        Http.Reply reply = http.post("api/v1/admin/programmes/" + code + "/members", "{\"email\":\"" + first.toLowerCase()
                + "-" + UUID.randomUUID() + "@example.org\",\"firstName\":\"" + first + "\",\"lastName\":\"" + last
                + "\"}", admin);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json();
    }

    private String enrol(Http http, String[] admin, String code) {
        Http.Reply reply = http.post("api/v1/admin/programmes/" + code + "/members", "{\"email\":\"br-" + UUID.randomUUID()
                + "@example.org\",\"firstName\":\"Browser\",\"lastName\":\"Member\"}", admin);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().getString("cardNumber");
    }

    private void backdatedSale(Http http, String[] till, String card, int daysAgo) {
        Http.Reply reply = http.post("api/v1/pos/transactions", "{\"cardNumber\":\"" + card + "\",\"storeId\":\"B01\","
                + "\"receiptId\":\"R-" + UUID.randomUUID() + "\",\"occurredAt\":\""
                + OffsetDateTime.now(ZoneOffset.UTC).minusDays(daysAgo).withNano(0) + "\",\"currency\":\"EUR\","
                + "\"lines\":[{\"sku\":\"A\",\"category\":\"grocery\",\"quantity\":1,\"unitPrice\":\"25.00\"}]}", till);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    private void managerAndCustomer(Http http) throws Exception {
        browser = chromium(1400, 1000);
        WebDriverWait wait = new PageWait(browser);

        browser.get(base + "backoffice/");
        browser.findElement(By.id("email")).sendKeys("manager@demo.local");
        browser.findElement(By.id("password")).sendKeys("manager-demo");
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
        browser.findElement(By.cssSelector("#nav [data-view=programme]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tier-list"), "GOLD"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reward-list"), "r-coffee"));
        screenshot("0-programme.png");
        browser.findElement(By.cssSelector("#nav [data-view=rules]")).click();
        wait.until(driver -> !driver.findElement(By.id("source")).getAttribute("value").isEmpty());
        browser.findElement(By.id("new-file")).sendKeys("earning/double-week.drl");
        browser.findElement(By.id("add-file")).click();
        type(browser.findElement(By.id("source")), BROKEN);
        browser.findElement(By.id("comment")).sendKeys("Double points this week");
        browser.findElement(By.id("save-rules")).click();

        WebElement errorLine = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#gutter div.error")));
        assertThat(errorLine.getText()).as("the mistake is shown on its line").isEqualTo("8");
        assertThat(browser.findElement(By.id("rule-errors")).getText()).contains("line 8");
        screenshot("1-rules-compile-error.png");

        type(browser.findElement(By.id("source")), BROKEN.replace("points > )", "points > 0 )"));
        browser.findElement(By.id("save-rules")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Saved as draft version"));
        String draft = browser.findElement(By.id("message")).getText().replaceAll("\\D+(\\d+).*", "$1");
        assertThat(browser.findElements(By.cssSelector("#gutter div.error"))).isEmpty();

        browser.findElement(By.id("simulate")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sim-totals"), "transactions"));
        // The last week's sales (the test's own and those of other test classes on this database) earn more.
        java.util.regex.Matcher totals = java.util.regex.Pattern.compile("(\\d+) transactions: ([\\d,]+) points live,"
                + " ([\\d,]+) with version 2").matcher(browser.findElement(By.id("sim-totals")).getText());
        assertThat(totals.find()).as(browser.findElement(By.id("sim-totals")).getText()).isTrue();
        assertThat(Long.parseLong(totals.group(3).replace(",", "")))
                .isGreaterThan(Long.parseLong(totals.group(2).replace(",", "")));
        assertThat(browser.findElements(By.cssSelector("#sim-chart rect.draft"))).isNotEmpty();
        screenshot("2-rules-simulation.png");

        browser.findElement(By.cssSelector("[data-publish='" + draft + "']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Version " + draft + " is live"));
        screenshot("3-rules-published.png");

        Http.Reply sale = sale(http, "2900000000025", "15.00");
        assertThat(sale.json().getJsonArray("appliedRules").toString()).as("the published rule earns")
                .contains("{\"points\":15,\"rule\":\"double-week\"}");

        browser.findElement(By.cssSelector("#nav [data-view=members]")).click();
        browser.findElement(By.id("search-name")).sendKeys("Pet");
        browser.findElement(By.id("search")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("Marc Petit"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ledger"), "DEMO v" + draft));
        assertThat(browser.findElement(By.id("member-name")).getText()).contains("Marc Petit");
        assertThat(browser.findElement(By.id("ledger")).getText()).contains("double-week 15");
        screenshot("4-member-page.png");

        browser.findElement(By.cssSelector("#nav [data-view=reports]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("kpi-liability"), "EUR"));
        assertThat(browser.findElements(By.cssSelector("#weekly-chart rect"))).hasSize(24);
        // Each week read off the chart (its Monday under its bars, the points up the side) and in the table under it.
        assertThat(browser.findElements(By.cssSelector("#weekly-chart text.x-label"))).isNotEmpty();
        assertThat(browser.findElement(By.id("weekly-chart")).getText()).contains("Week from Monday (Europe/Paris)")
                .contains("points");
        assertThat(browser.findElements(By.cssSelector("#weekly-chart text.y-label"))).extracting(WebElement::getText)
                .first().isEqualTo("0");
        assertThat(browser.findElements(By.cssSelector("#week-rows tr"))).hasSize(12);
        assertThat(browser.findElement(By.cssSelector("#week-rows tr")).getText()).as("this week first")
                .matches("\\d{1,2} \\w+ \\d{4}( [\\d,]+){4}");
        screenshot("5-reports.png");
        browser.findElement(By.cssSelector("#nav [data-view=keys]")).click();
        browser.findElement(By.id("key-store")).sendKeys("S077");
        browser.findElement(By.cssSelector("#key-form button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("new-key"), "pos-"));
        String key = browser.findElement(By.id("new-key")).getText().replaceAll(".*: ", "");
        assertThat(http.get("api/v1/pos/rewards", "X-Api-Key", key).status()).as("the new key works").isEqualTo(200);
        screenshot("6-pos-keys.png");
        browser.findElement(By.cssSelector("#nav [data-view=audit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-rows"), "RULES_PUBLISH"));
        assertThat(browser.findElement(By.id("audit-rows")).getText()).contains("manager@demo.local")
                .contains("POS_KEY_ISSUED");
        // The jobs' journal: this engine runs the expiry every 2 s (admin-war's pom).
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-rows"), "expiry"));
        // Each programme's figures in code order, cut to the column: the tests' own programmes may come before DEMO.
        assertThat(browser.findElement(By.id("job-rows")).getText()).contains("it-engine").contains("DONE")
                .containsPattern("[A-Z0-9]+ as of \\d{4}-\\d{2}-\\d{2}");
        assertThat(browser.findElement(By.id("backups-panel")).isDisplayed()).as("backups are the administrator's")
                .isFalse();
        screenshot("7-audit.png");
        browser.quit();

        long marcsPoints = http.get("api/v1/pos/cards/2900000000025", "X-Api-Key", "demo-pos-S001").json()
                .getJsonNumber("availablePoints").longValue();
        browser = chromium(390, 844);
        wait = new PageWait(browser);
        browser.get(base + "account/");
        browser.findElement(By.id("email")).sendKeys("marc@demo.local");
        browser.findElement(By.id("password")).sendKeys("marc-demo");
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("available"), "points"));
        assertThat(browser.findElement(By.id("available")).getText())
                .isEqualTo(String.format(java.util.Locale.ENGLISH, "%,d points", marcsPoints));
        wait.until(driver -> ((Number) ((JavascriptExecutor) driver).executeScript(
                "const i = document.querySelector('#card-image'); return i.complete ? i.naturalWidth : 0;")).intValue() > 0);
        assertThat(browser.findElement(By.id("card-number")).getText()).isEqualTo("2900000000025");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "Purchase"));
        long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(overflow).as("nothing wider than the phone").isLessThanOrEqualTo(0);
        screenshot("8-customer-phone.png");
    }

    private Http.Reply sale(Http http, String card, String amount) {
        Http.Reply reply = http.post("api/v1/pos/transactions", "{\"cardNumber\":\"" + card + "\",\"storeId\":\"S001\","
                + "\"receiptId\":\"R-" + UUID.randomUUID() + "\",\"occurredAt\":\""
                + OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).withNano(0) + "\",\"currency\":\"EUR\","
                + "\"lines\":[{\"sku\":\"A\",\"category\":\"grocery\",\"quantity\":1,\"unitPrice\":\"" + amount + "\"}]}",
                "X-Api-Key", "demo-pos-S001");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply;
    }

    /** A till of the programme's store: its key header. */
    private static String[] till(Http http, String[] admin, String code, String store) {
        Http.Reply issued = http.post("api/v1/admin/programmes/" + code + "/pos-keys", "{\"storeId\":\"" + store + "\"}", admin);
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return new String[] {"X-Api-Key", issued.json().getString("key")};
    }

    private static void saleAt(Http http, String[] till, String store, String card, OffsetDateTime at, String amount) {
        Http.Reply reply = http.post("api/v1/pos/transactions", "{\"cardNumber\":\"" + card + "\",\"storeId\":\"" + store
                + "\",\"receiptId\":\"R-" + UUID.randomUUID() + "\",\"occurredAt\":\"" + at + "\",\"currency\":\"EUR\","
                + "\"lines\":[{\"sku\":\"A\",\"category\":\"grocery\",\"quantity\":1,\"unitPrice\":\"" + amount + "\"}]}", till);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    /** How far the page runs beyond the window's right edge, in pixels (0 or less: not at all). */
    private long pageOverflow() {
        return (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    }

    /** Whether the element is within the window, top and bottom, as the page is scrolled now. */
    private boolean inView(String id) {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript("const r = document.getElementById(arguments[0])"
                + ".getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;", id));
    }

    private void scrollTo(WebElement element) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
    }

    /** The height of the live bar of a day of the simulation's chart. */
    private double barHeight(LocalDate day) {
        return Double.parseDouble(browser.findElement(By.cssSelector("#sim-chart g[data-day='" + day + "'] rect.live"))
                .getAttribute("height"));
    }

    /** How the browser writes a calendar day with these Intl options, whatever its own zone. */
    private String written(LocalDate day, String options) {
        return (String) ((JavascriptExecutor) browser).executeScript("return new Date(Date.UTC(arguments[0], arguments[1] - 1,"
                + " arguments[2])).toLocaleDateString('en-GB', Object.assign({timeZone: 'UTC'}, " + options + "));",
                day.getYear(), day.getMonthValue(), day.getDayOfMonth());
    }

    private static void type(WebElement area, String text) {
        ((JavascriptExecutor) ((org.openqa.selenium.WrapsDriver) area).getWrappedDriver()).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", area, text);
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(screenshots);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static WebDriver chromium(int width, int height) {
        return chromium(width, height, null);
    }

    /** Debian's Chromium, headless, through Debian's chromedriver: nothing is downloaded. In a time zone, if given. */
    private static WebDriver chromium(int width, int height, String timeZone) {
        String driver = System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        String binary = System.getProperty("loyalty.chromium", "/usr/bin/chromium");
        assertThat(Path.of(driver)).as("chromedriver is installed (apt-get install chromium chromium-driver)").exists();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-component-update", "--no-first-run",
                "--window-size=" + width + "," + height, "--user-data-dir=" + Path.of("target", "chromium-"
                        + UUID.randomUUID()).toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
                .usingAnyFreePort().withEnvironment(timeZone == null ? Map.of() : Map.of("TZ", timeZone)).build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().window().setSize(new Dimension(width, height));
        return chrome;
    }
}
