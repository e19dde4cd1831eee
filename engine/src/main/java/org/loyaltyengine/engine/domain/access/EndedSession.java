package org.loyaltyengine.engine.domain.access;

import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A session its holder logged out of: its bearer token is refused from then on, by every engine instance, though
 * its signature holds until it expires. Only the session's random id is kept, never the token; once the token has
 * expired the record serves nothing and is deleted.
 */
@Entity
@Table(name = "ended_session")
public class EndedSession {

    @Id
    @Column(name = "session_id", length = 32)
    private String sessionId;

    @Column(name = "ended_at", nullable = false)
    private Instant endedAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected EndedSession() {
    }

    /**
     * @param sessionId the id the session's token carries
     * @param endedAt   when its holder logged out
     * @param expiresAt when its token expires anyway
     */
    public EndedSession(String sessionId, Instant endedAt, Instant expiresAt) {
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.endedAt = Objects.requireNonNull(endedAt, "endedAt");
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public String sessionId() {
        return sessionId;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
