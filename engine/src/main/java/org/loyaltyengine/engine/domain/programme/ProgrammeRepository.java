package org.loyaltyengine.engine.domain.programme;

import java.util.List;
import java.util.Optional;

/** Where programmes are kept. */
public interface ProgrammeRepository {

    Optional<Programme> findByCode(String code);

    Programme require(long id);

    List<Programme> findAll();

    void add(Programme programme);
}
