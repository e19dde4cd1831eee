package org.loyaltyengine.engine.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.knowledge.MemberScore;
import org.loyaltyengine.engine.domain.knowledge.RfmScoring;
import org.loyaltyengine.engine.domain.knowledge.ScoreTable;
import org.loyaltyengine.engine.domain.knowledge.SegmentDefinitions;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;
import org.loyaltyengine.engine.infrastructure.persistence.DataWrites;
import org.loyaltyengine.engine.infrastructure.persistence.Jdbc;
import org.loyaltyengine.engine.infrastructure.persistence.KnowledgeStore;

/**
 * Computes what the programme knows of its members ({@link RfmScoring}) from the recorded sales, summed by the
 * database per member ({@link KnowledgeStore}), and keeps it in {@code member_score} for the rules, the back office
 * and the reports. Scores as of a past day are computed the same way, for the reports that compare two dates.
 */
@ApplicationScoped
public class CustomerKnowledge {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Inject
    ProgrammeRepository programmes;

    @Inject
    Clock clock;

    @Inject
    org.loyaltyengine.engine.domain.audit.AuditTrail audit;

    @Inject
    CustomerKnowledge self;

    @Inject
    Jdbc jdbc;

    /**
     * Recomputes every active member of the programme as of a day (today when null). The sales are read and the
     * members scored in one transaction, which locks nothing a till needs; the scores are then saved
     * {@link KnowledgeStore#CHUNK} members per transaction ({@link KnowledgeStore#save}), so that a sale of a member
     * whose score is being saved waits milliseconds, not for the whole programme's save. While it runs, some members
     * have the new scores and the others still the ones before: each member's are whole.
     */
    public Summary recompute(String code, LocalDate asOf) {
        long started = System.nanoTime();
        Scored scored = self.score(code, asOf);
        ScoreTable scores = scored.scores();
        for (List<RfmScoring.Score> chunk : KnowledgeStore.chunks(scores)) {
            saveChunk(code, connection -> KnowledgeStore.save(connection, chunk, scored.day()));
        }
        for (List<Long> chunk : KnowledgeStore.chunks(scored.unscored())) {
            saveChunk(code, connection -> KnowledgeStore.remove(connection, chunk));
        }
        Map<String, Long> perSegment = new TreeMap<>();
        for (int i = 0; i < scores.size(); i++) {
            perSegment.merge(scores.segment(i), 1L, Long::sum);
        }
        return new Summary(code, scored.day(), scores.size(), perSegment, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * One chunk's transaction, run again when the database gave it up ({@link BusyRetry#call}) or, on Derby, when
     * another recomputation of the same members inserted a score first (the update then finds it).
     */
    private void saveChunk(String code, Write write) {
        for (int attempt = 1; ; attempt++) {
            try {
                BusyRetry.call(() -> {
                    self.write(write);
                    return null;
                });
                return;
            } catch (DomainException e) {
                throw e;
            } catch (RuntimeException e) {
                if (attempt == 3 || !ConstraintViolations.causedBy(e)) {
                    throw new IllegalStateException("Saving the scores of programme " + code + " failed", e);
                }
            }
        }
    }

    /** What a chunk's transaction writes. */
    @FunctionalInterface
    public interface Write {
        void to(Connection connection) throws SQLException;
    }

    /** Runs a chunk's writes in a transaction of their own. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void write(Write write) {
        try (Connection connection = jdbc.connection()) {
            write.to(connection);
            DataWrites.wrote();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The scores of a day, and the programme's members who have none that day. */
    public record Scored(LocalDate day, ScoreTable scores, List<Long> unscored) {
    }

    /**
     * The day of the scores and offers the engine keeps: the programme's today. Another day would replace today's
     * scores with those of a past day (dropping the members who joined since) or give offers dated in the future
     * that count against the cap before they can be seen; the reports score past days by themselves.
     *
     * @throws DomainException {@code invalid_field} on {@code asOf} for a day that is not today
     */
    public static LocalDate kept(Programme programme, LocalDate asOf, Clock clock) {
        LocalDate today = programme.today(clock.instant());
        if (asOf != null && !asOf.equals(today)) {
            throw DomainException.invalid("asOf", "Scores and offers are kept as of today, " + today + " in "
                    + programme.code() + "'s time zone, not " + asOf + "; the reports compute other days themselves");
        }
        return today;
    }

    /** Scores the programme's members as of today (asOf, when given, must be today), in one read-only transaction. */
    @Transactional
    public Scored score(String code, LocalDate asOf) {
        Programme programme = programme(code);
        LocalDate day = kept(programme, asOf, clock);
        ScoreTable scores = scoresAsOf(programme, day);
        try (Connection connection = jdbc.connection()) {
            return new Scored(day, scores, KnowledgeStore.unscored(connection, programme.id(), scores));
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the members of programme " + code + " failed", e);
        }
    }

    /** The scores and segments of the members who had joined by the end of the day, as the sales then stood. */
    @Transactional
    public ScoreTable scoresAsOf(Programme programme, LocalDate day) {
        try (Connection connection = jdbc.connection()) {
            int readLimit = jdbc.postgresql() ? connection.getNetworkTimeout() : 0;
            try {
                String idleLimit = allowLongPauses(connection);
                ScoreTable scores = RfmScoring.score(KnowledgeStore.purchases(connection, programme.id(),
                        programme.zone(), day), day, SegmentDefinitions.of(programme.segmentDefinitions()),
                        programme.newMemberDays());
                restoreIdleLimit(connection, idleLimit);
                return scores;
            } finally {
                if (readLimit > 0) {
                    connection.setNetworkTimeout(Runnable::run, readLimit);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the sales of programme " + programme.code() + " failed", e);
        }
    }

    /**
     * On PostgreSQL the data source bounds lock waits (2 s), the time a session may sit idle inside a transaction
     * (30 s), for the tills' sake, and how long a read waits for the database (loyalty.db.socket-timeout), so that a
     * database gone silent does not hold a connection for hours (see DataSources). Reading a whole programme's sales
     * and scoring its members is not a till's call: it may wait for its locks as long as it takes, for the first rows
     * of its read as long as the database takes to sum them, and it pauses between statements for as long as the
     * scoring takes (1 s for a million members here, more for larger programmes). It lifts the three limits for its
     * own transaction ({@code set_config(..., true)}: until the transaction ends; the connection's read limit until
     * the read is done, {@link #scoresAsOf}), and puts the idle limit back once the scoring is done ({@link
     * #restoreIdleLimit}), for what the transaction does next (the reports compare two days in one transaction; the
     * recomputation reads the programme's members).
     *
     * @return the idle limit as it was, to put back (null on Derby)
     */
    private String allowLongPauses(Connection connection) throws SQLException {
        if (!jdbc.postgresql()) {
            return null;
        }
        connection.setNetworkTimeout(Runnable::run, 0);
        try (java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet result = statement.executeQuery("SELECT"
                     + " current_setting('idle_in_transaction_session_timeout'), set_config('lock_timeout', '0', true),"
                     + " set_config('idle_in_transaction_session_timeout', '0', true)")) {
            result.next();
            return result.getString(1);
        }
    }

    private static void restoreIdleLimit(Connection connection, String idleLimit) throws SQLException {
        if (idleLimit != null) {
            try (java.sql.PreparedStatement statement = connection.prepareStatement(
                    "SELECT set_config('idle_in_transaction_session_timeout', ?, true)")) {
                statement.setString(1, idleLimit);
                statement.executeQuery().close();
            }
        }
    }

    /** The member's scores as last computed. */
    @Transactional
    public Optional<MemberScore> of(Member member) {
        return Optional.ofNullable(em.find(MemberScore.class, member.id()));
    }

    Programme programme(String code) {
        return programmes.findByCode(code).orElseThrow(() -> DomainException.notFound(
                "programme_not_found", "No programme " + code));
    }

    /** How a programme segments its members and caps their offers. */
    public record Settings(int maxOpenOffers, int newMemberDays, String segments, List<String> segmentNames) {
    }

    @Transactional
    public Settings settings(String code) {
        Programme programme = programme(code);
        SegmentDefinitions segments = SegmentDefinitions.of(programme.segmentDefinitions());
        return new Settings(programme.maxOpenOffers(), programme.newMemberDays(), segments.text(), segments.names());
    }

    /**
     * Changes the programme's segments, new-member days and offer cap; they apply from the next recomputation.
     *
     * @throws DomainException {@code invalid_segments} (400) with the line of the definitions that is wrong
     */
    @Transactional
    public Settings configure(Staff staff, String code, Integer maxOpenOffers, Integer newMemberDays,
                              String segments) {
        staff.requireManages(code);
        Programme programme = programme(code);
        int cap = maxOpenOffers == null ? programme.maxOpenOffers() : maxOpenOffers;
        int newDays = newMemberDays == null ? programme.newMemberDays() : newMemberDays;
        if (cap < 0 || cap > 20) {
            throw DomainException.invalid("maxOpenOffers", "A member holds 0 to 20 open offers");
        }
        if (newDays < 0 || newDays > 365) {
            throw DomainException.invalid("newMemberDays", "New-member days are 0 to 365");
        }
        String text = segments == null ? programme.segmentDefinitions() : segments.strip();
        if (segments != null && !text.isEmpty()) {
            if (text.length() > 2000) {
                throw DomainException.invalid("invalid_segments", "segments", "Segment definitions are at most"
                        + " 2,000 characters");
            }
            try {
                SegmentDefinitions.parseNew(text);
            } catch (IllegalArgumentException e) {
                throw DomainException.invalid("invalid_segments", "segments", e.getMessage());
            }
        }
        Settings before = settings(code);
        programme.configureKnowledge(cap, newDays, text == null || text.isEmpty()
                || text.equals(SegmentDefinitions.DEFAULT_TEXT) ? null : text);
        audit.record(new org.loyaltyengine.engine.domain.audit.AuditEvent(clock.instant(), staff.name(),
                "KNOWLEDGE_CONFIGURED", code, code, ProgrammeAdministration.changes(before, settings(code))));
        return settings(code);
    }

    /** What a recomputation did. */
    @Schema(name = "ScoresSummary", description = "What a recomputation of the scores did")
    public record Summary(String programme, LocalDate asOf, int members, Map<String, Long> perSegment, long millis) {
    }
}
