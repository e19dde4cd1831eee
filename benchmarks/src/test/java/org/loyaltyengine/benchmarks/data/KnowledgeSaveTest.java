package org.loyaltyengine.benchmarks.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.loyaltyengine.engine.domain.knowledge.RfmScoring;
import org.loyaltyengine.engine.domain.knowledge.SegmentDefinitions;
import org.loyaltyengine.engine.infrastructure.persistence.KnowledgeStore;

/**
 * The nightly save of members' scores on a real embedded Derby on disk, migrated by the engine's migrations and
 * filled by {@link SyntheticData}: what a till's sale locks (its member's row, then reads its member's score) is
 * not held up by a chunk of scores being saved, and saving chunk by chunk leaves exactly the day's scores.
 */
class KnowledgeSaveTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 20);

    private static Path folder;
    private static String url;
    private static long programmeId;

    @BeforeAll
    static void generate() throws Exception {
        folder = Files.createDirectories(Path.of("target", "knowledge-save-" + System.nanoTime()));
        System.setProperty("derby.stream.error.file", folder.resolve("derby.log").toString());
        url = "jdbc:derby:" + folder.toAbsolutePath().resolve("database");
        SyntheticData.main(new String[] {"--url", url + ";create=true", "--members", "2500", "--sales", "12000",
            "--today", TODAY.toString(), "--programme", "KNOW"});
        try (Connection connection = connect();
             Statement statement = connection.createStatement()) {
            // A till gives up after 2 s here (the engine's Derby waits 60 s): a wait is seen as an error.
            statement.execute("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY('derby.locks.waitTimeout', '2')");
            try (ResultSet row = statement.executeQuery("SELECT id FROM programme WHERE code = 'KNOW'")) {
                row.next();
                programmeId = row.getLong(1);
            }
            connection.commit();
        }
    }

    @AfterAll
    static void shutDown() {
        try {
            DriverManager.getConnection(url + ";shutdown=true").close();
        } catch (SQLException expected) {
            // Derby reports a database shut down as 08006.
        }
    }

    @Test
    void aSaleLocksAndReadsItsMemberWhileAChunkOfScoresIsBeingSaved() throws Exception {
        List<RfmScoring.Score> scores = score(TODAY);
        saveAll(scores, TODAY);
        List<RfmScoring.Score> firstChunk = scores.subList(0, KnowledgeStore.CHUNK);
        long inChunk = firstChunk.get(10).memberId();
        long afterIt = scores.get(KnowledgeStore.CHUNK + 200).memberId();
        try (Connection nightly = connect(); Connection till = connect()) {
            // Half the chunk's members are scored for the first time (their scores are inserted), half again.
            KnowledgeStore.remove(nightly, firstChunk.subList(0, KnowledgeStore.CHUNK / 2).stream()
                    .map(RfmScoring.Score::memberId).toList());
            nightly.commit();
            KnowledgeStore.save(nightly, firstChunk, TODAY.plusDays(1));
            // Not committed yet. A sale of a member of that chunk locks its member at once, and so does a sale of
            // anyone else, who also reads their score.
            lockMember(till, inChunk);
            lockMember(till, firstChunk.get(KnowledgeStore.CHUNK - 10).memberId());
            lockMember(till, afterIt);
            assertThat(computedOn(till, afterIt)).isEqualTo(TODAY);
            till.commit();
            // Only the chunk's own members' scores wait for its commit.
            assertThatThrownBy(() -> computedOn(till, inChunk)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("40XL1"));
            till.rollback();
            nightly.commit();
            assertThat(computedOn(till, inChunk)).isEqualTo(TODAY.plusDays(1));
            till.commit();
        }
    }

    @Test
    void savingChunkByChunkLeavesTheDaysScoresOfTheActiveMembersOnly() throws Exception {
        List<RfmScoring.Score> before = score(TODAY);
        saveAll(before, TODAY.minusDays(1));
        assertThat(stored()).isEqualTo(before.size());

        long closed = before.get(1_234).memberId();
        try (Connection connection = connect();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE member SET status = 'CLOSED' WHERE id = " + closed);
            connection.commit();
        }
        List<RfmScoring.Score> after = score(TODAY);
        saveAll(after, TODAY);

        assertThat(after).hasSize(before.size() - 1);
        assertThat(stored()).isEqualTo(after.size());
        try (Connection connection = connect()) {
            assertThat(computedOn(connection, closed)).isNull();
            RfmScoring.Score sample = after.get(after.size() / 2);
            try (PreparedStatement query = connection.prepareStatement("SELECT computed_on, segment, frequency"
                    + " FROM member_score WHERE member_id = ?")) {
                query.setLong(1, sample.memberId());
                try (ResultSet row = query.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getDate(1).toLocalDate()).isEqualTo(TODAY);
                    assertThat(row.getString(2)).isEqualTo(sample.segment());
                    assertThat(row.getLong(3)).isEqualTo(sample.frequency());
                }
            }
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM member_score WHERE computed_on <> '"
                         + TODAY + "'")) {
                row.next();
                assertThat(row.getLong(1)).as("scores of another day left").isZero();
            }
            connection.commit();
        }
    }

    private static List<RfmScoring.Score> score(LocalDate day) throws SQLException {
        try (Connection connection = connect()) {
            List<RfmScoring.Score> scores = RfmScoring.score(KnowledgeStore.purchases(connection, programmeId,
                    ZoneId.of("UTC"), day), day, SegmentDefinitions.DEFAULT, 30);
            connection.commit();
            return scores;
        }
    }

    private static void saveAll(List<RfmScoring.Score> scores, LocalDate day) throws SQLException {
        try (Connection connection = connect()) {
            KnowledgeBenchmark.save(connection, programmeId, scores, day);
        }
    }

    private static void lockMember(Connection till, long member) throws SQLException {
        try (PreparedStatement lock = till.prepareStatement("SELECT version FROM member WHERE id = ? FOR UPDATE")) {
            lock.setLong(1, member);
            try (ResultSet row = lock.executeQuery()) {
                assertThat(row.next()).isTrue();
            }
        }
        try (PreparedStatement update = till.prepareStatement("UPDATE member SET version = version + 1 WHERE id = ?")) {
            update.setLong(1, member);
            assertThat(update.executeUpdate()).isOne();
        }
    }

    private static LocalDate computedOn(Connection connection, long member) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT computed_on FROM member_score"
                + " WHERE member_id = ?")) {
            query.setLong(1, member);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getDate(1).toLocalDate() : null;
            }
        }
    }

    private static long stored() throws SQLException {
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM member_score s"
                     + " JOIN member m ON m.id = s.member_id WHERE m.programme_id = ?")) {
            query.setLong(1, programmeId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                long count = row.getLong(1);
                connection.commit();
                return count;
            }
        }
    }

    private static Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url, "APP", "");
        connection.setAutoCommit(false);
        return connection;
    }
}
