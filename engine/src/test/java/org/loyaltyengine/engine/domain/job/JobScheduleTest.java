package org.loyaltyengine.engine.domain.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class JobScheduleTest {

    private static final JobSchedule HOURLY_AT_5 = new JobSchedule(Duration.ofHours(1), Duration.ofMinutes(5));

    @Test
    void anHourlyJobStartsAtItsMinuteOfTheNextHourOrOfThisOne() {
        assertThat(HOURLY_AT_5.nextAfter(Instant.parse("2026-12-04T14:34:01Z")))
                .isEqualTo(Instant.parse("2026-12-04T15:05:00Z"));
        assertThat(HOURLY_AT_5.nextAfter(Instant.parse("2026-12-04T14:04:59Z")))
                .isEqualTo(Instant.parse("2026-12-04T14:05:00Z"));
        assertThat(HOURLY_AT_5.nextAfter(Instant.parse("2026-12-04T14:05:00Z")))
                .as("strictly after: a timer started on its time does not fire twice")
                .isEqualTo(Instant.parse("2026-12-04T15:05:00Z"));
    }

    @Test
    void theNightlyJobStartsAtItsTimeUtc() {
        JobSchedule nightly = Job.KNOWLEDGE.byDefault();

        assertThat(nightly.nextAfter(Instant.parse("2026-12-04T14:34:01Z")))
                .isEqualTo(Instant.parse("2026-12-05T02:15:00Z"));
        assertThat(nightly.nextAfter(Instant.parse("2026-12-05T01:00:00Z")))
                .isEqualTo(Instant.parse("2026-12-05T02:15:00Z"));
    }

    @Test
    void aMissedNightlyRunIsDueLateFromAQuarterOfAnHourAfterItsTimeUntilAQuarterOfADayBeforeTheNext() {
        JobSchedule backup = Job.BACKUP.byDefault(); // 03:00 UTC
        Instant last = Instant.parse("2026-12-05T03:00:00Z");

        assertThat(backup.lateRunOf(Instant.parse("2026-12-05T03:10:00Z")))
                .as("the scheduled run may still be writing its row").isEmpty();
        assertThat(backup.lateRunOf(Instant.parse("2026-12-05T03:15:00Z"))).hasValue(last);
        assertThat(backup.lateRunOf(Instant.parse("2026-12-05T14:00:00Z"))).hasValue(last);
        assertThat(backup.lateRunOf(Instant.parse("2026-12-05T20:59:59Z"))).hasValue(last);
        assertThat(backup.lateRunOf(Instant.parse("2026-12-05T21:00:00Z")))
                .as("the next night's run is 6 hours away: it is the one that runs").isEmpty();
        assertThat(backup.lateRunOf(Instant.parse("2026-12-06T02:59:00Z"))).isEmpty();
    }

    @Test
    void hourlyJobsAreNeverRunLateTheirNextRunCatchesUp() {
        assertThat(HOURLY_AT_5.lateRunOf(Instant.parse("2026-12-05T14:30:00Z"))).isEmpty();
        assertThat(new JobSchedule(Duration.ofHours(6), Duration.ZERO).lateRunOf(Instant.parse("2026-12-05T07:00:00Z")))
                .as("six hours is long enough").hasValue(Instant.parse("2026-12-05T06:00:00Z"));
    }

    @Test
    void aRunBelongsToThePeriodOfTheNearestStartSoInstancesThatFireApartAgree() {
        Instant scheduled = Instant.parse("2026-12-04T14:05:00Z");

        assertThat(HOURLY_AT_5.periodOf(scheduled)).isEqualTo(scheduled);
        assertThat(HOURLY_AT_5.periodOf(scheduled.plusMillis(3))).as("a timer a little late").isEqualTo(scheduled);
        assertThat(HOURLY_AT_5.periodOf(scheduled.minusMillis(3))).as("a clock a little ahead").isEqualTo(scheduled);
        assertThat(HOURLY_AT_5.periodOf(scheduled.plus(Duration.ofMinutes(29)))).as("a busy machine")
                .isEqualTo(scheduled);
        assertThat(HOURLY_AT_5.periodOf(scheduled.plus(Duration.ofMinutes(31)))).as("nearer the next start")
                .isEqualTo(scheduled.plus(Duration.ofHours(1)));
    }

    @Test
    void shortPeriodsWorkTheSameWay() {
        JobSchedule everyTenSeconds = JobSchedule.parse("loyalty.jobs.expiry", "PT10S", "PT3S");

        assertThat(everyTenSeconds.nextAfter(Instant.parse("2026-12-04T14:34:01Z")))
                .isEqualTo(Instant.parse("2026-12-04T14:34:03Z"));
        assertThat(everyTenSeconds.periodOf(Instant.parse("2026-12-04T14:34:14.400Z")))
                .isEqualTo(Instant.parse("2026-12-04T14:34:13Z"));
    }

    @Test
    void aScheduleThatCannotRunIsRefusedNamingItsProperty() {
        assertThatThrownBy(() -> JobSchedule.parse("loyalty.jobs.expiry", "hourly", "PT5M"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loyalty.jobs.expiry.every=hourly");
        assertThatThrownBy(() -> JobSchedule.parse("loyalty.jobs.expiry", "PT1H", "PT1H"))
                .hasMessageContaining("less than its period");
        assertThatThrownBy(() -> JobSchedule.parse("loyalty.jobs.expiry", "PT0.5S", "PT0S"))
                .hasMessageContaining("at least a second");
        assertThatThrownBy(() -> JobSchedule.parse("loyalty.jobs.expiry", "PT1H", "-PT1M"))
                .hasMessageContaining("loyalty.jobs.expiry.at=-PT1M");
    }
}
