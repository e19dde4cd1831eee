package org.loyaltyengine.engine.application;

import java.util.ArrayList;
import java.util.List;

/** A line diff of two texts (longest common subsequence), printed the way reviewers read them: "-", "+", " ". */
final class LineDiff {

    private static final int MAX_LINES = 5_000;

    private LineDiff() {
    }

    /** The changed lines with up to two lines of context; empty when the texts are the same. */
    static String of(String before, String after) {
        String[] a = before.split("\n", -1);
        String[] b = after.split("\n", -1);
        if (a.length > MAX_LINES || b.length > MAX_LINES) {
            return "(file too large to diff: " + a.length + " and " + b.length + " lines)";
        }
        int[][] common = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                common[i][j] = a[i].equals(b[j]) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                lines.add("  " + a[i]);
                i++;
                j++;
            } else if (j < b.length && (i == a.length || common[i][j + 1] > common[i + 1][j])) {
                lines.add("+ " + b[j++]);
            } else {
                lines.add("- " + a[i++]);
            }
        }
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < lines.size(); k++) {
            if (near(lines, k)) {
                out.append(lines.get(k)).append('\n');
            } else if (k > 0 && near(lines, k - 1)) {
                out.append("  ...\n");
            }
        }
        return lines.stream().allMatch(line -> line.startsWith("  ")) ? "" : out.toString();
    }

    private static boolean near(List<String> lines, int k) {
        for (int d = -2; d <= 2; d++) {
            int at = k + d;
            if (at >= 0 && at < lines.size() && !lines.get(at).startsWith("  ")) {
                return true;
            }
        }
        return false;
    }
}
