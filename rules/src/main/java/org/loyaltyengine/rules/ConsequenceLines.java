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

    /** What the Java compiler's messages name, in the order they are tried. */
    private static final List<Pattern> NAMED = List.of(
            Pattern.compile("The method (\\w+)\\("),
            Pattern.compile("The constructor (\\w+)\\("),
            Pattern.compile("([\\w$]+) cannot be resolved"),
            Pattern.compile("The field [\\w.]*?(\\w+) is not visible"),
            Pattern.compile("Syntax error on tokens?,? \"([^\"]+)\""),
            Pattern.compile("Syntax error on token \"([^\"]+)\""),
            Pattern.compile("The local variable ([\\w$]+)"),
            Pattern.compile("Duplicate local variable ([\\w$]+)"),
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
        for (Pattern named : NAMED) {
            Matcher found = named.matcher(message);
            if (found.find()) {
                Pattern word = Pattern.compile((found.group(1).matches("\\w.*") ? "\\b" : "")
                        + Pattern.quote(found.group(1)) + (found.group(1).matches(".*\\w") ? "\\b" : ""));
                for (int i = then; i < end; i++) {
                    String code = i == then ? " ".repeat(lines.get(i).indexOf("then") + 4)
                            + lines.get(i).substring(lines.get(i).indexOf("then") + 4) : lines.get(i);
                    Matcher at = word.matcher(withoutComment(code));
                    if (at.find()) {
                        return Optional.of(new int[] {i + 1, at.start()});
                    }
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

    /** The line up to a "//" comment that is not inside a string literal. */
    private static String withoutComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
