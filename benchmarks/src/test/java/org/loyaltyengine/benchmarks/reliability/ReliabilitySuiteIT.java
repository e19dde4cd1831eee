package org.loyaltyengine.benchmarks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * CI's run of the reliability suite, as a user runs it ({@code benchmarks/reliability.sh --short derby postgresql}):
 * a real engine on embedded Derby killed with -9 and restarted, then two Payara Micro instances clustered over the
 * local PostgreSQL, one of them killed and restarted; every check must pass on both.
 */
class ReliabilitySuiteIT {

    @Test
    void noSaleIsLostOrDoubledAndNoHostileRequestIsAnsweredBut4xx() throws Exception {
        Path script = Path.of(System.getProperty("loyalty.reliability.script", "benchmarks/reliability.sh"));
        Path log = Path.of(System.getProperty("loyalty.reliability.log", "target/reliability-suite.log"));
        Process process = new ProcessBuilder("bash", script.toString(), "--short", "derby", "postgresql")
                .directory(script.toAbsolutePath().getParent().getParent().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(25, TimeUnit.MINUTES);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        System.out.println(output);
        assertThat(finished).as("the short suite finishes within 25 minutes").isTrue();
        assertThat(output).contains("1 engine, embedded Derby", "2 instances, PostgreSQL");
        assertThat(output.split("ALL CHECKS PASSED", -1)).as("both modes pass every check (see " + log + ")")
                .hasSize(3);
        assertThat(process.exitValue()).isZero();
    }
}
