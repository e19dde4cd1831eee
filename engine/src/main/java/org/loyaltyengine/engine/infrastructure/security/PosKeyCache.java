package org.loyaltyengine.engine.infrastructure.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.loyaltyengine.engine.domain.access.AccessRepository;

/**
 * Resolves POS keys to tills. Every sale presents its key, so resolved keys are remembered for a short while
 * (30 s): a revoked key stops working within that time on every instance, without a database read per sale.
 */
@ApplicationScoped
public class PosKeyCache {

    private static final Duration TTL = Duration.ofSeconds(30);

    private record Entry(Optional<Caller> caller, Instant until) {
    }

    private final Map<String, Entry> byHash = new ConcurrentHashMap<>();

    @Inject
    AccessRepository access;

    @Inject
    Clock clock;

    /** Forgets the keys of a deleted programme on this instance (the others', 30 s after they were read). */
    public void forgetProgramme(String programmeCode) {
        byHash.values().removeIf(entry -> entry.caller().map(caller -> programmeCode.equals(caller.programmeCode()))
                .orElse(false));
    }

    public Optional<Caller> find(String apiKey) {
        String hash = ApiKeys.hash(apiKey);
        Instant now = clock.instant();
        Entry cached = byHash.get(hash);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.caller();
        }
        Optional<Caller> caller = access.findPosKey(hash)
                .filter(key -> !key.isRevoked())
                .map(key -> Caller.till(key.programme().code(), key.storeId()));
        if (byHash.size() > 10_000) {
            byHash.clear();
        }
        byHash.put(hash, new Entry(caller, now.plus(TTL)));
        return caller;
    }
}
