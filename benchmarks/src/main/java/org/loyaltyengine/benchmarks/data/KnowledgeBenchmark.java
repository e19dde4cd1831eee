package org.loyaltyengine.benchmarks.data;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.loyaltyengine.engine.domain.knowledge.PurchaseTable;
import org.loyaltyengine.engine.domain.knowledge.RfmScoring;
import org.loyaltyengine.engine.domain.knowledge.ScoreTable;
import org.loyaltyengine.engine.domain.knowledge.SegmentDefinitions;
import org.loyaltyengine.engine.infrastructure.persistence.KnowledgeStore;

/**
 * Times the engine's recomputation of customer knowledge ({@link KnowledgeStore} and {@link RfmScoring}, the code
 * the engine runs nightly) on a programme made by {@link SyntheticData}: the read of the sales, the scoring, the
 * write of the scores (a transaction per {@link KnowledgeStore#CHUNK} members, as the engine saves them), with the
 * peak heap. Appends its figures to a results file.
 */
public final class KnowledgeBenchmark {

    private KnowledgeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        String url = options.get("url", "jdbc:postgresql://127.0.0.1:5432/loyalty_bench");
        String code = options.get("programme", "BENCH");
        LocalDate day = LocalDate.parse(options.get("today", LocalDate.now(ZoneOffset.UTC).toString()));
        Path results = Path.of(options.get("results", "benchmarks/results/knowledge-recompute.txt"));
        try (Connection connection = DriverManager.getConnection(url, options.get("user", "postgres"),
                options.get("password", ""))) {
            connection.setAutoCommit(false);
            long programmeId = programmeId(connection, code);
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            long t0 = System.nanoTime();
            PurchaseTable purchases = KnowledgeStore.purchases(connection, programmeId, ZoneId.of("UTC"), day);
            long t1 = System.nanoTime();
            ScoreTable scores = RfmScoring.score(purchases, day, SegmentDefinitions.DEFAULT, 30);
            long t2 = System.nanoTime();
            save(connection, programmeId, scores, day);
            long t3 = System.nanoTime();
            long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP)
                    .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
            long sales = 0;
            Map<String, Long> perSegment = new TreeMap<>();
            for (int i = 0; i < purchases.size(); i++) {
                sales += purchases.get(i).allTimeCount();
                perSegment.merge(scores.segment(i), 1L, Long::sum);
            }
            String report = String.format("%s  %s  members %,d  sales %,d  read %.1f s  score %.1f s  write %.1f s"
                            + "  total %.1f s  peak heap %,d MiB (-Xmx %,d MiB)  cores %d%n  segments %s%n",
                    java.time.Instant.now(), url.replaceAll("//[^/]*@", "//"), purchases.size(), sales,
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t3 - t0) / 1e9, peakHeap >> 20,
                    Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), perSegment);
            System.out.print(report);
            write(results, report);
        }
    }

    /**
     * Saves the scores as the engine does ({@code CustomerKnowledge.recompute}): the members no longer scored found
     * first, then a transaction per {@link KnowledgeStore#CHUNK} members, then the out-of-date scores removed.
     */
    static void save(Connection connection, long programmeId, List<RfmScoring.Score> scores, LocalDate day)
            throws SQLException {
        List<Long> unscored = KnowledgeStore.unscored(connection, programmeId, scores);
        connection.commit();
        for (List<RfmScoring.Score> chunk : KnowledgeStore.chunks(scores)) {
            KnowledgeStore.save(connection, chunk, day);
            connection.commit();
        }
        for (List<Long> chunk : KnowledgeStore.chunks(unscored)) {
            KnowledgeStore.remove(connection, chunk);
            connection.commit();
        }
    }

    private static long programmeId(Connection connection, String code) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT id FROM programme WHERE code = ?")) {
            query.setString(1, code);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("No programme " + code + ": generate it with SyntheticData first");
                }
                return row.getLong(1);
            }
        }
    }

    private static void write(Path results, String report) throws IOException {
        if (results.getParent() != null) {
            Files.createDirectories(results.getParent());
        }
        Files.writeString(results, report, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }
}
