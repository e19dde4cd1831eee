package org.loyaltyengine.rules;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule set of the demo programme (API.md, "Demo data"), shipped as DRL files in this module and seeded as
 * the first version of the programme's rule set on an empty database. Its file list is kept in
 * {@code demo/ruleset.index} because class-path folders cannot be listed reliably inside a WAR.
 */
public final class DemoRuleSet {

    private static final String FOLDER = "org/loyaltyengine/rules/demo/";
    private static final String EXAMPLES = "org/loyaltyengine/rules/examples/";

    private DemoRuleSet() {
    }

    /** The demo rule set's sources, in the order of its index. */
    public static List<RuleSource> sources() {
        return bundled(FOLDER);
    }

    /**
     * Rules a retailer would recognise (category multipliers in a decision table, SKU bonus, double points on
     * given days and in a given store, spend threshold, welcome and birthday bonuses, a per-purchase cap,
     * excluded categories, tiers on spend, a minimum balance to redeem, rewards kept for a tier): a starting
     * point for managers, and the rule tests' subject.
     */
    public static List<RuleSource> examples() {
        return bundled(EXAMPLES);
    }

    private static List<RuleSource> bundled(String folder) {
        List<RuleSource> sources = new ArrayList<>();
        for (String path : read(folder, "ruleset.index").lines().map(String::strip).toList()) {
            if (!path.isEmpty() && !path.startsWith("#")) {
                sources.add(new RuleSource(path, read(folder, path)));
            }
        }
        return sources;
    }

    /**
     * The rule set a new programme starts with until its managers write their own: the base earn (one point per
     * whole unit of currency), tier qualification on the programme's thresholds, and the standard personal offers
     * (win-back, champions' favourite category, birthday month, second purchase: each granted only once the
     * programme defines an offer of that code) with what they earn when used.
     */
    public static List<RuleSource> starterSources() {
        return List.of(new RuleSource("earning/base-earn.drl", starter("earning/base-earn.drl")),
                new RuleSource("tier/qualification.drl", starter("tier/qualification.drl")),
                new RuleSource("offers/incentives.drl", starter("offers/incentives.drl")),
                new RuleSource("offers/redeeming.drl", starter("offers/redeeming.drl")));
    }

    /** A demo file as a new programme's: its comment names the starter rules, not the demo programme's clause. */
    private static String starter(String path) {
        return read(FOLDER, path).replaceFirst("^// Programme clause \\(DEMO, ([^)]*)\\)", "// Starter rules ($1)");
    }

    private static String read(String folder, String path) {
        ClassLoader loader = DemoRuleSet.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(folder + path)) {
            if (in == null) {
                throw new IllegalStateException("Missing rule source on the class path: " + folder + path);
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return String.join("\n", reader.lines().toList()) + "\n";
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
