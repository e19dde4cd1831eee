package org.loyaltyengine.engine.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;
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

    public SaleOutcome record(SaleCommand command) {
        try {
            return recorder.record(command);
        } catch (PersistenceException | TransactionalException e) {
            if (!isRollback(e)) {
                throw e;
            }
            return recorder.replayOfRecorded(command).orElseThrow(() -> e);
        }
    }

    public SaleResult quote(SaleCommand command) {
        return recorder.quote(command);
    }

    private static boolean isRollback(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLIntegrityConstraintViolationException
                    || cause instanceof RollbackException
                    || (cause instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
