package org.loyaltyengine.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a rule set to what rules are for: reading the facts and deciding points, tiers and offers. Drools runs a
 * rule's conditions and actions as Java (and MVEL) in the engine's own process and has no sandbox, so a rule could
 * otherwise do anything the engine can: read its signing key, query its database, start a process. A programme
 * manager edits rules; they must not get the server with them. Before a source is compiled, this guard refuses:
 * <ul>
 *   <li>an import other than the facts and decisions of this module and a few value classes of {@code java.math},
 *       {@code java.time} and {@code java.util};</li>
 *   <li>a fully qualified name of any other class ({@code java.io.File}, {@code org.kie…});</li>
 *   <li>a type name that is none of those, nor declared in the rule set itself, nor a plain value class of
 *       {@code java.lang} ({@code String}, {@code Math}, {@code Integer}…): no {@code System}, {@code Runtime},
 *       {@code Thread}, {@code Class};</li>
 *   <li>the words of reflection, class loading and the Drools runtime ({@code getClass}, {@code forName},
 *       {@code classLoader}, {@code getKieRuntime}, {@code drools}, {@code kcontext}…);</li>
 *   <li>a method reference ({@code "x"::repeat}), whose name would escape the list of members;</li>
 *   <li>a DRL function that calls itself, directly or through others, and one named as a member or a Drools word
 *       (it would be called wherever they are, in other files too);</li>
 * </ul>
 * The text is read as the Java compiler reads it: unicode escapes first ({@code \u0053ystem} is {@code System}),
 * then comments and strings, whose bounds are never taken wider than Java's; the most dangerous words are refused
 * in comments and strings too. What is refused is placed on its line, like a compile error.
 */
public final class RuleSourceGuard {

    /** The classes a rule may import or name in full. */
    static final Set<String> CLASSES = Set.of(
            "java.math.BigDecimal", "java.math.RoundingMode", "java.math.BigInteger",
            "java.time.DayOfWeek", "java.time.LocalDate", "java.time.LocalDateTime", "java.time.LocalTime",
            "java.time.Month", "java.time.MonthDay", "java.time.Year", "java.time.YearMonth", "java.time.Duration",
            "java.time.Period", "java.time.temporal.ChronoUnit",
            "java.util.List", "java.util.Set", "java.util.Map", "java.util.Collection", "java.util.Collections",
            "java.util.ArrayList", "java.util.HashMap", "java.util.HashSet", "java.util.Arrays", "java.util.Objects",
            "java.util.Optional");

    /** The root of the packages rule sets are written in. */
    static final String RULES_PACKAGE = "org.loyaltyengine.rules";

    /** The engine's packages under it, where no rule set goes: their classes would be named without an import. */
    static final Set<String> ENGINE_PACKAGES = Set.of("org.loyaltyengine.rules.fact",
            "org.loyaltyengine.rules.decision");

    /** The packages whose every class a rule may import or name: the facts it reads and the decisions it makes. */
    static final Set<String> PACKAGES = Set.of("org.loyaltyengine.rules.fact", "org.loyaltyengine.rules.decision");

    /** Value classes of {@code java.lang}, named without an import. */
    static final Set<String> JAVA_LANG = Set.of("String", "Math", "StrictMath", "Integer", "Long", "Double",
            "Float", "Short", "Byte", "Boolean", "Character", "Number", "Object", "StringBuilder", "CharSequence",
            "Comparable", "Iterable", "Override", "ArithmeticException", "IllegalArgumentException",
            "IllegalStateException", "RuntimeException", "Exception", "NullPointerException",
            "NumberFormatException", "UnsupportedOperationException");

    /** Refused anywhere, comments and strings included: nothing in a rule has a reason to say them. */
    static final Set<String> NEVER = Set.of("Runtime", "ProcessBuilder", "ProcessHandle", "ClassLoader",
            "getClass", "forName", "getClassLoader", "getContextClassLoader", "classLoader", "contextClassLoader",
            "loadClass", "defineClass", "setAccessible", "newInstance", "getDeclaredMethod", "getDeclaredMethods",
            "getDeclaredField", "getDeclaredFields", "getDeclaredConstructor", "getDeclaredConstructors",
            "getRuntime", "getKieRuntime", "getKnowledgeRuntime", "getWorkingMemory", "getRootClassLoader",
            "MethodHandles", "InitialContext", "ScriptEngineManager", "Unsafe", "getenv", "getModule", "getLayer",
            "findLoader", "getSystemClassLoader", "getProtectionDomain", "getResources", "getSystemResource",
            "getSystemResources", "openStream", "openConnection", "toURL");

    /** Refused in code: words a comment or a text may well hold ("first-class", "System upgrade"). */
    static final Set<String> NOT_IN_CODE = Set.of("class", "System", "Thread", "ThreadGroup", "ThreadLocal",
            "InheritableThreadLocal", "Process", "Class", "ClassValue", "Module", "ModuleLayer", "Package",
            "SecurityManager", "StackWalker", "Compiler", "exit", "halt", "exec", "wait", "notify", "notifyAll",
            "getMethod", "getMethods", "getField", "getFields", "getConstructor", "getConstructors", "getResource",
            "getResourceAsStream", "getKieBase", "getEnvironment", "getKieSession", "getKieSessions", "lookup",
            "drools", "kcontext",
            // A variable of an inferred type hides what it holds from the checks of classes and members.
            "var", "resources", "readAllBytes", "transferTo",
            // Integer.TYPE and its kind are classes, which nothing a rule decides needs.
            "TYPE");

    /**
     * What a rule may call or read on a value, besides the facts' and decisions' own members: the arithmetic of
     * numbers, the reading of texts, dates and collections. Named, not typed: no name here reaches beyond its value
     * (no {@code getDeclaringClass}, {@code getModule}, {@code resolve}, {@code openStream}; no {@code repeat} or
     * {@code format}, which build texts as large as asked).
     */
    static final Set<String> MEMBERS = Set.of(
            // numbers (BigDecimal, Math, Integer, Long)
            "add", "subtract", "multiply", "divide", "remainder", "negate", "abs", "signum", "scale", "precision",
            "setScale", "compareTo", "equals", "max", "min", "intValue", "longValue", "doubleValue",
            "intValueExact", "longValueExact", "stripTrailingZeros", "valueOf", "floor", "ceil", "round", "floorDiv",
            "floorMod", "addExact", "subtractExact", "multiplyExact", "toIntExact", "parseInt", "parseLong", "compare",
            "sum", "hashCode", "toString",
            // texts
            "length", "isEmpty", "isBlank", "equalsIgnoreCase", "startsWith", "endsWith", "contains", "toLowerCase",
            "toUpperCase", "strip", "trim", "substring", "indexOf", "charAt",
            // dates
            "getDayOfWeek", "getDayOfMonth", "getDayOfYear", "getMonth", "getMonthValue", "getYear", "getHour",
            "getMinute", "dayOfWeek", "dayOfMonth", "dayOfYear", "month", "monthValue", "year", "hour", "minute",
            "toLocalDate", "toLocalTime", "plusDays", "minusDays", "plusWeeks", "minusWeeks", "plusMonths",
            "minusMonths", "plusYears", "minusYears", "isBefore", "isAfter", "isEqual", "of", "parse", "getValue",
            "value", "withDayOfMonth", "lengthOfMonth", "isLeapYear", "until", "between", "atStartOfDay", "getDays",
            "toDays", "ofDays",
            // collections and optionals
            "size", "get", "containsKey", "getOrDefault", "stream", "filter", "map", "mapToLong", "mapToInt",
            "count", "anyMatch", "allMatch", "noneMatch", "findFirst", "orElse", "isPresent", "toList", "ofNullable",
            "isNull", "nonNull", "requireNonNullElse", "keySet", "values", "first",
            // enums
            "name", "ordinal");

    /** What a rule may call without a value before it: Drools' own words, the facts' methods in a condition. */
    static final Set<String> DRL_CALLS = Set.of("insert", "insertLogical", "update", "modify", "delete", "retract",
            "eval", "not", "exists", "forall", "accumulate", "collect", "from", "sum", "count", "min", "max",
            "average", "collectList", "collectSet", "init", "action", "reverse", "result", "if", "switch", "return",
            "catch", "when", "then", "end", "rule", "new", "this", "super", "in", "matches", "memberOf", "soundslike",
            "and", "or");

    /** Loops that may not end, and what holds a monitor: a rule decides in a few firings and waits for nothing. */
    static final Set<String> STATEMENTS = Set.of("while", "do", "synchronized", "goto", "native", "volatile",
            "transient", "throws", "dialect", "timer", "calendars");

    /** The facts rules read and the decisions they make. */
    static final List<String> FACTS = List.of("fact.MemberProfile", "fact.OfferDefinition", "fact.OfferInUse",
            "fact.Purchase", "fact.PurchaseLine", "fact.RedemptionRequest", "fact.TierThreshold", "fact.Today",
            "decision.BasePoints", "decision.OfferGrant", "decision.PointsAward", "decision.PointsCap",
            "decision.RedemptionRefusal", "decision.TierStanding");

    /** The facts' and decisions' own public members, and their getters' properties ({@code getX} read as {@code x}). */
    static final Set<String> FACT_MEMBERS = factMembers();

    /** The facts' members that give a list, a set or a map, and the collections' own (a collection is made of them). */
    static final Set<String> COLLECTION_MEMBERS = collectionMembers();

    /** First segments of a qualified class name. */
    private static final Set<String> PACKAGE_ROOTS = Set.of("java", "javax", "jakarta", "sun", "com", "org", "net",
            "jdk", "io", "kotlin", "groovy", "scala", "mvel", "mvel2", "fish", "tools", "ch", "de", "edu", "antlr");

    private static final Pattern UNICODE_ESCAPE = Pattern.compile("\\\\u+([0-9a-fA-F]{4})");
    private static final Pattern LONE_RETURN = Pattern.compile("\r(?!\n)");
    /** An import or the package: the keyword, then the name (a static, function or accumulate import has a word more). */
    private static final Pattern STATEMENT = Pattern.compile(
            "\\b(import|package)\\s+([\\w$]+(?:\\s*\\.\\s*(?:[\\w$]+|\\*))*)");
    private static final Pattern DECLARED = Pattern.compile("\\bdeclare\\s+(?:trait\\s+|enum\\s+)?([A-Za-z_][\\w]*)");
    private static final Pattern QUALIFIED = Pattern.compile("\\b([a-z][\\w]*)(\\s*\\.\\s*[A-Za-z_][\\w]*)+");
    /**
     * A DRL function, named by the identifier before its parameters whatever its type ({@code List<?>}, a name in
     * any letters): a function this cannot read is refused ({@link #FUNCTION_WORD}).
     */
    private static final Pattern FUNCTION = Pattern.compile(
            "\\bfunction\\s+[^;{}()]*?(?<![\\p{javaJavaIdentifierPart}])([\\p{javaJavaIdentifierStart}]"
                    + "[\\p{javaJavaIdentifierPart}]*)\\s*\\(");
    private static final Pattern FUNCTION_WORD = Pattern.compile("(?<![\\p{javaJavaIdentifierPart}.])function\\b");
    private static final Pattern MEMBER = Pattern.compile("\\.\\s*([A-Za-z_$][\\w$]*)");
    /** A class created with {@code new}, up to its arguments' opening bracket: a class body may follow them. */
    private static final Pattern ANONYMOUS = Pattern.compile("\\bnew\\s+[\\w$.\\s]+?(?:<[^(){};]*>)?\\s*\\(");
    /** A local enum, interface or record; DRL's {@code declare enum} is a type of the rule set's own. */
    private static final Pattern LOCAL_TYPE = Pattern.compile(
            "(?<!\\bdeclare\\s{1,40})\\b(?:enum|interface)\\b|\\brecord(?=\\s+[A-Za-z_$][\\w$]*\\s*[(<])");
    private static final Pattern BARE_CALL = Pattern.compile(
            "(?<![.\\p{javaJavaIdentifierPart}])([\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)\\s*\\(");
    /** A loop over a list: {@code for (Type item : list)}; one that counts, {@code for (;;)}, may not end. */
    private static final Pattern ENHANCED_FOR = Pattern.compile(
            "for\\s*\\(\\s*(?:final\\s+)?[\\w$<>\\[\\], .]+?\\s+[\\w$]+\\s*:(?!:)");
    /** Lower-case words, then a capitalised one: a class named with its package, whatever the package. */
    private static final Pattern PACKAGE_LIKE = Pattern.compile("[a-z][\\w$]*(?:\\.[a-z][\\w$]*)*\\.[A-Z]");
    /** {@code new T[n]}, {@code new T [ ][ n ]}: an array of a size the rule writes. */
    private static final Pattern SIZED_ARRAY = Pattern.compile(
            "\\bnew\\s+[\\w$.]+(?:\\s*<[^(){};]*>)?(?:\\s*\\[\\s*])*\\s*\\[\\s*[^\\]\\s]");
    /** The value classes made with a capacity, up to the opening bracket of their arguments. */
    private static final Pattern CAPACITY = Pattern.compile(
            "\\bnew\\s+(?:java\\s*\\.\\s*(?:lang|util)\\s*\\.\\s*)?(StringBuilder|ArrayList|HashMap|HashSet)\\s*"
                    + "(?:<[^(){};]*>)?\\s*\\(");
    /** A collection made of values written out. */
    private static final Pattern OF_VALUES = Pattern.compile(
            "(?:List|Set|Map)\\s*\\.\\s*of\\s*\\(|Arrays\\s*\\.\\s*asList\\s*\\(");
    /** Calls without arguments on a fact's variable, the last one's name captured ($p.lines()). */
    private static final Pattern FACT_CHAIN = Pattern.compile(
            "\\$[\\w$]*(?:\\s*\\.\\s*[A-Za-z_][\\w$]*\\s*\\(\\s*\\))*\\s*\\.\\s*([A-Za-z_][\\w$]*)\\s*\\(\\s*\\)");
    /** One text in quotes (its letters blanked in the code the guard reads). */
    private static final Pattern ONE_TEXT = Pattern.compile("\"[^\"]*\"");
    /** A number written out, in quotes or not. */
    private static final Pattern WRITTEN_NUMBER = Pattern.compile("\"?[+-]?\\d{1,30}(?:\\.\\d{1,30})?\"?[lL]?");
    /** A variable assigned, and the expression it is given. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?<![\\w$.])([A-Za-z_$][\\w$]*)\\s*(=|\\+=|\\*=|<<=)(?!=)([^;{}]*)");
    private static final Pattern LOOP = Pattern.compile("(?<![\\w$.])for\\s*\\(");
    private static final Pattern MATCHES = Pattern.compile("(?<![\\w$.])(?:not\\s+)?matches\\b");
    /** A local that may grow without bound: a text, a big number, or what may hold one. */
    private static final Pattern GROWING_LOCAL = Pattern.compile(
            "\\b(?:String|StringBuilder|CharSequence|BigDecimal|BigInteger|Object|Number|Comparable)\\s+([A-Za-z_$][\\w$]*)"
                    + "\\s*[=;:,)]");
    private static final Pattern STREAM = Pattern.compile("\\.\\s*stream\\s*\\(");
    private static final Pattern FROM_VALUES = Pattern.compile(
            "\\bfrom\\s*(?:(?:List|Set|Map)\\s*\\.\\s*of\\b|Arrays\\s*\\.\\s*asList\\b|\\[)");
    /** The calls that take a scale, up to their opening bracket. */
    private static final Pattern SCALED = Pattern.compile(
            "(?<![\\w$])(setScale|divide|valueOf|new\\s+(?:java\\s*\\.\\s*math\\s*\\.\\s*)?Big(?:Decimal|Integer))\\s*\\(");
    private static final Pattern SMALL_SCALE = Pattern.compile("[+-]?\\d{1,2}");
    private static final Pattern RULE_OPENED = Pattern.compile("(?m)^\\s*rule\\s+\"([^\"]+)\"");
    private static final Pattern WORD = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*");

    private RuleSourceGuard() {
    }

    /**
     * @param path what the source is, for the errors
     * @param drl  the DRL (a decision table's, once made DRL)
     * @return what the source may not do, each on its line; empty when it keeps to the facts
     */
    public static List<RuleError> check(String path, String drl) {
        int[] origin = new int[drl.length() + 1];
        String text = unescape(drl, origin);
        List<RuleError> errors = new ArrayList<>();
        // Java reads a \\u escape everywhere, DRL and MVEL only in texts, and a lone carriage return ends a Java
        // comment, not this guard's: either made the guard read code as a comment or a text and let it run unchecked
        // (a review read files that way). No rule needs them: letters are written as they are.
        int[] raw = java.util.stream.IntStream.rangeClosed(0, drl.length()).toArray();
        for (Matcher escape = UNICODE_ESCAPE.matcher(drl); escape.find(); ) {
            errors.add(error(path, drl, raw, escape.start(), "Rules may not write a letter as a \\u escape ("
                    + escape.group() + "): write the letter itself"));
        }
        for (Matcher alone = LONE_RETURN.matcher(drl); alone.find(); ) {
            errors.add(error(path, drl, raw, alone.start(), "Rules may not hold a carriage return that is not"
                    + " followed by a line feed: end lines with a line feed"));
        }
        for (Matcher word = WORD.matcher(text); word.find(); ) {
            if (NEVER.contains(word.group())) {
                errors.add(error(path, drl, origin, word.start(), "Rules may not use " + word.group()
                        + ": a rule reads the facts and decides points, tiers and offers, and nothing else"));
            }
        }
        List<Integer> unclosed = new ArrayList<>();
        String code = codeOf(text, unclosed);
        for (int at : unclosed) {
            errors.add(error(path, drl, origin, at, "A text in quotes ends on the line it starts on"));
        }
        Set<String> imported = new HashSet<>();
        List<int[]> statements = new ArrayList<>();
        for (Matcher statement = STATEMENT.matcher(code); statement.find(); ) {
            statements.add(new int[] {statement.start(), statement.end()});
            String name = statement.group(2).replaceAll("\\s+", "");
            if (statement.group(1).equals("package")) {
                // In a library's package (org.mvel2, org.slf4j) or the engine's own, the rules would name its classes
                // without an import, past the check of imports.
                if (!ownPackage(name)) {
                    errors.add(error(path, drl, origin, statement.start(2), "Rules may not be in package " + name
                            + ": a rule set's package is one of its own (" + RULES_PACKAGE + ".custom, say), not the"
                            + " facts', the engine's or a library's"));
                }
                continue;
            }
            if (allowedClass(name)) {
                imported.add(name.substring(name.lastIndexOf('.') + 1));
            } else if (name.endsWith(".*") && PACKAGES.contains(name.substring(0, name.length() - 2))) {
                imported.add("*");
            } else {
                errors.add(error(path, drl, origin, statement.start(2), "Rules may not import " + name + "; they may import "
                        + "the facts and decisions (" + String.join(", ", PACKAGES.stream().sorted().toList())
                        + ") and java.math, java.time and java.util's value classes"));
            }
        }
        Set<String> declared = new HashSet<>();
        String pack = "";
        for (Matcher statement = STATEMENT.matcher(code); statement.find(); ) {
            if (statement.group(1).equals("package")) {
                pack = statement.group(2).replaceAll("\\s+", "");
            }
        }
        for (Matcher declare = DECLARED.matcher(code); declare.find(); ) {
            String name = declare.group(1);
            if (exists(pack + "." + name) || exists("java.lang." + name)) {
                // Declaring a class that exists names it: in a library's package, its static methods would follow.
                errors.add(error(path, drl, origin, declare.start(1), "Rules may not declare " + name + ": a class"
                        + " of that name exists" + (pack.isEmpty() ? "" : " in package " + pack) + "; name it another way"));
            } else {
                declared.add(name);
            }
        }
        // A declared type's fields are read in its patterns (Streak( weeks > 2 )) and set by its constructor; their
        // names do not join the members a rule may call: a field named getModule would let any value's be called.
        Set<String> members = new HashSet<>(MEMBERS);
        members.addAll(FACT_MEMBERS);
        Set<String> calls = new HashSet<>(DRL_CALLS);
        calls.addAll(members);
        for (Matcher function = FUNCTION.matcher(code); function.find(); ) {
            if (calls.contains(function.group(1))) {
                // A function named as a value's method or a Drools word is called wherever those are, other files too.
                errors.add(error(path, drl, origin, function.start(1), "Rules may not name a function "
                        + function.group(1) + ": values' methods and Drools' words have that name; name it another way"));
            }
        }
        for (Matcher function = FUNCTION.matcher(code); function.find(); ) {
            calls.add(function.group(1));
        }
        for (Matcher word = FUNCTION_WORD.matcher(code); word.find(); ) {
            Matcher function = FUNCTION.matcher(code);
            if (!function.find(word.start()) || function.start() != word.start()) {
                errors.add(error(path, drl, origin, word.start(), "Rules may not declare a function this way: write"
                        + " function <type> <name>(<parameters>) { ... }"));
            }
        }
        errors.addAll(recursion(path, drl, origin, code));
        errors.addAll(localClasses(path, drl, origin, code));
        errors.addAll(sizes(path, drl, origin, text, code));
        for (Matcher name = QUALIFIED.matcher(code); name.find(); ) {
            String qualified = name.group().replaceAll("\\s+", "");
            boolean named = PACKAGE_ROOTS.contains(name.group(1)) || PACKAGE_LIKE.matcher(qualified).lookingAt();
            if (named && !afterVariable(code, name.start()) && !within(statements, name.start())
                    && !startsWithAllowedClass(qualified)) {
                errors.add(error(path, drl, origin, name.start(), "Rules may not name " + qualified
                        + ": only the facts, the decisions and the value classes they may import"));
            }
        }
        for (Matcher word = WORD.matcher(code); word.find(); ) {
            String found = word.group();
            if (NOT_IN_CODE.contains(found)) {
                errors.add(error(path, drl, origin, word.start(), "Rules may not use " + found
                        + ": a rule reads the facts and decides points, tiers and offers, and nothing else"));
            } else if (isTypeName(found) && !JAVA_LANG.contains(found) && !imported.contains(found)
                    && !declared.contains(found) && !(imported.contains("*") && isFactOrDecision(found))
                    && !afterDot(code, word.start()) && !within(statements, word.start())) {
                errors.add(error(path, drl, origin, word.start(), importable(found)
                        .map(full -> found + " is not imported: add import " + full + "; at the top of the file")
                        .orElse("Rules may not use the class " + found + ": only the facts and decisions they"
                                + " import, the types they declare, and plain values (String, Math, Integer…)")));
            }
        }
        // A class named with its package (java.math.BigDecimal.ONE): its package's and class's names are not members.
        // Only up to the class: what is called on it is checked like any other member (java.util.Collections.nCopies),
        // and never after a variable, whose name may be a package's ($java.getModule()).
        List<int[]> allowedNames = new ArrayList<>(statements);
        for (Matcher name = QUALIFIED.matcher(code); name.find(); ) {
            if (PACKAGE_ROOTS.contains(name.group(1)) && !afterVariable(code, name.start())) {
                allowedNames.add(new int[] {name.start(), name.start() + classPrefix(name.group())});
            }
        }
        for (Matcher member = MEMBER.matcher(code); member.find(); ) {
            String found = member.group(1);
            boolean value = found.equals(found.toUpperCase(java.util.Locale.ROOT));
            boolean type = isTypeName(found) && (JAVA_LANG.contains(found) || imported.contains(found)
                    || declared.contains(found) || isFactOrDecision(found));
            if (!within(allowedNames, member.start(1)) && !value && !type && !members.contains(found)) {
                errors.add(error(path, drl, origin, member.start(1), "Rules may not use ." + found + ": a rule"
                        + " reads the facts, and numbers, texts, dates and lists, and calls nothing else"
                        + closest(found, members).map(near -> " (did you mean ." + near + "?)").orElse("")));
            }
        }
        // X::name calls name as X.name would, unchecked by the list of members: the call is written out instead.
        for (int at = code.indexOf("::"); at >= 0; at = code.indexOf("::", at + 2)) {
            errors.add(error(path, drl, origin, at, "Rules may not use :: (a method reference): write the call"
                    + " out, as in x -> x.points(), so that its name is checked like any other"));
        }
        for (Matcher call = BARE_CALL.matcher(code); call.find(); ) {
            String found = call.group(1);
            if (!isTypeName(found) && !calls.contains(found) && !within(allowedNames, call.start(1))
                    && !found.equals("for")) {
                errors.add(error(path, drl, origin, call.start(1), "Rules may not call " + found + ": a rule"
                        + " reads the facts, and numbers, texts, dates and lists, and calls nothing else"));
            }
        }
        for (Matcher word = WORD.matcher(code); word.find(); ) {
            if (STATEMENTS.contains(word.group()) || word.group().equals("for")
                    && !ENHANCED_FOR.matcher(code).region(word.start(), code.length()).lookingAt()) {
                errors.add(error(path, drl, origin, word.start(), "Rules may not use " + word.group()
                        + ": a rule decides in a few firings (a loop goes over a list: for (Type item : list))"));
            }
        }
        errors.sort(java.util.Comparator.comparingInt(RuleError::line).thenComparingInt(RuleError::column));
        return errors.stream().distinct().toList();
    }

    /**
     * The calls of a DRL function that lead back to it, itself or through others: each call doubles what the
     * next does ({@code grow(n-1) + grow(n-1)}) or never ends, and a rule decides in a few steps.
     */
    private static List<RuleError> recursion(String path, String drl, int[] origin, String code) {
        Map<String, List<Call>> bodies = new LinkedHashMap<>();
        for (Matcher function = FUNCTION.matcher(code); function.find(); ) {
            List<Call> calls = bodies.computeIfAbsent(function.group(1), name -> new ArrayList<>());
            int open = code.indexOf('{', closing(code, function.end() - 1));
            if (open >= 0) {
                for (Matcher call = BARE_CALL.matcher(code).region(open, closing(code, open)); call.find(); ) {
                    calls.add(new Call(call.group(1), call.start(1)));
                }
            }
        }
        List<RuleError> errors = new ArrayList<>();
        bodies.forEach((caller, calls) -> calls.forEach(call -> {
            List<String> back = route(call.callee(), caller, bodies, new HashSet<>());
            if (!back.isEmpty()) {
                errors.add(error(path, drl, origin, call.at(), "Rules may not call " + call.callee() + " in function "
                        + caller + ": a function may not call itself, directly or through others (" + caller + " → "
                        + String.join(" → ", back) + "); it may go on without end"));
            }
        }));
        return errors;
    }

    /** The functions from one to another through the calls of their bodies, both included; empty when none leads there. */
    private static List<String> route(String from, String to, Map<String, List<Call>> bodies, Set<String> seen) {
        if (!bodies.containsKey(from) || !seen.add(from)) {
            return List.of();
        }
        if (from.equals(to)) {
            return List.of(to);
        }
        for (Call call : bodies.get(from)) {
            List<String> rest = route(call.callee(), to, bodies, seen);
            if (!rest.isEmpty()) {
                List<String> found = new ArrayList<>(List.of(from));
                found.addAll(rest);
                return found;
            }
        }
        return List.of();
    }

    /**
     * Classes written in an action: an anonymous one ({@code new Object() { long max(long n) { … max(n) … } }}) and
     * a local enum, interface or record. Their methods may call themselves, by names the list allows, as a function
     * may not; a rule's own types are declared with {@code declare … end}, whose fields hold values and nothing runs.
     */
    private static List<RuleError> localClasses(String path, String drl, int[] origin, String code) {
        List<RuleError> errors = new ArrayList<>();
        for (Matcher created = ANONYMOUS.matcher(code); created.find(); ) {
            int after = closing(code, created.end() - 1) + 1;
            while (after < code.length() && Character.isWhitespace(code.charAt(after))) {
                after++;
            }
            if (after < code.length() && code.charAt(after) == '{') {
                errors.add(error(path, drl, origin, created.start(), "Rules may not write a class after new: its"
                        + " methods could call themselves without end (declare a type with declare … end)"));
            }
        }
        for (Matcher local = LOCAL_TYPE.matcher(code); local.find(); ) {
            errors.add(error(path, drl, origin, local.start(), "Rules may not declare a local " + local.group()
                    + ": its methods could call themselves without end (declare a type with declare … end)"));
        }
        return errors;
    }

    /**
     * Values as large as the rule says: an array of a size, a collection's or a text's capacity, a number's scale
     * (setScale(100000000), a division to that many decimals, 1E100000000 added to 1: minutes of CPU, or an
     * OutOfMemoryError, which stops the engine: -XX:+ExitOnOutOfMemoryError, README), so that one such value in a
     * draft's simulation does not end it for every programme. A scale is a number of decimals written out (0 to 99); a
     * collection is made empty, of values or of a fact's list; a number of its digits written out.
     */
    private static List<RuleError> sizes(String path, String drl, int[] origin, String text, String code) {
        List<RuleError> errors = new ArrayList<>();
        for (Matcher array = SIZED_ARRAY.matcher(code); array.find(); ) {
            errors.add(error(path, drl, origin, array.start(), "Rules may not create an array of a size: write its"
                    + " values, new T[] { a, b }, or List.of(a, b)"));
        }
        for (Matcher created = CAPACITY.matcher(code); created.find(); ) {
            int open = created.end() - 1;
            String argument = code.substring(open + 1, closing(code, open)).strip();
            boolean allowed = argument.isEmpty() || (created.group(1).equals("StringBuilder")
                    ? ONE_TEXT.matcher(argument).matches() : collectionArgument(argument));
            if (!allowed) {
                errors.add(error(path, drl, origin, open + 1, "Rules may not give " + (created.group(1).startsWith("A") ? "an " : "a ") + created.group(1) + " a size"
                        + (created.group(1).equals("StringBuilder") ? ": start it empty or with a text in quotes"
                        : ": make it empty, or of a list or set of the facts ($p.lines())")));
            }
        }
        for (Matcher call = SCALED.matcher(code); call.find(); ) {
            int open = call.end() - 1;
            List<int[]> arguments = arguments(code, open);
            int scale = switch (call.group(1)) {
                case "setScale" -> 0;
                case "divide" -> arguments.size() == 3 ? 1 : -1;
                default -> arguments.size() == 2 ? 1 : -1; // valueOf(unscaled, scale), new BigDecimal(…, scale)
            };
            if (scale >= 0 && scale < arguments.size()) {
                int[] argument = arguments.get(scale);
                String written = code.substring(argument[0], argument[1]).strip();
                if (!SMALL_SCALE.matcher(written).matches()) {
                    errors.add(error(path, drl, origin, argument[0], "Rules may not set a scale of " + written
                            + ": a scale is a number of decimals written out, 0 to 99"));
                }
            }
            if (call.group(1).startsWith("new") && !arguments.isEmpty()) {
                // A number made of a text: only its digits written out ("12.50"); a text built or read ("1" +
                // "E300000000", a fact's) may hold an exponent that a sum turns into a billion digits.
                int[] first = arguments.get(0);
                String written = text.substring(first[0], first[1]).strip();
                if (!WRITTEN_NUMBER.matcher(written).matches()) {
                    errors.add(error(path, drl, origin, first[0], "Rules may not make a number of " + written
                            + ": write its digits out, new BigDecimal(\"12.50\"), or use BigDecimal.valueOf(x)"));
                }
            }
        }
        errors.addAll(selfGrowth(path, drl, origin, code));
        errors.addAll(nestedLoops(path, drl, origin, code));
        errors.addAll(patterns(path, drl, origin, text, code));
        return errors;
    }

    /** A collection made of another: List.of(a, b), Arrays.asList(a, b), or a fact's list ($p.lines()). */
    private static boolean collectionArgument(String argument) {
        Matcher values = OF_VALUES.matcher(argument);
        if (values.lookingAt() && closing(argument, values.end() - 1) == argument.length() - 1) {
            // Its bracket closes at the end: List.of(1).size() * 2000000000 is a number, not a list.
            return true;
        }
        Matcher chain = FACT_CHAIN.matcher(argument);
        return chain.matches() && COLLECTION_MEMBERS.contains(chain.group(1));
    }

    /**
     * A value assigned an expression that names it twice, or added to or multiplied by itself: {@code s = s + s},
     * {@code x = x.multiply(x)}, {@code s += s} double it (or square it) at each step, past any memory in thirty.
     */
    private static List<RuleError> selfGrowth(String path, String drl, int[] origin, String code) {
        List<RuleError> errors = new ArrayList<>();
        // The values that grow without bound: texts and big numbers (and what may hold them), not ints and longs.
        Set<String> growing = new HashSet<>();
        for (Matcher declared = GROWING_LOCAL.matcher(code); declared.find(); ) {
            growing.add(declared.group(1));
        }
        for (Matcher assigned = ASSIGNMENT.matcher(code); assigned.find(); ) {
            String name = assigned.group(1);
            String expression = assigned.group(3);
            boolean grows = false;
            if (assigned.group(2).equals("=")) {
                // A value added to or multiplied by itself: s = s + s, s1 = s0 + s0, a = b.multiply(b), x =
                // x.add(y).add(x) double or square it at each step (spent.subtract(min).divide(spent) does not).
                Set<String> names = new HashSet<>(growing);
                names.add(name);
                for (String value : names) {
                    grows |= doubles(value, expression);
                }
            } else {
                // s += s, and a += b; b += a (each grows by the other, as Fibonacci's numbers).
                grows = times(name, expression) >= 1 || growing.contains(name)
                        && growing.stream().anyMatch(value -> times(value, expression) >= 1);
            }
            if (grows) {
                errors.add(error(path, drl, origin, assigned.start(1), "Rules may not grow a value by itself ("
                        + assigned.group().strip() + "): each step doubles or squares it, past any memory"));
            }
        }
        return errors;
    }

    /** Whether the expression adds the value to itself or multiplies it by itself (a + … a, a.add(… a …)). */
    private static boolean doubles(String name, String expression) {
        String value = "(?<![\\w$.])" + Pattern.quote(name) + "(?![\\w$])";
        return Pattern.compile(value + "\\s*\\+[^;]*" + value + "|" + value + "[^;]*\\+\\s*" + value + "|" + value
                + "\\s*\\.\\s*(?:add|multiply|concat|append)\\s*\\([^;]*" + value, Pattern.DOTALL)
                .matcher(expression).find();
    }

    private static int times(String name, String expression) {
        Matcher named = Pattern.compile("(?<![\\w$.])" + Pattern.quote(name) + "(?![\\w$])").matcher(expression);
        int times = 0;
        while (named.find()) {
            times++;
        }
        return times;
    }

    /** A loop within a loop's body: ten lists of ten are ten thousand million steps for one sale. */
    private static List<RuleError> nestedLoops(String path, String drl, int[] origin, String code) {
        List<RuleError> errors = new ArrayList<>();
        for (Matcher loop = LOOP.matcher(code); loop.find(); ) {
            int body = closing(code, loop.end() - 1) + 1;
            while (body < code.length() && Character.isWhitespace(code.charAt(body))) {
                body++;
            }
            int end = body < code.length() && code.charAt(body) == '{' ? closing(code, body)
                    : Math.max(body, code.indexOf(';', body) < 0 ? code.length() : code.indexOf(';', body));
            Matcher inner = LOOP.matcher(code).region(body, Math.min(code.length(), end));
            Matcher stream = STREAM.matcher(code).region(body, Math.min(code.length(), end));
            boolean loopIn = inner.find();
            if (loopIn || stream.find()) {
                errors.add(error(path, drl, origin, loopIn ? inner.start() : stream.start(), "Rules may not put a"
                        + " loop in a loop: a rule goes over a list once (a condition on each fact, or accumulate,"
                        + " matches the others)"));
            }
        }
        // A stream in a stream's lambda is a loop in a loop too: one statement goes over one list.
        for (int start = 0; start < code.length(); ) {
            int end = code.indexOf(';', start);
            end = end < 0 ? code.length() : end;
            Matcher streams = STREAM.matcher(code).region(start, end);
            if (streams.find() && streams.find()) {
                errors.add(error(path, drl, origin, streams.start(), "Rules may not go over a list within a stream"
                        + " of another: a statement goes over one list"));
            }
            start = end + 1;
        }
        // Facts made of values written out and joined: 200 values in four patterns are 1,600 million matches.
        for (Matcher from = FROM_VALUES.matcher(code); from.find(); ) {
            errors.add(error(path, drl, origin, from.start(), "Rules may not match facts from values written out"
                    + " (from List.of(…)): a condition matches the facts, and its values are written in it"));
        }
        return errors;
    }

    /**
     * The patterns {@code matches} tests: written in quotes, with no repeated group that repeats inside ({@code
     * (.*a){30}}, {@code (a+)+}), which a text of a hundred letters makes the matcher try for hours.
     */
    private static List<RuleError> patterns(String path, String drl, int[] origin, String text, String code) {
        List<RuleError> errors = new ArrayList<>();
        for (Matcher test = MATCHES.matcher(code); test.find(); ) {
            int at = test.end();
            while (at < code.length() && Character.isWhitespace(code.charAt(at))) {
                at++;
            }
            int end = at < code.length() && code.charAt(at) == '"' ? code.indexOf('"', at + 1) : -1;
            if (end < 0) {
                errors.add(error(path, drl, origin, at, "Rules may not match a pattern that is not written in"
                        + " quotes: matches \"COF-.*\""));
            } else if (repeatsInside(text.substring(at + 1, end))) {
                errors.add(error(path, drl, origin, at, "Rules may not match " + text.substring(at, end + 1)
                        + ": a group repeated that repeats inside may take hours on a long text; write it without"
                        + " the inner repetition"));
            }
        }
        return errors;
    }

    /**
     * The member a name not allowed was most likely meant to be ({@code spentInCategory} for {@code spentIn}), so
     * that a typo does not read as a ban: one a few letters away, or that the name begins with.
     */
    static Optional<String> closest(String name, Set<String> members) {
        // A fact's member the name begins with, the longest (spentInCategory: spentIn); the JDK's methods that begin
        // with an allowed one (orElseThrow, containsAll) are other methods, not misspellings of it.
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String member : members) {
            int distance = EditDistance.between(name.toLowerCase(java.util.Locale.ROOT),
                    member.toLowerCase(java.util.Locale.ROOT));
            if (distance < bestDistance || distance == bestDistance && best != null && member.compareTo(best) < 0) {
                best = member;
                bestDistance = distance;
            }
        }
        if (bestDistance <= 1) {
            return Optional.ofNullable(best); // a letter off, or its case (quantityof)
        }
        Optional<String> prefix = members.stream().filter(FACT_MEMBERS::contains)
                .filter(member -> member.length() >= 4 && name.startsWith(member))
                .max(java.util.Comparator.comparingInt(String::length));
        if (prefix.isPresent()) {
            return prefix;
        }
        return bestDistance <= Math.min(3, name.length() / 4) ? Optional.ofNullable(best) : Optional.empty();
    }

    /**
     * Whether a regular expression repeats a group ({@code *}, {@code +}, {@code {n}}) that holds, at any depth, a
     * repetition or a choice: {@code (.*a){30}}, {@code (a|a){32}b}, {@code ((.*?,)){16}P}, which a text of a
     * hundred letters makes the matcher try for hours. Escaped characters and [classes] are letters.
     */
    static boolean repeatsInside(String pattern) {
        java.util.Deque<boolean[]> groups = new java.util.ArrayDeque<>(); // per open group: holds a repeat or a choice
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                while (i + 1 < pattern.length() && pattern.charAt(++i) != ']') {
                    if (pattern.charAt(i) == '\\') {
                        i++;
                    }
                }
            } else if (c == '(') {
                groups.push(new boolean[] {false});
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '?') {
                    i++; // (?: (?i: (?= — not a repetition of its own
                }
            } else if (c == ')') {
                boolean inside = groups.isEmpty() ? false : groups.pop()[0];
                boolean repeated = i + 1 < pattern.length() && "*+{".indexOf(pattern.charAt(i + 1)) >= 0;
                if (inside && repeated) {
                    return true;
                }
                if (!groups.isEmpty() && (inside || repeated)) {
                    groups.peek()[0] = true;
                }
            } else if ("*+?{|".indexOf(c) >= 0 && !groups.isEmpty()) {
                groups.peek()[0] = true;
            }
        }
        return false;
    }

    /** The bounds of each argument of the call whose opening bracket is at {@code open}; none for (). */
    private static List<int[]> arguments(String code, int open) {
        int close = closing(code, open);
        List<int[]> arguments = new ArrayList<>();
        int depth = 0;
        int start = open + 1;
        for (int i = open + 1; i < close; i++) {
            char c = code.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                arguments.add(new int[] {start, i});
                start = i + 1;
            }
        }
        if (!code.substring(open + 1, close).isBlank()) {
            arguments.add(new int[] {start, close});
        }
        return arguments;
    }

    /** Where the bracket opened at {@code at} closes, strings and comments blanked; the end when it does not. */
    private static int closing(String code, int at) {
        char open = code.charAt(at);
        char close = open == '(' ? ')' : '}';
        int depth = 0;
        for (int i = at; i < code.length(); i++) {
            if (code.charAt(i) == open) {
                depth++;
            } else if (code.charAt(i) == close && --depth == 0) {
                return i;
            }
        }
        return code.length();
    }

    /** A function's call of a name, where it is written. */
    private record Call(String callee, int at) {
    }

    private static Set<String> collectionMembers() {
        Set<String> names = new HashSet<>(Set.of("keySet", "values", "toList"));
        for (String fact : FACTS) {
            try {
                Class<?> type = Class.forName("org.loyaltyengine.rules." + fact, false,
                        RuleSourceGuard.class.getClassLoader());
                for (java.lang.reflect.Method method : type.getMethods()) {
                    if (method.getParameterCount() == 0 && (java.util.Collection.class.isAssignableFrom(
                            method.getReturnType()) || Map.class.isAssignableFrom(method.getReturnType()))) {
                        names.add(method.getName());
                    }
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("No fact class " + fact, e);
            }
        }
        return Set.copyOf(names);
    }

    private static Set<String> factMembers() {
        Set<String> names = new HashSet<>();
        for (String fact : FACTS) {
            Class<?> type;
            try {
                type = Class.forName("org.loyaltyengine.rules." + fact, false, RuleSourceGuard.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("No fact class " + fact, e);
            }
            for (java.lang.reflect.Method method : type.getDeclaredMethods()) {
                if (java.lang.reflect.Modifier.isPublic(method.getModifiers())) {
                    String name = method.getName();
                    names.add(name);
                    if (name.length() > 3 && name.startsWith("get") || name.length() > 2 && name.startsWith("is")) {
                        String property = name.substring(name.startsWith("get") ? 3 : 2);
                        names.add(Character.toLowerCase(property.charAt(0)) + property.substring(1));
                    }
                }
            }
            if (type.isRecord()) {
                for (java.lang.reflect.RecordComponent component : type.getRecordComponents()) {
                    names.add(component.getName());
                }
            }
        }
        names.removeAll(NEVER);
        names.removeAll(NOT_IN_CODE);
        return Set.copyOf(names);
    }

    /**
     * Java's unicode escapes, decoded as the compiler decodes them before reading anything else.
     *
     * @param origin filled with where each character of the answer is in the text, for the errors' places
     */
    static String unescape(String text, int[] origin) {
        Matcher escape = UNICODE_ESCAPE.matcher(text);
        StringBuilder decoded = new StringBuilder(text.length());
        int from = 0;
        while (escape.find()) {
            for (int i = from; i < escape.start(); i++) {
                origin[decoded.length()] = i;
                decoded.append(text.charAt(i));
            }
            origin[decoded.length()] = escape.start();
            decoded.append((char) Integer.parseInt(escape.group(1), 16));
            from = escape.end();
        }
        for (int i = from; i < text.length(); i++) {
            origin[decoded.length()] = i;
            decoded.append(text.charAt(i));
        }
        origin[decoded.length()] = text.length();
        return decoded.toString();
    }

    /**
     * The text with its comments and the contents of its strings blanked (line breaks kept, so positions hold).
     * A string ends at its first unescaped quote, as in Java and DRL: never later than the compiler's (a Java text
     * block ends later still), so nothing the compiler reads as code is taken for text here.
     */
    static String codeOf(String text, List<Integer> unclosed) {
        StringBuilder code = new StringBuilder(text);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                int end = text.indexOf('\n', i);
                i = blank(code, i, end < 0 ? text.length() : end);
            } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                i = blank(code, i, end < 0 ? text.length() : end + 2);
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < text.length() && text.charAt(end) != c && text.charAt(end) != '\n') {
                    end += text.charAt(end) == '\\' ? 2 : 1;
                }
                if (end >= text.length() || text.charAt(end) != c) {
                    // DRL lets a text run over lines where Java does not: read on as code, and refuse it.
                    unclosed.add(i);
                    i++;
                } else {
                    blank(code, i + 1, end);
                    i = end + 1;
                }
            } else {
                i++;
            }
        }
        return code.toString();
    }

    private static int blank(StringBuilder code, int from, int to) {
        for (int i = from; i < to && i < code.length(); i++) {
            if (code.charAt(i) != '\n') {
                code.setCharAt(i, ' ');
            }
        }
        return to;
    }

    private static boolean allowedClass(String name) {
        return CLASSES.contains(name) || PACKAGES.contains(name.contains(".")
                ? name.substring(0, name.lastIndexOf('.')) : "") && isTypeName(name.substring(name.lastIndexOf('.') + 1));
    }

    /**
     * How many characters of a qualified name, as written, name an allowed class or package ({@code java.util.List}
     * of {@code java.util.List.of}); the whole name when none is (it is refused as a name then).
     */
    private static int classPrefix(String written) {
        StringBuilder prefix = new StringBuilder();
        int end = -1;
        int at = 0;
        for (String part : written.split("\\.", -1)) {
            prefix.append(prefix.length() == 0 ? "" : ".").append(part.strip());
            at += part.length();
            if (allowedClass(prefix.toString()) || PACKAGES.contains(prefix.toString())) {
                end = at;
            }
            at++; // the dot
        }
        return end < 0 ? written.length() : end;
    }

    /**
     * A package rules may be written in: under {@link #RULES_PACKAGE} but for the engine's own, or a name of the rule
     * set's (custom) that is no library's: not under a package root (java, org, com…) nor one the class path holds.
     */
    static boolean ownPackage(String name) {
        if (name.startsWith(RULES_PACKAGE + ".")) {
            return !ENGINE_PACKAGES.contains(name);
        }
        String root = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        return !name.equals(RULES_PACKAGE) && !PACKAGE_ROOTS.contains(root)
                && RuleSourceGuard.class.getClassLoader().getResource(name.replace('.', '/') + "/") == null
                && RuleSourceGuard.class.getClassLoader().getResource(root + "/") == null;
    }

    private static boolean startsWithAllowedClass(String qualified) {
        String[] parts = qualified.split("\\.");
        StringBuilder prefix = new StringBuilder();
        for (String part : parts) {
            prefix.append(prefix.length() == 0 ? "" : ".").append(part);
            if (allowedClass(prefix.toString())) {
                return true;
            }
        }
        return PACKAGES.contains(qualified);
    }

    /** The full name a rule imports a class by, for a fact, a decision or a value class it may import. */
    private static java.util.Optional<String> importable(String name) {
        return PACKAGES.stream().map(pack -> pack + "." + name).filter(RuleSourceGuard::exists).findFirst()
                .or(() -> CLASSES.stream().filter(full -> full.endsWith("." + name)).findFirst());
    }

    /** Whether a name is a fact's or a decision's, for a source that imports their package whole. */
    private static boolean isFactOrDecision(String name) {
        return PACKAGES.stream().anyMatch(pack -> exists(pack + "." + name));
    }

    /** A type's name: a capital first letter and a small one after it ({@code MONDAY} and {@code X} are values). */
    private static boolean isTypeName(String word) {
        return Character.isUpperCase(word.codePointAt(0)) && !word.equals(word.toUpperCase(java.util.Locale.ROOT));
    }

    private static boolean afterDot(String code, int at) {
        int i = at - 1;
        while (i >= 0 && Character.isWhitespace(code.charAt(i))) {
            i--;
        }
        return i >= 0 && code.charAt(i) == '.';
    }

    /** Whether a class of that name can be loaded where the rules are compiled. */
    private static boolean exists(String name) {
        try {
            Class.forName(name, false, RuleSourceGuard.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError notThere) {
            return false;
        }
    }

    /** Whether the word is read on a value ({@code $p.total}, {@code line.quantity()}), not a package's first. */
    private static boolean afterVariable(String code, int at) {
        if (at > 0 && code.charAt(at - 1) == '$') {
            return true;
        }
        int i = at - 1;
        while (i >= 0 && Character.isWhitespace(code.charAt(i))) {
            i--;
        }
        return i >= 0 && code.charAt(i) == '.';
    }

    private static boolean within(List<int[]> spans, int at) {
        for (int[] span : spans) {
            if (at >= span[0] && at < span[1]) {
                return true;
            }
        }
        return false;
    }

    private static RuleError error(String path, String text, int[] origin, int decodedAt, String message) {
        int at = origin[decodedAt];
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String rule = null;
        for (Matcher opened = RULE_OPENED.matcher(text); opened.find() && opened.start() < at; ) {
            rule = opened.group(1);
        }
        return new RuleError(path, line, at - lineStart, message + (rule == null ? "" : " (in rule \"" + rule + "\")"),
                rule);
    }
}
