package org.loyaltyengine.engine.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.loyaltyengine.engine.domain.DomainException;

class UnknownEmailsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");

    @Test
    void anEmailOfNoAccountIsLockedAfterFiveFailuresAsAnAccountIsAndAgainAfterTheLock() {
        UnknownEmails emails = at(NOW);
        for (int i = 0; i < LoginService.FAILURES_BEFORE_LOCK; i++) {
            emails.attempt("nobody@example.org");
        }

        DomainException locked = catchThrowableOfType(() -> emails.attempt(" Nobody@Example.org"),
                DomainException.class);

        assertThat(locked.kind()).isEqualTo(DomainException.Kind.TOO_MANY);
        assertThat(locked.code()).isEqualTo("account_locked");
        assertThat(locked.getMessage()).as("the words of an account's lock").isEqualTo(LoginService.locked(
                NOW.plus(LoginService.LOCK)).getMessage());
        emails.attempt("somebody@example.org");

        emails.clock = Clock.fixed(NOW.plus(LoginService.LOCK), ZoneOffset.UTC);
        for (int i = 0; i < LoginService.FAILURES_BEFORE_LOCK; i++) {
            emails.attempt("nobody@example.org");
        }
        assertThatThrownBy(() -> emails.attempt("nobody@example.org")).isInstanceOf(DomainException.class);
    }

    @Test
    void ofGuessesSentAllAtOnceFiveAreCountedAndTheRestRefused() throws Exception {
        UnknownEmails emails = at(NOW);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> guesses = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                guesses.add(() -> {
                    try {
                        emails.attempt("burst@example.org");
                        return true;
                    } catch (DomainException e) {
                        return false;
                    }
                });
            }
            long counted = 0;
            for (Future<Boolean> guess : pool.invokeAll(guesses)) {
                counted += guess.get() ? 1 : 0;
            }
            assertThat(counted).isEqualTo(LoginService.FAILURES_BEFORE_LOCK);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHundredThousandOtherEmailsTriedDoNotPushOnesCountOut() {
        UnknownEmails emails = at(NOW);
        for (int i = 0; i < LoginService.FAILURES_BEFORE_LOCK - 1; i++) {
            emails.attempt("target@example.org");
        }
        for (int i = 0; i < 100_000; i++) {
            try {
                emails.attempt("other-" + i + "@example.org");
            } catch (DomainException sharedSlot) {
                // Another email of no account in a slot locked by those before: it shares their lock.
            }
        }

        try {
            emails.attempt("target@example.org");
        } catch (DomainException sharedSlot) {
            // Its slot shared with another email tried: locked a little sooner, never later.
        }

        assertThatThrownBy(() -> emails.attempt("target@example.org")).as("the sixth attempt, whatever was tried"
                + " between").isInstanceOf(DomainException.class);
    }

    private static UnknownEmails at(Instant now) {
        UnknownEmails emails = new UnknownEmails();
        emails.clock = Clock.fixed(now, ZoneOffset.UTC);
        return emails;
    }
}
