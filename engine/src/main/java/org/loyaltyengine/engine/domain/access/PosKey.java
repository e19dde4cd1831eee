package org.loyaltyengine.engine.domain.access;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.loyaltyengine.engine.domain.programme.Programme;

/**
 * The key a till presents in {@code X-Api-Key}. Only its SHA-256 is stored: the key itself is shown once when it
 * is issued. A key belongs to one store of one programme and sees nothing else.
 */
@Entity
@Table(name = "pos_key")
public class PosKey {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "key_hash", nullable = false, unique = true, length = 64)
    private String keyHash;

    @ManyToOne(optional = false)
    @JoinColumn(name = "programme_id")
    private Programme programme;

    @Column(name = "store_id", nullable = false, length = 32)
    private String storeId;

    @Column(length = 200)
    private String label;

    @Column(name = "issued_at", nullable = false)
    private Instant issuedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected PosKey() {
    }

    public PosKey(String keyHash, Programme programme, String storeId, String label, Instant issuedAt) {
        this.keyHash = keyHash;
        this.programme = programme;
        this.storeId = storeId;
        this.label = label;
        this.issuedAt = issuedAt;
    }

    /** Stops the key working; its tills get 401 from the next call on (the key cache holds it 30 s at most). */
    public void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
        }
    }

    /** The key's SHA-256 (hex): what is kept of it, and what a till's key is looked up by. */
    public String keyHash() {
        return keyHash;
    }

    public Long id() {
        return id;
    }

    public String label() {
        return label;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant revokedAt() {
        return revokedAt;
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public Programme programme() {
        return programme;
    }

    public String storeId() {
        return storeId;
    }
}
