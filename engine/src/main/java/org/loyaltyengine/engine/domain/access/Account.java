package org.loyaltyengine.engine.domain.access;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A person's login: an email, a password kept only as a salted PBKDF2 hash, a role and, for customers, the
 * member they are.
 */
@Entity
@Table(name = "account")
public class Account {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 254)
    private String email;

    @Column(name = "password_hash", nullable = false, length = 200)
    private String passwordHash;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Role role;

    @Column(name = "member_public_id", length = 40)
    private String memberPublicId;

    @Column(name = "failed_logins", nullable = false)
    private int failedLogins;

    @Column(name = "locked_until")
    private java.time.Instant lockedUntil;

    @Column(name = "programme_code", length = 32)
    private String programmeCode;

    protected Account() {
    }

    public Account(String email, String passwordHash, Role role, String programmeCode, String memberPublicId) {
        this.email = email.strip().toLowerCase(java.util.Locale.ROOT);
        this.passwordHash = passwordHash;
        this.role = role;
        this.programmeCode = programmeCode;
        this.memberPublicId = memberPublicId;
    }

    /** Whether sign-ins are refused now, after too many failures. */
    public boolean lockedAt(java.time.Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }

    public java.time.Instant lockedUntil() {
        return lockedUntil;
    }

    /** Counts a failed sign-in; the {@code limit}-th in a row locks the account for {@code lockFor}. */
    public void failedLogin(java.time.Instant now, int limit, java.time.Duration lockFor) {
        failedLogins++;
        if (failedLogins >= limit) {
            lockedUntil = now.plus(lockFor);
            failedLogins = 0;
        }
    }

    public void succeededLogin() {
        failedLogins = 0;
        lockedUntil = null;
    }

    /** Points the account at the member a duplicate was merged into, so the customer still signs in. */
    public void signInTo(String newMemberPublicId) {
        this.memberPublicId = newMemberPublicId;
    }

    public String email() {
        return email;
    }

    public String passwordHash() {
        return passwordHash;
    }

    public Role role() {
        return role;
    }

    public String memberPublicId() {
        return memberPublicId;
    }

    public String programmeCode() {
        return programmeCode;
    }
}
