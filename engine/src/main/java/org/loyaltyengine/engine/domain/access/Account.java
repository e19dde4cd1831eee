package org.loyaltyengine.engine.domain.access;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

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
 * member they are. Its session stamp, a random value every token signed in to it carries, ends all its sessions
 * when it is renewed: a changed password does so. Staff accounts (managers, auditors, administrators) are
 * made, changed and disabled by an administrator; a disabled account neither signs in nor uses its tokens.
 */
@Entity
@Table(name = "account")
public class Account {

    private static final SecureRandom RANDOM = new SecureRandom();

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

    /** Null on accounts made before version 22 whose sessions were never ended: their tokens carry no stamp. */
    @Column(name = "session_stamp", length = 32)
    private String sessionStamp;

    @Column(name = "disabled_at")
    private java.time.Instant disabledAt;

    /** The hash of the one-time code the service desk gave to reset a forgotten password, while it may be used. */
    @Column(name = "reset_code_hash", length = 200)
    private String resetCodeHash;

    @Column(name = "reset_code_expires_at")
    private java.time.Instant resetCodeExpiresAt;

    protected Account() {
    }

    public Account(String email, String passwordHash, Role role, String programmeCode, String memberPublicId) {
        this.email = email.strip().toLowerCase(java.util.Locale.ROOT);
        this.passwordHash = passwordHash;
        this.role = role;
        this.programmeCode = programmeCode;
        this.memberPublicId = memberPublicId;
        this.sessionStamp = newStamp();
    }

    /** Whether sign-ins are refused now, after too many failures. */
    public boolean lockedAt(java.time.Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }

    public java.time.Instant lockedUntil() {
        return lockedUntil;
    }

    /**
     * Counts an attempt to prove the password (or a reset code) as failed before it is checked, so that attempts made
     * at the same moment are each counted; the {@code limit}-th in a row locks the account for {@code lockFor}. A
     * right password then starts the count again and lifts the lock its own attempt set ({@link #succeededLogin}).
     */
    public void attemptSignIn(java.time.Instant now, int limit, java.time.Duration lockFor) {
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

    /**
     * Sets a new password (its hash) and ends every session signed in with the old one; a failed sign-in count
     * starts again.
     */
    public void changePassword(String newPasswordHash) {
        this.passwordHash = Objects.requireNonNull(newPasswordHash, "newPasswordHash");
        succeededLogin();
        endSessions();
        forgetResetCode();
    }

    /** A reset code issued before no longer works (it was used, or the password was remembered). */
    public void forgetResetCode() {
        resetCodeHash = null;
        resetCodeExpiresAt = null;
    }

    /** Keeps the hash of a new reset code, valid until {@code expiresAt}; a code given before no longer works. */
    public void expectResetCode(String codeHash, java.time.Instant expiresAt) {
        this.resetCodeHash = Objects.requireNonNull(codeHash, "codeHash");
        this.resetCodeExpiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The hash of the reset code that may be used at {@code now}, or null when none may. */
    public String resetCodeHashAt(java.time.Instant now) {
        return resetCodeHash != null && resetCodeExpiresAt != null && resetCodeExpiresAt.isAfter(now)
                ? resetCodeHash : null;
    }

    /** Ends every session signed in so far: their tokens carry the stamp this replaces. */
    public void endSessions() {
        sessionStamp = newStamp();
    }

    /** Points the account at the member a duplicate was merged into, so the customer still signs in. */
    public void signInTo(String newMemberPublicId) {
        this.memberPublicId = newMemberPublicId;
    }

    /**
     * Gives a staff account its role and the one programme it manages ({@code null}: every programme). Its tokens
     * carry the new role from their next call on.
     */
    public void appoint(Role newRole, String newProgrammeCode) {
        if (newRole == Role.CUSTOMER || role == Role.CUSTOMER) {
            throw new IllegalArgumentException("A customer's account is not a staff account");
        }
        this.role = newRole;
        this.programmeCode = newProgrammeCode;
    }

    /** Stops the account signing in, and its tokens working; a second time keeps the first moment. */
    public void disable(java.time.Instant now) {
        if (disabledAt == null) {
            disabledAt = now;
        }
    }

    /** Lets a disabled account sign in again. */
    public void enable() {
        disabledAt = null;
    }

    public boolean isDisabled() {
        return disabledAt != null;
    }

    public java.time.Instant disabledAt() {
        return disabledAt;
    }

    /** A password an administrator sets for the person (who changes it later); a lock from failures ends. */
    public void passwordSetByAdministrator(String newPasswordHash) {
        this.passwordHash = newPasswordHash;
        succeededLogin();
    }

    public boolean isStaff() {
        return role != Role.CUSTOMER;
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

    /** The stamp the account's tokens carry, {@code null} on an account made before version 22 (see the field). */
    public String sessionStamp() {
        return sessionStamp;
    }

    /** 128 random bits, 22 characters: a stamp no earlier account with the same email had. */
    private static String newStamp() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }
}
