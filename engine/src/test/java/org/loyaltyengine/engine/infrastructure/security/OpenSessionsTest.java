package org.loyaltyengine.engine.infrastructure.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.Role;

/**
 * What an instance remembers of the sessions the database holds: a session ended through it is refused from the
 * next call on; one ended through another instance within the recheck time.
 */
class OpenSessionsTest {

    private static final Caller CLAIRE = new Caller("claire@demo.local", Role.CUSTOMER, "DEMO", null, "m-claire");
    private static final Session SESSION = new Session(CLAIRE, "session-1", "stamp-1",
            Instant.parse("2026-11-23T17:00:00Z"));

    /** The database as the fake repository holds it: the sessions logged out of, the account's stamp. */
    private final Set<String> endedInDatabase = new HashSet<>();
    private String stampInDatabase = "stamp-1";
    private final AtomicInteger reads = new AtomicInteger();
    private Runnable duringRead = () -> { };
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-23T09:00:00Z"));
    private OpenSessions sessions;

    @BeforeEach
    void instance() {
        sessions = sessions(5);
    }

    @Test
    void aSessionIsReadOnceInTheRecheckTime() {
        assertThat(sessions.isOpen(SESSION)).isTrue();
        clock.move(Duration.ofSeconds(4));
        assertThat(sessions.isOpen(SESSION)).isTrue();

        assertThat(reads).hasValue(1);
    }

    @Test
    void aSessionEndedThroughThisInstanceIsRefusedAtTheNextCall() {
        assertThat(sessions.isOpen(SESSION)).isTrue();

        endedInDatabase.add("session-1");
        sessions.ended("claire@demo.local");

        assertThat(sessions.isOpen(SESSION)).isFalse();
    }

    @Test
    void aSessionEndedThroughAnotherInstanceIsRefusedWithinTheRecheckTime() {
        assertThat(sessions.isOpen(SESSION)).isTrue();

        endedInDatabase.add("session-1");
        assertThat(sessions.isOpen(SESSION)).as("remembered").isTrue();
        clock.move(Duration.ofSeconds(5));

        assertThat(sessions.isOpen(SESSION)).isFalse();
    }

    @Test
    void aNewStampEndsEverySessionSignedInWithTheOldOne() {
        Session other = new Session(CLAIRE, "session-2", "stamp-1", SESSION.expiresAt());
        assertThat(sessions.isOpen(SESSION)).isTrue();
        assertThat(sessions.isOpen(other)).isTrue();

        stampInDatabase = "stamp-2";
        sessions.ended("claire@demo.local");

        assertThat(sessions.isOpen(SESSION)).isFalse();
        assertThat(sessions.isOpen(other)).isFalse();
        assertThat(sessions.isOpen(new Session(CLAIRE, "session-3", "stamp-2", SESSION.expiresAt()))).isTrue();
    }

    @Test
    void anEndingWhileTheDatabaseIsReadIsNotHiddenByWhatTheReadFound() {
        // The read finds the session open, and the log-out commits and tells this instance before it is remembered.
        duringRead = () -> {
            endedInDatabase.add("session-1");
            sessions.ended("claire@demo.local");
        };
        assertThat(sessions.isOpen(SESSION)).isTrue();
        duringRead = () -> { };

        assertThat(sessions.isOpen(SESSION)).isFalse();
    }

    @Test
    void withNoRecheckTimeEveryCallReadsTheDatabase() {
        sessions = sessions(0);

        sessions.isOpen(SESSION);
        sessions.isOpen(SESSION);

        assertThat(reads).hasValue(2);
    }

    @Test
    void anotherAccountsEndingKeepsWhatWasRead() {
        assertThat(sessions.isOpen(SESSION)).isTrue();

        sessions.ended("marc@demo.local");
        sessions.isOpen(SESSION);

        assertThat(reads).hasValue(1);
    }

    private OpenSessions sessions(long recheckSeconds) {
        OpenSessions open = new OpenSessions();
        open.access = (AccessRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AccessRepository.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("sessionOpen")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    reads.incrementAndGet();
                    boolean found = "claire@demo.local".equals(args[0]) && stampInDatabase.equals(args[1])
                            && !endedInDatabase.contains((String) args[2]);
                    duringRead.run();
                    return found;
                });
        open.clock = clock;
        open.recheckSeconds = recheckSeconds;
        open.configure();
        return open;
    }

    private static final class MovableClock extends Clock {

        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
