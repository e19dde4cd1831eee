package org.loyaltyengine.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/**
 * Payara's connector logs a stack trace at SEVERE for each request whose address is not valid percent-encoding:
 * they are counted and reported in one line a minute, and every other record of the connector goes through.
 */
class MalformedAddressLogTest {

    @Test
    void theDecodersStackTracesBecomeOneLineAMinuteAndOtherRecordsPass() {
        Instant[] now = {Instant.parse("2026-12-06T20:00:00Z")};
        MalformedAddressLog.Quieter quieter = new MalformedAddressLog.Quieter(null, () -> now[0]);
        List<String> reported = new ArrayList<>();
        Logger log = Logger.getLogger(MalformedAddressLog.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                reported.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        try {
            assertThat(quieter.isLoggable(decoderFailure("%zz"))).isFalse();
            assertThat(quieter.isLoggable(decoderFailure(new IllegalStateException("Unexpected termination"))))
                    .as("a lone %").isFalse();
            assertThat(quieter.isLoggable(decoderFailure("%%3"))).isFalse();
            now[0] = now[0].plusSeconds(61);
            assertThat(quieter.isLoggable(decoderFailure("%g0"))).isFalse();

            LogRecord other = new LogRecord(Level.SEVERE, "AS-WEB-CORE-00037");
            other.setThrown(new IllegalArgumentException("something else"));
            assertThat(quieter.isLoggable(other)).as("not the decoder's").isTrue();
            assertThat(quieter.isLoggable(new LogRecord(Level.INFO, "started"))).isTrue();
        } finally {
            log.removeHandler(handler);
        }
        assertThat(reported).hasSize(2);
        assertThat(reported.get(0)).startsWith("1 request(s) with an address that is not valid percent-encoding")
                .contains("%zz");
        assertThat(reported.get(1)).startsWith("3 request(s)").contains("since 2026-12-06T20:00:00Z").contains("%g0");
    }

    private static LogRecord decoderFailure(String address) {
        return decoderFailure(new IllegalArgumentException("URLDecoder: Illegal hex characters in escape (%) pattern - "
                + address));
    }

    private static LogRecord decoderFailure(RuntimeException thrown) {
        thrown.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("org.glassfish.grizzly.http.util.URLDecoder", "decode", "URLDecoder.java", 199)});
        LogRecord record = new LogRecord(Level.SEVERE, "AS-WEB-CORE-00037");
        record.setThrown(thrown);
        return record;
    }
}
