package org.loyaltyengine.engine.api;

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
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.validation.Validator;

import org.loyaltyengine.engine.application.CardService;
import org.loyaltyengine.engine.application.SaleCommand;
import org.loyaltyengine.engine.application.SaleRecorder;
import org.loyaltyengine.engine.domain.card.CardStatus;

/**
 * Goes once through everything a till's sale goes through before the engine reports ready: the request's JSON
 * read and validated as the API reads it, a quote, a card look-up, and a sale recorded in full (every insert and
 * update) then rolled back, on a card of each programme. The first sale after a restart must not be the one that
 * loads the classes, statements, rule sessions, JSON bindings and constraints of the path (a third of a second
 * and more on two cores) and overruns the till's time budget. Nothing is written.
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
    Validator validator;

    @Inject
    Clock clock;

    @PostConstruct
    void warmUp() {
        long started = System.nanoTime();
        int rehearsed = 0;
        Jsonb json = JsonbConfiguration.JSONB;
        try {
            List<Object[]> programmeCards = em.createQuery("select min(c.number), c.member.programme.code,"
                    + " c.member.programme.currency from Card c where c.status = :active"
                    + " group by c.member.programme.code, c.member.programme.currency", Object[].class)
                    .setParameter("active", CardStatus.ACTIVE)
                    .getResultList();
            for (Object[] row : programmeCards) {
                String card = (String) row[0];
                String programme = (String) row[1];
                try {
                    for (int i = 0; i < 3; i++) {
                        SaleCommand sale = command(json, programme, card, (String) row[2], i);
                        json.toJson(recorder.quote(sale));
                        json.toJson(cards.summary(programme, card));
                        recorder.rehearse(sale);
                        rehearsed++;
                    }
                } catch (RuntimeException | ReflectiveOperationException e) {
                    // A programme in another currency, a card that cannot buy: the real sales will tell.
                    LOG.log(Level.FINE, "Warming the sale path of " + programme + " stopped early", e);
                }
            }
            int sales = rehearsed;
            LOG.info(() -> "Sale path warmed on " + programmeCards.size() + " programme(s), " + sales
                    + " sale(s) rehearsed and rolled back, in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Warming the sale path stopped early", e);
        }
    }

    /** A made-up basket, read from JSON, validated and made a sale as {@code POST /pos/transactions} does. */
    private SaleCommand command(Jsonb json, String programme, String card, String currency, int i)
            throws ReflectiveOperationException {
        OffsetDateTime at = OffsetDateTime.ofInstant(clock.instant().minusSeconds(60), ZoneOffset.UTC);
        SaleRequest request = json.fromJson("{\"cardNumber\":\"" + card + "\",\"storeId\":\"WARM-UP\","
                + "\"terminalId\":\"T0\",\"receiptId\":\"WARM-UP-" + i + "\",\"occurredAt\":\"" + at + "\","
                + "\"currency\":\"" + currency + "\",\"lines\":[{\"sku\":\"WARM-UP\",\"category\":\"grocery\","
                + "\"quantity\":1,\"unitPrice\":\"10.00\"}],\"redeemPoints\":0,\"offerIds\":[]}", SaleRequest.class);
        validator.forExecutables().validateParameters(new PosResource(),
                PosResource.class.getMethod("record", SaleRequest.class), new Object[] {request});
        return PosResource.command(programme, request);
    }
}
