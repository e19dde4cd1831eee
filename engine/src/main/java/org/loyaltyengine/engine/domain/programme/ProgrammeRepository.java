package org.loyaltyengine.engine.domain.programme;

import java.util.List;
import java.util.Optional;

/** Where programmes are kept. */
public interface ProgrammeRepository {

    Optional<Programme> findByCode(String code);

    /**
     * The programme, its row locked until the transaction ends: a delete of it waits for this transaction, and one
     * under way is waited for (the programme is then not found).
     */
    Optional<Programme> findByCodeLocked(String code);

    Programme require(long id);

    List<Programme> findAll();

    void add(Programme programme);

    /**
     * What the programme holds that is in its currency: a sale, a claim or an offer with a minimum spend,
     * described ("sales"), or empty when it holds none and its currency may still change.
     */
    Optional<String> moneyRecorded(Programme programme);

    /** How many members the programme has, merged ones included. */
    long members(Programme programme);

    /** The staff accounts that manage (or audit) this programme only, by email. */
    List<String> staffOf(String programmeCode);

    /**
     * Locks the programme's row against every write that refers to it, until the transaction ends: a write that
     * adds a member, a tier or a key to it waits, then fails on its foreign key if the programme was deleted.
     * PostgreSQL's {@code FOR UPDATE} does that alone; Derby's is an update lock that such a write's key check
     * still shares, so the row is also written (unchanged), which makes the lock exclusive.
     *
     * @return false when the programme's row is gone (deleted meanwhile)
     */
    boolean lockAgainstWrites(Programme programme);

    /**
     * Deletes a programme that has no members, with what only defines it: its rule set versions and their
     * publications, tiers, rewards, offers, stores, tills' keys and expiry runs. The audit trail keeps its events.
     */
    void delete(Programme programme);
}
