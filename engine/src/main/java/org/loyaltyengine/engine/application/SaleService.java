package org.loyaltyengine.engine.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.TransactionalException;

/**
 * Records sales and quotes them. Two tills (or two engine instances) racing with the same receipt both pass the
 * replay check; the database's unique key lets one insert win, and the loser is answered as a replay of the
 * winner (or refused as a conflict), never credited twice.
 */
@ApplicationScoped
public class SaleService {

    @Inject
    SaleRecorder recorder;

    @Inject
    ReturnRecorder returns;

    @Inject
    RedemptionRecorder redemptions;

    public SaleOutcome record(SaleCommand command) {
        try {
            return recorder.record(command);
        } catch (PersistenceException | TransactionalException e) {
            if (!ConstraintViolations.causedBy(e)) {
                throw e;
            }
            return recorder.replayOfRecorded(command).orElseThrow(() -> e);
        }
    }

    /** Records a return of goods, or answers a replay of it. */
    public SaleOutcome recordReturn(ReturnCommand command) {
        try {
            return returns.record(command);
        } catch (PersistenceException | TransactionalException e) {
            if (!ConstraintViolations.causedBy(e)) {
                throw e;
            }
            return returns.replayOfRecorded(command).orElseThrow(() -> e);
        }
    }

    /** Records a redemption, or answers a replay of it. */
    public SaleOutcome redeem(RedemptionCommand command) {
        try {
            return redemptions.record(command);
        } catch (PersistenceException | TransactionalException e) {
            if (!ConstraintViolations.causedBy(e)) {
                throw e;
            }
            return redemptions.replayOfRecorded(command).orElseThrow(() -> e);
        }
    }

    public SaleResult quote(SaleCommand command) {
        return recorder.quote(command);
    }
}
