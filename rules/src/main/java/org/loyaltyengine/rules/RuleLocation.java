package org.loyaltyengine.rules;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a rule is written: the file and the line its {@code rule} statement is on, or the row of the decision table
 * that stands for it. Found by reading the sources, as a manager would.
 *
 * @param source the path of the file, "" when the rule was not found
 * @param line   1-based line (the row of a table), 0 when the rule was not found
 */
record RuleLocation(String source, int line) {

    private static final RuleLocation NOWHERE = new RuleLocation("", 0);

    static RuleLocation of(String rule, List<RuleSource> sources) {
        if (rule == null) {
            return NOWHERE;
        }
        Pattern drl = Pattern.compile("\\s*rule\\s+(\"" + Pattern.quote(rule) + "\"|'" + Pattern.quote(rule) + "'|"
                + Pattern.quote(rule) + "(\\s.*)?)\\s*(//.*)?");
        for (RuleSource source : sources) {
            boolean table = source.path().toLowerCase(Locale.ROOT).endsWith(".csv");
            List<String> lines = source.content().lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (table ? cells(lines.get(i)).contains(rule) : drl.matcher(lines.get(i)).matches()) {
                    return new RuleLocation(source.path(), i + 1);
                }
            }
        }
        return NOWHERE;
    }

    /** The cells of a CSV row, unquoted (enough to find a rule's name: names hold no commas). */
    private static List<String> cells(String row) {
        return java.util.Arrays.stream(row.split(",", -1)).map(String::strip)
                .map(cell -> cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")
                        ? cell.substring(1, cell.length() - 1) : cell)
                .toList();
    }
}
