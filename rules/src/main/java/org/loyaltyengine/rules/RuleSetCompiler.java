package org.loyaltyengine.rules;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.KieContainer;

/**
 * Compiles rule sources into a {@link CompiledRuleSet} with Drools' classic (mvel) build, which reports every
 * error with its line and column (STACK.md, T7) and compiles in tens of milliseconds.
 *
 * <p>Every build registers a KieModule in Drools' global repository; this compiler removes it again once the
 * container holds it, so that repeated edits do not grow memory (STACK.md, T8).
 */
public final class RuleSetCompiler {

    private static final String ROOT = "src/main/resources/";
    private static final AtomicLong BUILDS = new AtomicLong();
    private static final Pattern RULE_NAMED = Pattern.compile("Rule name='([^']+)'");
    private static final Pattern RULE_OPENED = Pattern.compile("\\s*rule\\s+\"([^\"]+)\".*");

    private final ClassLoader classLoader;

    /** A compiler whose rules can see the fact and decision classes of this module. */
    public RuleSetCompiler() {
        this(RuleSetCompiler.class.getClassLoader());
    }

    public RuleSetCompiler(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /**
     * Compiles the sources into a rule set ready to fire.
     *
     * @param label   what the rule set is, for logs and for {@link CompiledRuleSet#label()} ("DEMO v3")
     * @param sources the DRL files and decision tables of the set
     * @throws RuleSetInvalidException when any source has an error; nothing is kept then
     */
    public CompiledRuleSet compile(String label, List<RuleSource> sources) throws RuleSetInvalidException {
        if (sources.isEmpty()) {
            throw new RuleSetInvalidException(List.of(new RuleError("", 0, 0, "A rule set needs at least one source")));
        }
        KieServices kieServices = KieServices.Factory.get();
        ReleaseId releaseId = kieServices.newReleaseId("org.loyaltyengine.ruleset",
                "build-" + BUILDS.incrementAndGet(), "1.0.0-" + UUID.randomUUID());
        KieFileSystem files = kieServices.newKieFileSystem();
        files.generateAndWritePomXML(releaseId);
        List<RuleError> tableErrors = new ArrayList<>();
        Map<String, String> generated = new HashMap<>();
        Map<String, RuleSource> tables = new HashMap<>();
        for (RuleSource source : sources) {
            if (source.path().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                // A decision table becomes DRL first; its errors are placed back on the table's rows (toError).
                try {
                    String drl = decisionTableToDrl(source);
                    generated.put(source.path(), drl);
                    tables.put(source.path(), source);
                    files.write(ROOT + source.path() + ".drl", drl);
                } catch (RuntimeException e) {
                    tableErrors.add(new RuleError(source.path(), 0, 0, "Decision table: " + e.getMessage()));
                }
            } else {
                files.write(ROOT + source.path(), source.content());
            }
        }
        if (!tableErrors.isEmpty()) {
            throw new RuleSetInvalidException(tableErrors);
        }
        List<RuleError> refused = new ArrayList<>();
        for (RuleSource source : sources) {
            String drl = generated.get(source.path());
            refused.addAll(RuleSourceGuard.check(drl == null ? source.path() : source.path() + " (as DRL)",
                    drl == null ? source.content() : drl));
        }
        if (!refused.isEmpty()) {
            throw new RuleSetInvalidException(refused);
        }
        KieBuilder builder;
        try {
            builder = kieServices.newKieBuilder(files, classLoader).buildAll();
        } catch (RuntimeException e) {
            // Drools' own parsers fail on some texts instead of reporting them (a control character in an action).
            kieServices.getRepository().removeKieModule(releaseId);
            throw new RuleSetInvalidException(List.of(new RuleError(sources.size() == 1 ? sources.get(0).path() : "",
                    0, 0, "The rules could not be read: " + e)));
        }
        List<Message> problems = builder.getResults().getMessages(Message.Level.ERROR);
        if (!problems.isEmpty()) {
            kieServices.getRepository().removeKieModule(releaseId);
            Map<String, String> texts = new HashMap<>();
            sources.forEach(source -> texts.put(source.path(), source.content()));
            throw new RuleSetInvalidException(problems.stream()
                    .map(problem -> toError(problem, texts, tables, generated)).toList());
        }
        KieContainer container = kieServices.newKieContainer(releaseId, classLoader);
        kieServices.getRepository().removeKieModule(releaseId);
        return new CompiledRuleSet(label, container.getKieBase(), sources);
    }

    /** The DRL a CSV decision table stands for (Drools' spreadsheet compiler). */
    public static String decisionTableToDrl(RuleSource table) {
        return new SpreadsheetCompiler().compile(
                new ByteArrayInputStream(table.content().getBytes(StandardCharsets.UTF_8)), InputType.CSV);
    }

    /**
     * The error as the author can find it. An error in a rule's action part is placed on its line of the action
     * part, not on the rule's first line where Drools reports it ({@link ConsequenceLines}). An error in a decision
     * table is placed on the table's row of the rule it is in; when the rule cannot be told, it keeps the line of
     * the DRL generated from the table, and says so.
     */
    private static RuleError toError(Message message, Map<String, String> texts, Map<String, RuleSource> tables,
                                     Map<String, String> generated) {
        String path = message.getPath() == null ? "" : message.getPath();
        if (path.startsWith(ROOT)) {
            path = path.substring(ROOT.length());
        }
        String text = message.getText().strip();
        RuleSource table = path.toLowerCase(Locale.ROOT).endsWith(".csv.drl")
                ? tables.get(path.substring(0, path.length() - 4)) : null;
        if (table == null) {
            String drl = texts.get(path);
            if (drl != null && text.startsWith("Rule Compilation error")) {
                String rule = ruleOf(text, drl, message.getLine());
                Optional<int[]> place = ConsequenceLines.locate(drl, message.getLine(), text);
                if (place.isPresent()) {
                    // No rule in the record: that marks a rule which failed as it ran; the message names it.
                    return new RuleError(path, place.get()[0], place.get()[1], text
                            + (rule == null ? "" : " (in the action part of rule \"" + rule + "\")"));
                }
            }
            return new RuleError(path, Math.max(0, message.getLine()), Math.max(0, message.getColumn()), text);
        }
        String rule = ruleOf(text, generated.getOrDefault(table.path(), ""), message.getLine());
        RuleLocation row = RuleLocation.of(rule, List.of(table));
        if (row.line() > 0) {
            return new RuleError(table.path(), row.line(), 0, "Row " + row.line() + " (rule " + rule + "): " + text);
        }
        return new RuleError(table.path() + " (as DRL)", Math.max(0, message.getLine()),
                Math.max(0, message.getColumn()), text + " (at a line of the DRL generated from the table"
                + (rule == null ? "" : ", in rule " + rule) + ")");
    }

    /** The rule an error is in: named by the message, or the last rule the generated DRL opens before the line. */
    private static String ruleOf(String text, String drl, int line) {
        Matcher named = RULE_NAMED.matcher(text);
        if (named.find()) {
            return named.group(1);
        }
        List<String> lines = drl.lines().toList();
        for (int i = Math.min(line, lines.size()) - 1; i >= 0; i--) {
            Matcher opened = RULE_OPENED.matcher(lines.get(i));
            if (opened.matches()) {
                return opened.group(1);
            }
        }
        return null;
    }
}
