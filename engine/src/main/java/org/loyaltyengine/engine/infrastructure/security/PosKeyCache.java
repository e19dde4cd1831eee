package org.loyaltyengine.engine.infrastructure.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.infrastructure.cluster.ClusterCoordination;

/**
 * Resolves POS keys to tills. Every sale presents its key, so resolved keys are remembered for a short while
 * (30 s), without a database read per sale. A key revoked is forgotten at once by the instance that revoked it and,
 * told through the cluster, by the others; one that missed the news refuses it within those 30 s all the same.
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

    @Inject
    ClusterCoordination cluster;

    /** Keys revoked lately (hash to the end of their 30 s): read from the database until then, never cached. */
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

    @PostConstruct
    void followRevocations() {
        cluster.onKeyRevoked(this::forget);
    }

    /**
     * Forgets a key revoked here (after its transaction committed): on this instance at once, and on the others when
     * the cluster tells them. A look-up that read the key before the revocation committed does not put it back.
     */
    public void revoked(String keyHash) {
        forget(keyHash);
        cluster.announceKeyRevoked(keyHash);
    }

    void forget(String keyHash) {
        Instant now = clock.instant();
        revoked.values().removeIf(until -> !until.isAfter(now));
        revoked.put(keyHash, now.plus(TTL));
        byHash.remove(keyHash);
    }

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
        Instant tombstone = revoked.get(hash);
        if (tombstone != null && tombstone.isAfter(now)) {
            return caller;
        }
        if (byHash.size() > 10_000) {
            byHash.clear();
        }
        byHash.put(hash, new Entry(caller, now.plus(TTL)));
        Instant revokedLately = revoked.get(hash);
        if (revokedLately != null && revokedLately.isAfter(now)) {
            // Revoked while it was read: not kept.
            byHash.remove(hash);
        }
        return caller;
    }
}
