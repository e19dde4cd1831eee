package org.loyaltyengine.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.loyaltyengine.rules.RuleSetCompiler;

/**
 * How long building (compiling) a rule set takes for 100, 1,000 and 2,000 rules, as a publish does: the median
 * of five builds after two warm-up builds, and how the time grows with the rules. Writes the figures to the file
 * named by the first argument.
 */
public final class RuleBuildBenchmark {

    private RuleBuildBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "benchmarks/results/rule-build.txt");
        RuleSetCompiler compiler = new RuleSetCompiler();
        for (int i = 0; i < 2; i++) {
            compiler.compile("warm-up", GeneratedRuleSets.generate(200));
        }
        StringBuilder report = new StringBuilder("Rule set build time (classic DRL build, median of 5), "
                + Runtime.getRuntime().availableProcessors() + " processor(s), Java "
                + System.getProperty("java.version") + "\n");
        long hundred = 0;
        for (int size : new int[] {100, 1_000, 2_000}) {
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                compiler.compile("size-" + size, GeneratedRuleSets.generate(size));
                times.add((System.nanoTime() - started) / 1_000_000);
            }
            Collections.sort(times);
            long median = times.get(2);
            if (size == 100) {
                hundred = median;
            }
            report.append(String.format("%5d rules: %6d ms (runs %s)%s%n", size, median, times,
                    size == 100 ? "" : String.format(", %.1f times the 100-rule build", (double) median / hundred)));
        }
        write(out, report.toString());
        System.out.print(report);
    }

    private static void write(Path out, String report) throws IOException {
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, report);
    }
}
