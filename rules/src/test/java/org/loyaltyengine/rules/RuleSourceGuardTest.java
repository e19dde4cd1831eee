package org.loyaltyengine.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A programme manager's rules read the facts and decide points, tiers and offers: whatever else a rule's text
 * tries (the engine's files, its database, a process, reflection), it is refused before it is compiled, on its
 * line; every rule the project ships passes.
 */
class RuleSourceGuardTest {

    private static final String HEAD = """
            package org.loyaltyengine.rules.custom;

            import org.loyaltyengine.rules.fact.Purchase;
            import org.loyaltyengine.rules.decision.PointsAward;

            rule "sneaky"
            when
                $p : Purchase()
            then
            """;

    @ParameterizedTest
    @ValueSource(strings = {
            "    java.nio.file.Files.readString(java.nio.file.Path.of(\"keys/token-signing.key\"));",
            "    Runtime.getRuntime().exec(\"id\");",
            "    System.exit(0);",
            "    \\u0053ystem.exit(0);",
            "    // a comment \\u000a System.exit(0);",
            "    String k = \"\".getClass().forName(\"java.lang.Runtime\").getName();",
            "    Object o = $p.getClass();",
            "    drools.getKieRuntime().halt();",
            "    kcontext.getKieRuntime();",
            "    new Thread(() -> {}).start();",
            "    javax.naming.InitialContext c = null;",
            "    Object c = String.class.classLoader;",
            "    Object c = String.class;",
            "    org.kie.api.KieServices.Factory.get();",
            "    Class<?> c = null;",
            "    ProcessBuilder b = null;",
            "    java.util.concurrent.Executors.newSingleThreadExecutor();",
            "    java .  io . File f = null;",
            "    Object m = DayOfWeek.MONDAY.getDeclaringClass().getModule();",
            "    Object m = DayOfWeek.MONDAY.declaringClass.module;",
            "    Object j = tools.jackson.databind.json.JsonMapper.builder().build();",
            "    Object f = fish.payara.micro.PayaraMicro.getInstance();",
            "    String big = \"x\".repeat(1 << 30);",
            "    while (true) { }",
            "    for (;;) { }",
            "    do { } while (true);",
            "    Integer port = Integer.getInteger(\"loyalty.port\");",
            "    String f = String.format(\"%0999999999d\", 1);",
            "    java.util.Locale.setDefault(java.util.Locale.CHINA);",
            "    synchronized (this) { }",
    })
    void anActionThatReachesOutsideTheFactsIsRefusedOnItsLine(String action) {
        assertRefusedOnItsLine(HEAD, action, "earning/sneaky.drl", 10);
    }

    /** The action, placed in a rule after {@code head}, is refused first on its line ({@code line}). */
    private static void assertRefusedOnItsLine(String head, String action, String path, int line) {
        String drl = head + action + "\n    insert( new PointsAward( \"refused\", 1 ) );\nend\n";

        List<RuleError> errors = RuleSourceGuard.check(path, drl);

        assertThat(errors).as(action).isNotEmpty();
        assertThat(errors.get(0).source()).isEqualTo(path);
        assertThat(errors.get(0).line()).as("the action's line").isEqualTo(line);
        // A class the action names without its import is said first (add the import), what it reaches for after.
        assertThat(errors).as(action).anySatisfy(error -> {
            assertThat(error.line()).isEqualTo(line);
            assertThat(error.message()).startsWith("Rules may not");
        });
    }

    /**
     * Values as large as a rule asks for: the engine runs with -XX:+ExitOnOutOfMemoryError, so one allocation past its
     * heap in a draft's simulation would end it for every programme.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "    long[] big = new long[2000000000];",
            "    long[][] big = new long [ 4 ][ 500000000 ];",
            "    String s = String.valueOf(new char[1 << 30]);",
            "    StringBuilder b = new StringBuilder(2000000000);",
            "    StringBuilder b = new StringBuilder( Integer.MAX_VALUE - 8 );",
            "    Object l = new ArrayList<Long>(2000000000);",
            "    Object s = new HashSet<>(1 << 30);",
            "    Object m = new HashMap<Long, Long>((1000 * 1000) * 1000);",
            "    BigDecimal b = BigDecimal.ONE.setScale(100000000);",
            "    Object l = new java.util.ArrayList<Long>(2000000000);",
            "    Object l = new ArrayList<Long>(List.of(1).size() * (2000000000));",
            "    BigDecimal b = new java.math.BigDecimal(\"1E100000000\").add(BigDecimal.ONE);",
            "    BigDecimal b = new BigDecimal((\"1E100000000\")).add(BigDecimal.ONE);",
            "    BigDecimal b = new BigDecimal(\"1\\105100000000\").add(BigDecimal.ONE);",
            "    BigDecimal b = $p.total().setScale(1000 * 1000, RoundingMode.UP);",
            "    BigDecimal b = BigDecimal.ONE.divide(BigDecimal.TEN, 100000000, RoundingMode.UP);",
            "    BigDecimal b = BigDecimal.valueOf(1, -100000000).add(BigDecimal.ONE);",
            "    BigDecimal b = new BigDecimal(\"1E100000000\").add(BigDecimal.ONE);",
            "    BigDecimal b = new BigDecimal(\"1e-999999999\").add(BigDecimal.ONE);",
            // Found by a review that attacked the first version of these checks:
            "    int n = 2000000000; Object l = new ArrayList<Long>(n);",
            "    StringBuilder b = new StringBuilder(\"\".length() + 2000000000);",
            "    BigDecimal x = new BigDecimal(\"1\" + \"E300000000\"); x = x.add(BigDecimal.ONE);",
            "    BigDecimal x = new BigDecimal($p.storeId()).add(BigDecimal.ONE);",
            "    Object l = new ArrayList<>(java.util.Collections.nCopies(400000000, 1));",
            "    String s = \"xxxxxxxx\"; for (Integer i : List.of(1, 2, 3)) { s = s + s; }",
            "    BigDecimal x = $p.total(); x = x.multiply(x);",
            "    String s = \"xx\"; s += s;",
            "    long n = 1; for (Integer a : List.of(1, 2)) for (Integer b : List.of(1, 2)) { n = n + a * b; }",
            "    long n = 1; for (Integer a : List.of(1, 2)) { for (Integer b : List.of(1, 2)) { n = n + a; } }",
            // Found by a second review:
            "    String a = \"xx\"; String b = a; for (Integer i : List.of(1, 2)) { a = b + b; b = a; }",
            "    String s0 = \"xx\"; String s1 = s0 + s0;",
            "    String a = \"x\"; String b = \"y\"; for (Integer i : List.of(1, 2)) { a += b; b += a; }",
            "    java.math.BigInteger a = java.math.BigInteger.valueOf(3); java.math.BigInteger b = a; b = a.multiply(a);",
            "    List<Integer> l = List.of(1, 2); long n = l.stream().filter(a -> l.stream().filter(b -> a < b).count() > 0).count();",
            "    long n = 0; for (Integer a : List.of(1, 2)) { n = n + List.of(1, 2).stream().count(); }",
    })
    void aValueAsLargeAsTheRuleAsksIsRefusedOnItsLine(String action) {
        assertRefusedOnItsLine(SIZED_HEAD, action, "earning/sized.drl", 16);
    }

    @Test
    void valuesOfTheSizesRulesUseAreNotRefused() {
        String drl = SIZED_HEAD + """
                    BigDecimal share = $p.total().setScale(2, RoundingMode.HALF_UP)
                            .divide(BigDecimal.valueOf(3), 2, RoundingMode.DOWN);
                    BigDecimal rate = new BigDecimal("1.25").add(BigDecimal.valueOf(150, 2));
                    BigDecimal part = share.subtract(rate).divide(share, 2, RoundingMode.DOWN);
                    String label = "a" + share + " / " + rate;
                    Object lines = new ArrayList<>($p.lines());
                    Object seen = new HashSet<String>();
                    Object byCategory = new HashMap<String, Long>();
                    String[] names = new String[] { "a", "b" };
                    StringBuilder why = new StringBuilder("rate ");
                    insert( new PointsAward( "sized" + label, share.add(rate).add(part).longValue() ) );
                end
                """;

        assertThat(RuleSourceGuard.check("earning/sized.drl", drl)).isEmpty();
    }

    private static final String SIZED_HEAD = """
            package org.loyaltyengine.rules.custom;

            import java.math.BigDecimal;
            import java.math.RoundingMode;
            import java.util.ArrayList;
            import java.util.HashMap;
            import java.util.HashSet;
            import java.util.List;
            import org.loyaltyengine.rules.fact.Purchase;
            import org.loyaltyengine.rules.decision.PointsAward;

            rule "sized"
            when
                $p : Purchase()
            then
            """;

    /** Found by a review: a variable named as a package turned the check of members off for what followed it. */
    @Test
    void aVariableNamedAsAPackageOrAClassNamedWithItsPackageDoesNotLetAnyMemberBeCalled() {
        String drl = """
                package org.loyaltyengine.rules.x;

                import org.loyaltyengine.rules.fact.Purchase;
                import org.loyaltyengine.rules.decision.PointsAward;

                rule "welcome-read"
                when
                    $p : Purchase()
                then
                    Object $java = Integer.TYPE;
                    Object $javax = $java.hashCode();
                    String $sun = $p.storeId();
                    Object $com = $sun.resolve("file:/etc/hostname");
                    Object $org = java.util.Collections.nCopies(3, 1);
                    Object $net = java.math.BigDecimal.ONE.movePointRight(3);
                    insert( new PointsAward( "read", 1 ) );
                end
                """;

        List<RuleError> errors = RuleSourceGuard.check("earning/read.drl", drl);

        assertThat(errors).extracting(error -> error.line() + " " + error.message().substring(0, 40))
                .contains("13 Rules may not use .resolve: a rule reads", "14 Rules may not use .nCopies: a rule reads",
                        "15 Rules may not use .movePointRight: a rul");
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.mvel2", "org.slf4j", "org.loyaltyengine.rules.fact", "org.loyaltyengine.rules",
            "java.util", "fish.payara.micro", "tools.jackson.databind", "org.drools.core"})
    void aRuleSetIsInAPackageOfItsOwnNotALibrarysOrTheEngines(String pack) {
        String drl = "package " + pack + ";\nrule \"r\" when then end\n";

        assertThat(RuleSourceGuard.check("earning/p.drl", drl)).extracting(RuleError::message)
                .anySatisfy(message -> assertThat(message).startsWith("Rules may not be in package "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.loyaltyengine.rules.custom", "custom", "promotions.spring", "x"})
    void aRuleSetsOwnPackagePasses(String pack) {
        assertThat(RuleSourceGuard.ownPackage(pack)).isTrue();
    }

    @Test
    void aPatternWhoseRepeatedGroupRepeatsInsideIsRefusedAndOrdinaryOnesPass() {
        String drl = """
                package org.loyaltyengine.rules.x;
                import org.loyaltyengine.rules.fact.PurchaseLine;
                import org.loyaltyengine.rules.decision.PointsAward;
                rule "patterns"
                when
                    PurchaseLine( sku matches "COF-.*", category not matches "(wine|beer)" )
                    PurchaseLine( sku matches "(.*a){30}" )
                    PurchaseLine( sku matches "(a+)+!" )
                then
                    insert( new PointsAward( "patterns", 1 ) );
                end
                """;

        assertThat(RuleSourceGuard.check("earning/patterns.drl", drl)).extracting(RuleError::line)
                .containsExactly(7, 8);
    }

    /** Found by a second review: Java reads a \\u escape and a lone carriage return where the guard did not. */
    @ParameterizedTest
    @ValueSource(strings = {
            "    String k = \"none\"; // note \\u000d k = System.getProperty(\"user.name\");",
            "    String k = \"none\"; // note \r k = System.getProperty(\"user.name\");",
            "    String k = \"\\u0022\";",
    })
    void aLetterWrittenAsAnEscapeOrALoneCarriageReturnIsRefused(String action) {
        assertRefusedOnItsLine(HEAD, action, "earning/escape.drl", 10);
    }

    @Test
    void factsFromValuesWrittenOutAndPatternsThatRepeatAChoiceAreRefused() {
        String drl = """
                package org.loyaltyengine.rules.x;
                import org.loyaltyengine.rules.fact.Purchase;
                import org.loyaltyengine.rules.decision.PointsAward;
                import java.util.List;
                rule "joins"
                when
                    $p : Purchase()
                    $a : Integer() from List.of(1, 2, 3) $b : Integer() from [1, 2, 3]
                    Purchase( storeId matches "(a|a){32}b" )
                    Purchase( storeId matches "((.*?,)){16}P" )
                    Purchase( storeId matches "S0[0-9]+(-[A-Z]{2})?" )
                then
                    insert( new PointsAward( "joins", 1 ) );
                end
                """;

        assertThat(RuleSourceGuard.check("earning/joins.drl", drl)).extracting(RuleError::line)
                .containsExactly(8, 8, 9, 10);
    }

    @Test
    void aMisspelledMemberIsNamedAsTheMemberItWasMostLikelyMeantToBe() {
        String drl = SIZED_HEAD + """
                    BigDecimal wine = $p.spentInCategory("wine");
                    long n = $p.quantityof("A");
                    Object m = DayOfWeek.MONDAY.getDeclaringClass();
                    insert( new PointsAward( "sized", 1 ) );
                end
                """;

        List<RuleError> errors = RuleSourceGuard.check("earning/typo.drl", drl);

        assertThat(errors).extracting(RuleError::message).anySatisfy(message -> assertThat(message)
                .startsWith("Rules may not use .spentInCategory").contains("(did you mean .spentIn?)"));
        assertThat(errors).extracting(RuleError::message).anySatisfy(message -> assertThat(message)
                .startsWith("Rules may not use .quantityof").contains("(did you mean .quantityOf?)"));
        assertThat(errors).extracting(RuleError::message).filteredOn(message -> message.contains(".getDeclaringClass"))
                .singleElement().satisfies(message -> assertThat(message).doesNotContain("did you mean"));
    }

    @Test
    void aMethodReferenceIsRefusedOnItsLineWhateverItNames() {
        String drl = """
                package org.loyaltyengine.rules.custom;
                import org.loyaltyengine.rules.fact.Purchase;
                import org.loyaltyengine.rules.decision.PointsAward;
                import java.time.DayOfWeek;
                import java.util.Optional;
                rule "probe" when Purchase() then
                    insert(new PointsAward("probe-" + Optional.of(3).map("ab"::repeat).get() + "-"
                            + Optional.of(DayOfWeek.MONDAY).map(DayOfWeek::getDeclaringClass).get(), 1));
                    long size = Optional.of(600000000).map("x" :: repeat).get().length();
                    Object points = Optional.of(new PointsAward("p", 1)).map(PointsAward::points).get();
                end
                """;

        List<RuleError> errors = RuleSourceGuard.check("earning/probe.drl", drl);

        assertThat(errors).extracting(RuleError::line).containsExactly(7, 8, 9, 10);
        assertThat(errors).extracting(RuleError::column).containsExactly(61, 57, 47, 72);
        assertThat(errors).allSatisfy(error -> assertThat(error.message())
                .startsWith("Rules may not use :: (a method reference)").endsWith("(in rule \"probe\")"));
    }

    @Test
    void aMethodReferenceSpelledWithEscapesIsRefusedAndColonsInTextsAreNot() {
        String drl = HEAD + "    String s = \"a::b\"; // see a::b\n"
                + "    Object r = java.util.Optional.of(3).map(\"ab\"\\u003a\\u003arepeat);\nend\n";

        assertThat(RuleSourceGuard.check("x.drl", drl)).extracting(RuleError::line).containsOnly(11);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "function long grow(long n) { return n < 1 ? 1 : grow(n - 1) + grow(n - 1); }",
            "function long deeper(long n) { return deeper(n + 1) + 1; }",
    })
    void aFunctionThatCallsItselfIsRefusedAtTheCall(String function) {
        String drl = "package org.loyaltyengine.rules.custom;\n" + function + "\n";
        String name = function.substring(14, function.indexOf('('));

        List<RuleError> errors = RuleSourceGuard.check("earning/grow.drl", drl);

        assertThat(errors).isNotEmpty().allSatisfy(error -> {
            assertThat(error.line()).isEqualTo(2);
            assertThat(error.column()).isGreaterThan(function.indexOf('{'));
            assertThat(error.message()).isEqualTo("Rules may not call " + name + " in function " + name + ": a function"
                    + " may not call itself, directly or through others (" + name + " → " + name + "); it may go on"
                    + " without end");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // A type the function's pattern did not read, then a name the list of members allows.
            "function java.util.List<?> max(long n) { return n < 1 ? null : java.util.List.of(max(n - 1).size()); }",
            // A name in other letters, whose call was read as the allowed max(.
            "function long \u00f8max(long n) { return n <= 0 ? 1 : \u00f8max(n - 1) + \u00f8max(n - 1); }",
    })
    void aFunctionWhateverItsTypeOrLettersIsCheckedLikeAnyOther(String function) {
        String drl = "package org.loyaltyengine.rules.custom;\n" + function + "\n";

        List<RuleError> errors = RuleSourceGuard.check("earning/around.drl", drl);

        assertThat(errors).as("refused").isNotEmpty();
        assertThat(errors).extracting(RuleError::message).anySatisfy(message -> assertThat(message)
                .containsAnyOf("may not call itself", "may not name a function"));
    }

    @Test
    void aFunctionTheGuardCannotReadIsRefused() {
        String drl = "package org.loyaltyengine.rules.custom;\nfunction (long n) { return n; }\n";

        assertThat(RuleSourceGuard.check("earning/odd.drl", drl)).extracting(RuleError::message)
                .contains("Rules may not declare a function this way: write function <type> <name>(<parameters>)"
                        + " { ... }");
    }

    @Test
    void functionsThatCallEachOtherAreRefusedAtEachCallOfTheCycle() {
        String drl = """
                package org.loyaltyengine.rules.custom;
                import org.loyaltyengine.rules.fact.Purchase;
                import org.loyaltyengine.rules.decision.PointsAward;
                function long ping(long n) {
                    return n < 1 ? 1 : pong(n - 1) + pong(n - 1);
                }
                function long pong(long n) {
                    if (n > 5) { return ping(n); }
                    return half(n) + ping(n);
                }
                function long half(long n) { return n / 2; }
                rule "ping" when Purchase() then
                    insert( new PointsAward( "ping", ping(40) ) );
                end
                """;

        List<RuleError> errors = RuleSourceGuard.check("earning/ping.drl", drl);

        assertThat(errors).extracting(RuleError::line).containsExactly(5, 5, 8, 9);
        assertThat(errors.get(0).message()).startsWith("Rules may not call pong in function ping")
                .contains("(ping → pong → ping)");
        assertThat(errors.get(2).message()).startsWith("Rules may not call ping in function pong")
                .contains("(pong → ping → pong)");
    }

    @Test
    void functionsThatCallOthersWithoutComingBackPass() throws RuleSetInvalidException {
        String drl = """
                package org.loyaltyengine.rules.custom;
                import org.loyaltyengine.rules.fact.Purchase;
                import org.loyaltyengine.rules.decision.PointsAward;
                function long quarter(long n) { return half(half(n)); }
                function long half(long n) {
                    // half() of "half(n)" is not a call
                    return n / 2;
                }
                function long eighth(long n) { return half(quarter(n)); }
                rule "eighth" when $p : Purchase() then
                    insert( new PointsAward( "eighth", eighth($p.total().longValue()) ) );
                end
                """;

        assertThat(RuleSourceGuard.check("earning/eighth.drl", drl)).isEmpty();
        assertThat(new RuleSetCompiler().compile("EIGHTH v1", List.of(new RuleSource("earning/eighth.drl", drl))))
                .isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "    long v = new Object() { long max(long n) { return n < 1 ? 1 : max(n - 1) + max(n - 1); } }.max(40);",
            "    Comparable<Long> c = new Comparable<>() { public int compareTo(Long n) { return compareTo(n + 1); } };",
            "    enum E { A; long max(long n) { return max(n + 1); } }",
            "    interface I { default long max(long n) { return max(n + 1); } }",
            "    record R(long k) { long max(long n) { return max(n + 1); } }",
    })
    void aClassWrittenInAnActionIsRefused(String action) {
        String drl = HEAD + action + "\nend\n";

        List<RuleError> errors = RuleSourceGuard.check("earning/local.drl", drl);

        assertThat(errors).as(action).isNotEmpty();
        assertThat(errors.get(0).line()).isEqualTo(10);
        assertThat(errors.get(0).column()).isEqualTo(action.matches(" *long v = .*|.*<>.*")
                ? action.indexOf("new") : 4);
        assertThat(errors.get(0).message()).as(action).matches("Rules may not (write a class after new|declare a"
                + " local (enum|interface|record)): its methods could call themselves without end .*");
    }

    @Test
    void aDeclaredEnumArraysAndCreatedValuesPass() {
        String drl = """
                package org.loyaltyengine.rules.custom;
                import org.loyaltyengine.rules.fact.Purchase;
                import org.loyaltyengine.rules.decision.PointsAward;
                import java.util.ArrayList;
                import java.util.List;
                declare enum Level
                    LOW, HIGH;
                end
                rule "created" when Purchase() then
                    long[] steps = new long[] { 1, 2 };
                    List<Long> kept = new ArrayList<>(List.of(3L));
                    String record = "kept";
                    insert( new PointsAward( "created" + record, steps[1] + kept.get(0) ) ) ;
                end
                """;

        assertThat(RuleSourceGuard.check("earning/created.drl", drl)).isEmpty();
    }

    @Test
    void aFunctionMayNotTakeTheNameOfAMethodOrADroolsWord() {
        String drl = """
                package org.loyaltyengine.rules.custom;
                function long max(long n) { return n; }
                function long insert(long n) { return n; }
                """;

        List<RuleError> errors = RuleSourceGuard.check("earning/max.drl", drl);

        assertThat(errors).extracting(RuleError::line).containsExactly(2, 3);
        assertThat(errors.get(0).message()).startsWith("Rules may not name a function max");
    }

    @Test
    void aDeclaredTypesFieldNamesDoNotBecomeMethodsEveryValueMayCall() {
        String drl = """
                package org.loyaltyengine.rules.custom;
                import org.loyaltyengine.rules.fact.Purchase;
                import org.loyaltyengine.rules.decision.PointsAward;
                import java.time.DayOfWeek;
                declare Holder
                    getDeclaringClass : String
                    getModule : String
                end
                rule "r1" when Purchase() then
                    Object m = DayOfWeek.MONDAY.getDeclaringClass().getModule();
                end
                """;

        assertThat(RuleSourceGuard.check("x.drl", drl)).extracting(RuleError::line).contains(10);
    }

    @Test
    void aDeclaredTypeMayNotBeAClassThatExistsInItsPackage() {
        String drl = """
                package java.util.concurrent;
                import org.loyaltyengine.rules.fact.Purchase;
                declare Executors end
                declare String end
                rule "r1" when Purchase() then
                    Executors.newSingleThreadExecutor();
                end
                """;

        List<RuleError> errors = RuleSourceGuard.check("x.drl", drl);

        assertThat(errors).extracting(RuleError::line).contains(1, 3, 4, 6);
        assertThat(errors.get(0).message()).startsWith("Rules may not be in package java.util.concurrent");
        assertThat(errors).extracting(RuleError::message)
                .anySatisfy(message -> assertThat(message).startsWith("Rules may not declare Executors"));
    }

    @Test
    void aClassNamedWithAnyPackageIsRefused() {
        String drl = HEAD + "    Object c = new tools.jackson.databind.ObjectMapper();\nend\n";

        assertThat(RuleSourceGuard.check("x.drl", drl)).extracting(RuleError::line).contains(10);
    }

    @Test
    void aTextThatRunsOverLinesIsRefusedAndWhatFollowsItIsReadAsCode() {
        String drl = """
                package org.loyaltyengine.rules.custom;
                import org.loyaltyengine.rules.fact.Purchase;
                rule "a
                " when Purchase() then java.nio.file.Files.writeString(java.nio.file.Path.of("x"), "y");
                end
                """;

        List<RuleError> errors = RuleSourceGuard.check("x.drl", drl);

        assertThat(errors).isNotEmpty();
        assertThat(errors.get(0).line()).isEqualTo(3);
        assertThat(errors.get(0).message()).startsWith("A text in quotes ends on the line it starts on");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "import java.io.File;",
            "import java.nio.file.*;",
            "import static java.lang.System.exit;",
            "import function java.lang.System.exit;",
            "import org.kie.api.runtime.KieSession;",
            "import org.loyaltyengine.engine.domain.member.Member;",
    })
    void anImportOutsideTheFactsIsRefused(String line) {
        String drl = "package org.loyaltyengine.rules.custom;\n\n" + line + "\n";

        List<RuleError> errors = RuleSourceGuard.check("x.drl", drl);

        assertThat(errors).as(line).isNotEmpty();
        assertThat(errors.get(0).line()).isEqualTo(3);
    }

    @Test
    void aConditionThatCallsOutIsRefusedToo() {
        String drl = """
                package org.loyaltyengine.rules.custom;
                import org.loyaltyengine.rules.fact.Purchase;
                rule "in the condition"
                when
                    Purchase( storeId == java.lang.String.valueOf(java.lang.Runtime.getRuntime().availableProcessors()) )
                then
                end
                """;

        assertThat(RuleSourceGuard.check("x.drl", drl)).extracting(RuleError::line).containsOnly(5);
    }

    @Test
    void theCompilerRefusesARuleSetThatReachesOutAndNamesTheLine() {
        RuleSetInvalidException invalid = catchThrowableOfType(RuleSetInvalidException.class,
                () -> new RuleSetCompiler().compile("DEMO v9", List.of(new RuleSource("earning/sneaky.drl",
                        HEAD + "    System.exit(0);\nend\n"))));

        assertThat(invalid.errors()).extracting(RuleError::line).containsOnly(10);
        assertThat(invalid.errors().get(0).message()).contains("System");
    }

    @Test
    void whatRulesNeedPasses() {
        String drl = """
                package org.loyaltyengine.rules.custom;

                import org.loyaltyengine.rules.fact.*;
                import org.loyaltyengine.rules.decision.PointsAward;
                import java.math.BigDecimal;
                import java.math.RoundingMode;
                import java.time.DayOfWeek;

                declare Streak
                    weeks : int
                end

                // A first-class customer's System upgrade bonus: comments and texts may say anything harmless.
                rule "weekend double on wine, first-class"
                    salience 10
                when
                    $p : Purchase( dayOfWeek == DayOfWeek.SATURDAY, $wine : spentIn("wine") > 0 )
                    MemberProfile( segment == "loyal" )
                then
                    long points = $wine.setScale(0, RoundingMode.DOWN).longValue() * 2;
                    insert( new PointsAward( "weekend-wine", Math.max(points, java.math.BigDecimal.ONE.longValue()) ) );
                    insert( new Streak( Integer.valueOf(1) ) );
                    long lines = 0;
                    for (PurchaseLine line : $p.lines()) {
                        lines += line.quantity();
                    }
                    if ($p.total().compareTo(BigDecimal.TEN) > 0 && lines > 2) {
                        insert( new PointsAward( "basket", lines ) );
                    }
                end
                """;

        assertThat(RuleSourceGuard.check("earning/wine.drl", drl)).isEmpty();
    }

    @Test
    void everyRuleTheProjectShipsPasses() throws IOException, URISyntaxException {
        Path root = Path.of(RuleSetCompiler.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("org/loyaltyengine/rules");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(file -> file.toString().endsWith(".drl") || file.toString().endsWith(".csv"))
                    .toList();
        }

        assertThat(sources).hasSizeGreaterThanOrEqualTo(10);
        for (Path source : sources) {
            String text = Files.readString(source);
            String drl = source.toString().endsWith(".csv")
                    ? RuleSetCompiler.decisionTableToDrl(new RuleSource(source.getFileName().toString(), text)) : text;
            assertThat(RuleSourceGuard.check(source.toString(), drl)).as(source.toString()).isEmpty();
        }
    }
}
