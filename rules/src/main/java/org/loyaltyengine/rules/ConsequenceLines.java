package org.loyaltyengine.rules;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Places an error of a rule's action part on its line. Drools compiles a rule's {@code then} block as Java and
 * reports what the Java compiler found on the line where the rule opens ("Rule Compilation error The method
 * bonus() is undefined for the type Purchase"), so an author with a long action part is sent to the wrong line.
 * The Java compiler's message names what it could not take (a method, a variable, a type, a token); the first line
 * of the action part that holds that name is the one in error (for a syntax error's token, such as "+", an earlier
 * line may hold it too, and is taken). When the message names nothing found there, the error is placed on the
 * action part's first line, which is still nearer than the rule's.
 */
final class ConsequenceLines {

    /** Errors of a name's second appearance: declared again, or used before it was given a value. */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate local variable ([\\w$]+)");
    private static final Pattern UNINITIALISED = Pattern.compile(
            "The local variable ([\\w$]+) may not have been initialized");

    /** What the Java compiler's messages name. */
    private static final List<Pattern> NAMED = List.of(
            Pattern.compile("The method (\\w+)\\("),
            Pattern.compile("The constructor (\\w+)\\("),
            Pattern.compile("([\\w$]+) cannot be resolved"),
            Pattern.compile("The field [\\w.]*?(\\w+) is not visible"),
            Pattern.compile("Syntax error on tokens?,? \"([^\"]+)\""),
            UNINITIALISED,
            DUPLICATE,
            Pattern.compile("Unhandled exception type (\\w+)"));
    private static final Pattern THEN = Pattern.compile("^(\\s*)then\\b(.*)$");
    private static final Pattern END = Pattern.compile("^\\s*end\\s*(//.*)?$");

    private ConsequenceLines() {
    }

    /**
     * The line (1-based) and column (0-based) of the error in the action part of the rule that opens at
     * {@code ruleLine}, or empty when that line opens no rule with an action part.
     */
    static Optional<int[]> locate(String drl, int ruleLine, String message) {
        List<String> lines = drl.lines().toList();
        if (ruleLine < 1 || ruleLine > lines.size() || !lines.get(ruleLine - 1).strip().startsWith("rule")) {
            return Optional.empty();
        }
        int then = -1;
        for (int i = ruleLine; i < lines.size(); i++) {
            if (THEN.matcher(lines.get(i)).matches()) {
                then = i;
                break;
            }
            if (i > ruleLine && lines.get(i).strip().startsWith("rule ")) {
                return Optional.empty();
            }
        }
        if (then < 0) {
            return Optional.empty();
        }
        int end = then + 1;
        while (end < lines.size() && !END.matcher(lines.get(end)).matches()) {
            end++;
        }
        // The message's first error: a message may hold several, one per line of the Java compiler's report.
        Matcher first = null;
        for (Pattern named : NAMED) {
            Matcher found = named.matcher(message);
            if (found.find() && (first == null || found.start() < first.start())) {
                first = found;
            }
        }
        if (first != null) {
            String name = first.group(1);
            Pattern word = first.pattern() == DUPLICATE
                    // A declaration: a type, then the name.
                    ? Pattern.compile("[\\w$.<>\\[\\]]+\\s+(" + Pattern.quote(name) + ")\\b(?=\\s*[=;,:)])")
                    : Pattern.compile("(" + (name.matches("\\w.*") ? "\\b" : "") + Pattern.quote(name)
                            + (name.matches(".*\\w") ? "\\b" : "") + ")");
            // A duplicate is the second declaration of the name, an uninitialised variable its use after the first.
            int skip = first.pattern() == DUPLICATE || first.pattern() == UNINITIALISED ? 1 : 0;
            for (int i = then; i < end; i++) {
                String code = i == then ? " ".repeat(lines.get(i).indexOf("then") + 4)
                        + lines.get(i).substring(lines.get(i).indexOf("then") + 4) : lines.get(i);
                Matcher at = word.matcher(code(code));
                if (at.find() && skip-- == 0) {
                    return Optional.of(new int[] {i + 1, at.start(1)});
                }
            }
        }
        for (int i = then + 1; i < end; i++) {
            if (!lines.get(i).isBlank() && !lines.get(i).strip().startsWith("//")) {
                return Optional.of(new int[] {i + 1, lines.get(i).length() - lines.get(i).stripLeading().length()});
            }
        }
        return Optional.of(new int[] {then + 1, 0});
    }

    /**
     * The line's code, columns kept: what string literals hold blanked (a name in a message to the customer is not
     * the name in error), and a "//" comment cut off.
     */
    private static String code(String line) {
        StringBuilder code = new StringBuilder(line.length());
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
                quoted = !quoted;
                code.append(c);
            } else if (!quoted && c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                break;
            } else {
                code.append(quoted ? ' ' : c);
            }
        }
        return code.toString();
    }
}
