package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;

@ApplicationScoped
public class JpaProgrammeRepository implements ProgrammeRepository {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Override
    public Optional<Programme> findByCode(String code) {
        return em.createQuery("select p from Programme p where p.code = :code", Programme.class)
                .setParameter("code", code)
                .getResultStream().findFirst();
    }

    @Override
    public Programme require(long id) {
        return em.find(Programme.class, id);
    }

    @Override
    public List<Programme> findAll() {
        return em.createQuery("select p from Programme p order by p.code", Programme.class).getResultList();
    }

    @Override
    public void add(Programme programme) {
        em.persist(programme);
    }
}
