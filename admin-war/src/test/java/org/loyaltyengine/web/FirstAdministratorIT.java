package org.loyaltyengine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A production install, started as a user starts it (the launcher script) without the demo: the log says how to
 * have an administrator; started with {@code LOYALTY_ADMIN_EMAIL} and {@code LOYALTY_ADMIN_PASSWORD}, the engine
 * has one, who creates a programme and its manager. None of the demo's accounts or keys exist.
 */
@Tag(LaunchedEngine.OWN_ENGINE)
class FirstAdministratorIT {

    private final Path dataDir = Path.of(System.getProperty("loyalty.it.data.dir") + "-first-admin");
    private LaunchedEngine engine;

    @AfterEach
    void stop() throws InterruptedException {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aFreshInstallWithoutTheDemoGetsItsAdministratorFromTheEnvironment() throws Exception {
        int port = LaunchedEngine.freePort();
        Http http = new Http(new URL("http://127.0.0.1:" + port + "/"));
        engine = LaunchedEngine.start(dataDir, port, dataDir.resolveSibling(dataDir.getFileName() + "-bare.out"),
                Map.of("LOYALTY_DEMO_SEED", "false"));
        engine.awaitReady();
        assertThat(Files.readString(dataDir.resolve("engine.log"))).as("the log says what to do")
                .contains("No administrator can sign in").contains("LOYALTY_ADMIN_EMAIL and LOYALTY_ADMIN_PASSWORD");
        assertThat(http.post("api/v1/auth/login", "{\"email\":\"admin@demo.local\",\"password\":\"admin-demo\"}")
                .status()).isEqualTo(401);
        assertThat(engine.stop()).isTrue();

        engine = LaunchedEngine.start(dataDir, port, dataDir.resolveSibling(dataDir.getFileName() + "-admin.out"),
                Map.of("LOYALTY_DEMO_SEED", "false", "LOYALTY_ADMIN_EMAIL", "Ops@Example.org",
                        "LOYALTY_ADMIN_PASSWORD", "first-admin-pass"));
        String banner = engine.awaitReady();
        assertThat(banner).doesNotContain("admin-demo").contains("administrator  ops@example.org");
        assertThat(Files.readString(dataDir.resolve("engine.log"))).contains("Created the first administrator")
                .doesNotContain("first-admin-pass");

        String[] admin = http.bearer("ops@example.org", "first-admin-pass");
        assertThat(http.get("api/v1/admin/programmes", admin).body()).isEqualTo("[]");
        assertThat(http.get("api/v1/pos/cards/2900000000018", "X-Api-Key", "demo-pos-S001").status())
                .as("no demo till key").isEqualTo(401);
        assertThat(http.post("api/v1/admin/programmes", "{\"code\":\"SHOP\",\"name\":\"Shop\",\"currency\":\"EUR\","
                + "\"pointsExpireAfterDays\":365,\"pendingDays\":0}", admin).status()).isEqualTo(201);
        assertThat(http.post("api/v1/admin/staff", "{\"email\":\"runs-shop@example.org\",\"password\":\"shop-manager\","
                + "\"role\":\"MANAGER\",\"programme\":\"SHOP\"}", admin).status()).isEqualTo(201);
        assertThat(http.get("api/v1/admin/programmes/SHOP", http.bearer("runs-shop@example.org", "shop-manager"))
                .status()).isEqualTo(200);
        assertThat(http.get("api/v1/admin/staff/ops@example.org/audit", admin).body())
                .contains("the first administrator").contains("\"actor\":\"system\"");
    }
}
