package org.loyaltyengine.engine.domain.knowledge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A programme's named segments over the recency, frequency and monetary scores (1 to 5), one per line, the
 * first that matches naming the member's segment:
 *
 * <pre>
 * champions: R&gt;=4 F&gt;=4 M&gt;=4
 * loyal: F&gt;=4 R&gt;=3
 * at risk: R&lt;=2 F&gt;=3
 * promising: R&gt;=4
 * needs attention: R=3
 * hibernating: *
 * </pre>
 *
 * <p>Each condition is a score letter, an operator ({@code >=}, {@code <=}, {@code =}, {@code >}, {@code <}) and
 * a score; {@code *} matches every member and the last line must be one. Two segments come before these and
 * are not configurable by line: {@code lost} (no purchase in the 365 days) and {@code new} (first purchase in
 * the programme's new-member days, or joined in them and not bought yet); a member who joined less than a year ago
 * and never bought is placed by these lines. Lines starting with {@code #} are comments.
 */
public final class SegmentDefinitions {

    /** The defaults, as documented in README.md ("Customer knowledge"). */
    public static final String DEFAULT_TEXT = String.join("\n",
            "champions: R>=4 F>=4 M>=4",
            "loyal: F>=4 R>=3",
            "at risk: R<=2 F>=3",
            "promising: R>=4",
            "needs attention: R=3",
            "hibernating: *");

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9 _-]{0,22}[a-z0-9]|[a-z]");
    private static final Pattern CONDITION = Pattern.compile("([RFM])(>=|<=|=|>|<)([1-5])");

    /** Declared after the patterns it is parsed with. */
    public static final SegmentDefinitions DEFAULT = parse(DEFAULT_TEXT);

    private final List<Segment> segments;
    private final String text;

    /** The line of the text each segment is on, for the messages. */
    private final List<Integer> lines;

    private SegmentDefinitions(List<Segment> segments, String text, List<Integer> lines) {
        this.segments = List.copyOf(segments);
        this.text = text;
        this.lines = List.copyOf(lines);
    }

    /** The definitions of a programme: the defaults when it has none. */
    public static SegmentDefinitions of(String text) {
        return text == null || text.isBlank() ? DEFAULT : parse(text);
    }

    /**
     * @throws IllegalArgumentException with the line number and what is wrong with it
     */
    public static SegmentDefinitions parse(String text) {
        List<Segment> segments = new ArrayList<>();
        List<Integer> lineOf = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Line " + (i + 1) + ": expected 'name: conditions' with a name of"
                        + " 1 to 24 letters, digits, spaces, '-' or '_', e.g. 'loyal: F>=4 R>=3'");
            }
            if (name.equals("lost") || name.equals("new")) {
                throw new IllegalArgumentException("Line " + (i + 1) + ": '" + name + "' is decided before the"
                        + " scores (no purchase in a year, a first purchase in the new-member days)");
            }
            for (Segment earlier : segments) {
                if (earlier.name().equals(name)) {
                    throw new IllegalArgumentException("Line " + (i + 1) + ": '" + name + "' is defined on an earlier"
                            + " line: give the segment one line, its conditions together or another name");
                }
            }
            List<Condition> conditions = new ArrayList<>();
            String body = line.substring(colon + 1).strip();
            if (!body.equals("*")) {
                for (String token : body.toUpperCase(Locale.ROOT).split("\\s+")) {
                    Matcher condition = CONDITION.matcher(token);
                    if (!condition.matches()) {
                        throw new IllegalArgumentException("Line " + (i + 1) + ": '" + token + "' is not a condition"
                                + " such as R>=4, F=3 or M<2");
                    }
                    conditions.add(new Condition(condition.group(1).charAt(0), condition.group(2),
                            Integer.parseInt(condition.group(3))));
                }
            }
            segments.add(new Segment(name, conditions));
            lineOf.add(i + 1);
        }
        if (segments.isEmpty() || !segments.get(segments.size() - 1).conditions().isEmpty()) {
            throw new IllegalArgumentException("The last segment must match every member ('name: *'), so that"
                    + " every member has a segment");
        }
        return new SegmentDefinitions(segments, text.strip(), lineOf);
    }

    /**
     * As {@link #parse}, for definitions a manager gives now: a segment no scores reach (after a '*' line,
     * conditions that cannot hold, or every member it would hold taken by the lines above) is refused too, since it
     * would hold nobody and the offers meant for it would never be given. Definitions kept from before this check
     * are still read by {@link #of}.
     *
     * @throws IllegalArgumentException with the line number and what is wrong with it
     */
    public static SegmentDefinitions parseNew(String text) {
        SegmentDefinitions definitions = parse(text);
        Set<String> reached = new HashSet<>();
        for (int r = 1; r <= 5; r++) {
            for (int f = 1; f <= 5; f++) {
                for (int m = 1; m <= 5; m++) {
                    reached.add(definitions.segmentOf(r, f, m));
                }
            }
        }
        for (int i = 0; i < definitions.segments.size(); i++) {
            if (!reached.contains(definitions.segments.get(i).name())) {
                throw new IllegalArgumentException("Line " + definitions.lines.get(i) + ": '"
                        + definitions.segments.get(i).name()
                        + "' holds nobody: no scores from 1 to 5 meet its conditions that the lines above it do not"
                        + " take first");
            }
        }
        return definitions;
    }

    /** The segment of scores that no earlier rule (lost, new) decided. */
    public String segmentOf(int recency, int frequency, int monetary) {
        for (Segment segment : segments) {
            if (segment.conditions().stream().allMatch(c -> c.holds(recency, frequency, monetary))) {
                return segment.name();
            }
        }
        throw new IllegalStateException("The last segment matches every member");
    }

    /** Every segment name, in order, with "lost" and "new" first. */
    public List<String> names() {
        List<String> names = new ArrayList<>(List.of("lost", "new"));
        segments.forEach(segment -> names.add(segment.name()));
        return names;
    }

    public String text() {
        return text;
    }

    private record Segment(String name, List<Condition> conditions) {
    }

    private record Condition(char score, String operator, int value) {

        boolean holds(int recency, int frequency, int monetary) {
            int actual = switch (score) {
                case 'R' -> recency;
                case 'F' -> frequency;
                default -> monetary;
            };
            return switch (operator) {
                case ">=" -> actual >= value;
                case "<=" -> actual <= value;
                case ">" -> actual > value;
                case "<" -> actual < value;
                default -> actual == value;
            };
        }
    }
}
