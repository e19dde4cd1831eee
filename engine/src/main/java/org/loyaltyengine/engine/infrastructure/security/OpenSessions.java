package org.loyaltyengine.engine.infrastructure.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.loyaltyengine.engine.domain.access.AccessRepository;

/**
 * Tells whether the session of a verified bearer token is still open: its account still has the session stamp the
 * token carries (a changed password renews it) and the session was not logged out of. The database holds the
 * answer for every instance alike; each instance remembers what it read for {@code loyalty.session.recheck-seconds}
 * (5 s by default, 0 reads the database on every call), so that a person's calls cost one database read per session
 * in that time, and a session ended on another instance is refused here within it. A session ended through this
 * instance is refused here from the next call on ({@link #ended}). Tills ({@code X-Api-Key}) never come here.
 */
@ApplicationScoped
public class OpenSessions {

    /** How many sessions are remembered at most; past it the expired answers go, then all of them. */
    static final int LIMIT = 50_000;

    private record Answer(String email, boolean open, Instant until) {
    }

    private final Map<String, Answer> bySession = new ConcurrentHashMap<>();

    /** Counts the endings announced here, so that an answer read while one happened is not remembered. */
    private final AtomicLong endings = new AtomicLong();

    @Inject
    AccessRepository access;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "loyalty.session.recheck-seconds", defaultValue = "5")
    long recheckSeconds;

    private Duration recheck;

    @PostConstruct
    void configure() {
        recheck = Duration.ofSeconds(Math.max(0, recheckSeconds));
    }

    /** Whether the session is open now, as the database said at most {@code recheck} ago. */
    public boolean isOpen(Session session) {
        String key = session.id() != null ? session.id()
                : "account:" + session.caller().name() + ":" + session.stamp();
        Instant now = clock.instant();
        Answer known = bySession.get(key);
        if (known != null && known.until().isAfter(now)) {
            return known.open();
        }
        long seen = endings.get();
        boolean open = access.sessionOpen(session.caller().name(), session.stamp(), session.id());
        Answer answer = new Answer(session.caller().name(), open, now.plus(recheck));
        if (bySession.size() >= LIMIT) {
            bySession.values().removeIf(stale -> !stale.until().isAfter(now));
            if (bySession.size() >= LIMIT) {
                bySession.clear();
            }
        }
        bySession.put(key, answer);
        if (endings.get() != seen) {
            // A session was ended meanwhile, perhaps this one after the read: the next call reads it again.
            bySession.remove(key, answer);
        }
        return open;
    }

    /**
     * Forgets what this instance read of the account's sessions, so that its next calls are answered from the
     * database. Call it once the ending of sessions (a log-out, a new password) is committed.
     */
    public void ended(String email) {
        endings.incrementAndGet();
        bySession.values().removeIf(answer -> answer.email().equals(email));
    }
}
