package org.loyaltyengine.rules;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

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
        for (RuleSource source : sources) {
            if (source.path().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                // A decision table becomes DRL first; its errors then name the table's generated rules.
                try {
                    files.write(ROOT + source.path() + ".drl", decisionTableToDrl(source));
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
        KieBuilder builder = kieServices.newKieBuilder(files, classLoader).buildAll();
        List<Message> problems = builder.getResults().getMessages(Message.Level.ERROR);
        if (!problems.isEmpty()) {
            kieServices.getRepository().removeKieModule(releaseId);
            throw new RuleSetInvalidException(problems.stream().map(RuleSetCompiler::toError).toList());
        }
        KieContainer container = kieServices.newKieContainer(releaseId, classLoader);
        kieServices.getRepository().removeKieModule(releaseId);
        return new CompiledRuleSet(label, container.getKieBase());
    }

    /** The DRL a CSV decision table stands for (Drools' spreadsheet compiler). */
    public static String decisionTableToDrl(RuleSource table) {
        return new SpreadsheetCompiler().compile(
                new ByteArrayInputStream(table.content().getBytes(StandardCharsets.UTF_8)), InputType.CSV);
    }

    private static RuleError toError(Message message) {
        String path = message.getPath() == null ? "" : message.getPath();
        if (path.startsWith(ROOT)) {
            path = path.substring(ROOT.length());
        }
        if (path.toLowerCase(Locale.ROOT).endsWith(".csv.drl")) {
            path = path.substring(0, path.length() - 4) + " (as DRL)";
        }
        return new RuleError(path, Math.max(0, message.getLine()), Math.max(0, message.getColumn()),
                message.getText().strip());
    }
}
