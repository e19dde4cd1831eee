package org.loyaltyengine.engine.infrastructure.rules;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.application.CardService;
import org.loyaltyengine.engine.application.SaleCommand;
import org.loyaltyengine.engine.application.SaleRecorder;
import org.loyaltyengine.engine.domain.sale.Receipt;
import org.loyaltyengine.engine.domain.sale.SaleLine;

/**
 * Quotes one made-up basket on a card of each programme once the engine has started, so that the queries, the
 * rule sessions and the JSON of a sale are loaded before the first till asks: a till waits well under a second,
 * and the first sale after a restart must not be the one that times out. A quote writes nothing.
 */
@Singleton
@Startup
@DependsOn("RuleSetRegistry")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SalePathWarmUp {

    private static final Logger LOG = Logger.getLogger(SalePathWarmUp.class.getName());

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Inject
    SaleRecorder recorder;

    @Inject
    CardService cards;

    @Inject
    Clock clock;

    @PostConstruct
    void warmUp() {
        long started = System.nanoTime();
        try (Jsonb json = JsonbBuilder.create()) {
            List<Object[]> programmeCards = em.createQuery("select min(c.number), c.member.programme.code,"
                    + " c.member.programme.currency from Card c where c.status = :active"
                    + " group by c.member.programme.code, c.member.programme.currency", Object[].class)
                    .setParameter("active", org.loyaltyengine.engine.domain.card.CardStatus.ACTIVE)
                    .getResultList();
            for (Object[] row : programmeCards) {
                String card = (String) row[0];
                String programme = (String) row[1];
                try {
                    for (int i = 0; i < 3; i++) {
                        OffsetDateTime at = OffsetDateTime.ofInstant(clock.instant().minusSeconds(60),
                                ZoneOffset.UTC);
                        SaleCommand quote = new SaleCommand(programme, new Receipt("WARM-UP", "T0", "WARM-UP-" + i,
                                card, at.toInstant(), (String) row[2], List.of(new SaleLine("WARM-UP", "grocery", 1,
                                new BigDecimal("1.00")))), at, 0, List.of());
                        json.toJson(recorder.quote(quote));
                        json.toJson(cards.summary(programme, card));
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "Warming the sale path of " + programme + " stopped early", e);
                }
            }
            LOG.info(() -> "Sale path warmed on " + programmeCards.size() + " programme(s) in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
        } catch (Exception e) {
            // A programme in another currency, a card that cannot buy: the real sales will tell.
            LOG.log(Level.FINE, "Warming the sale path stopped early", e);
        }
    }
}
