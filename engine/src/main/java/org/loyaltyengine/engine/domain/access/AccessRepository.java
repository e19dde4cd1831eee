package org.loyaltyengine.engine.domain.access;

import java.time.Instant;
import java.util.Optional;

/** Where accounts, POS keys and the sessions logged out of are kept. */
public interface AccessRepository {

    Optional<Account> findAccount(String email);

    /** The account, read again under a row lock held until the transaction ends (SELECT ... FOR UPDATE). */
    Optional<Account> lockAccount(String email);

    /**
     * The failures counted in a slot of attempts on what has no row of its own (an email of no account, a card's
     * claim), read under a row lock held until the transaction ends; empty when none was ever counted in it.
     */
    Optional<AttemptSlot> lockAttemptSlot(int slot);

    void add(AttemptSlot failures);

    Optional<PosKey> findPosKey(String keyHash);

    void add(Account account);

    void add(PosKey key);

    void remove(Account account);

    /** The programme's stores, by name. */
    java.util.List<Store> stores(String programmeCode);

    Optional<Store> store(String programmeCode, String storeId);

    void add(Store store);

    /** The programme's POS keys, newest first. */
    java.util.List<PosKey> posKeys(String programmeCode);

    /** The accounts of managers, auditors and administrators, by email. */
    java.util.List<Account> staff();

    /** How many administrators' accounts are not disabled. */
    long activeAdministrators();

    /** The customer accounts that sign in to a member. */
    java.util.List<Account> accountsOf(String memberPublicId);

    /**
     * Whether a session is still open as the database has it: the account of that exact email exists, its session
     * stamp is the one given ({@code null} for none, as on accounts made before version 22) and the session was not
     * logged out of ({@code sessionId} {@code null}: not asked).
     */
    boolean sessionOpen(String email, String sessionStamp, String sessionId);

    void add(EndedSession session);

    /** Whether the session was logged out of. */
    boolean sessionEnded(String sessionId);

    /** Deletes the records of sessions logged out of whose tokens expired before the instant; how many. */
    int forgetEndedSessions(Instant expiredBefore);
}
