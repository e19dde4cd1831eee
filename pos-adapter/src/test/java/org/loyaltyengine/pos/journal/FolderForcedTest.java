package org.loyaltyengine.pos.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal made, and a file rewritten and renamed into place, survive a crash only once their folder is forced to
 * disk too (the name is in the folder). Watched with strace on a JVM of its own: the folder is {@code fsync}'d
 * after the journal is made and after the rewrite.
 */
class FolderForcedTest {

    @TempDir
    Path folder;

    @Test
    void theFolderIsForcedWhenTheJournalIsMadeAndWhenAFileIsRewritten() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "strace is not installed");
        Path trace = folder.resolve("strace.txt");
        Path till = Files.createDirectories(folder.resolve("till"));
        List<String> command = new ArrayList<>(List.of("/usr/bin/strace", "-f", "-y", "-e",
                "trace=fsync,fdatasync", "-o", trace.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Writer.class.getName(), till.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Assumptions.assumeTrue(process.exitValue() == 0 || !output.contains("ptrace"), "strace may not trace here");
        assertThat(process.exitValue()).as(output).isZero();

        String[] phases = output.strip().split("\n");
        List<String> syncs = Files.readAllLines(trace);
        String folderSynced = "<" + till.toRealPath() + ">)";
        assertThat(phases).contains("made", "rewritten");
        assertThat(syncs.stream().filter(line -> line.contains("fsync(") && line.contains(folderSynced)).count())
                .as(String.join("\n", syncs)).isGreaterThanOrEqualTo(2);
    }

    /** Makes a journal in the folder given, then has the sales delivered long ago dropped (a rewrite). */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            Journal journal = new Journal(Path.of(args[0]).resolve("pos-journal.jsonl"));
            long seq = journal.append("S001/R-1", Json.createObjectBuilder().add("receiptId", "R-1").build());
            System.out.println("made");
            journal.mark(seq, Journal.State.DELIVERED, "credited");
            JsonLines.rewrite(journal.file(), records -> records.subList(0, 1));
            System.out.println("rewritten");
        }
    }
}
