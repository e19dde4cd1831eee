package org.loyaltyengine.engine.domain.sale;

import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * What makes a till's request idempotent: the fingerprint of the request first recorded under an id, and the
 * answer it was given. The same id with the same fingerprint is a replay and gets that answer again; with another
 * fingerprint it is a conflict.
 */
@Embeddable
public class RecordedAnswer {

    /** SHA-256 of the request's canonical form. */
    @Column(name = "request_hash", nullable = false, length = 64)
    private String requestHash;

    /** The JSON answer given the first time. */
    @Column(name = "response", nullable = false, length = 32000)
    private String response;

    protected RecordedAnswer() {
    }

    public RecordedAnswer(String requestHash) {
        this.requestHash = requestHash;
        this.response = "{}";
    }

    /** The JSON answer given the first time ("{}" before it was). */
    public String response() {
        return response;
    }

    /** Keeps the answer, so that replays get exactly the same one. */
    public void answer(String responseJson) {
        this.response = responseJson;
    }

    /** The recorded answer for a request with this fingerprint; empty when the request differs (a conflict). */
    public Optional<String> replay(String otherRequestHash) {
        return requestHash.equals(otherRequestHash) ? Optional.of(response) : Optional.empty();
    }
}
