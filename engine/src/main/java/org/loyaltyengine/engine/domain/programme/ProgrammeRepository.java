package org.loyaltyengine.engine.domain.programme;

import java.util.List;
import java.util.Optional;

/** Where programmes are kept. */
public interface ProgrammeRepository {

    Optional<Programme> findByCode(String code);

    Programme require(long id);

    List<Programme> findAll();

    void add(Programme programme);

    /**
     * What the programme holds that is in its currency: a sale, a claim or an offer with a minimum spend,
     * described ("sales"), or empty when it holds none and its currency may still change.
     */
    Optional<String> moneyRecorded(Programme programme);
}
