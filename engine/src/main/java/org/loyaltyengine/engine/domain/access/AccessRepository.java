package org.loyaltyengine.engine.domain.access;

import java.util.Optional;

/** Where accounts and POS keys are kept. */
public interface AccessRepository {

    Optional<Account> findAccount(String email);

    Optional<PosKey> findPosKey(String keyHash);

    void add(Account account);

    void add(PosKey key);

    void remove(Account account);

    /** The programme's POS keys, newest first. */
    java.util.List<PosKey> posKeys(String programmeCode);

    /** The customer accounts that sign in to a member. */
    java.util.List<Account> accountsOf(String memberPublicId);
}
