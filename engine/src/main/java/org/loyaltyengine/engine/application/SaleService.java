package org.loyaltyengine.engine.application;

import java.util.Optional;
import java.util.function.Supplier;

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
        return record(command, null);
    }

    /** Records a sale a till sends again after a restore under the transaction id it had ({@code originalId}). */
    public SaleOutcome record(SaleCommand command, String originalId) {
        return recordOrReplay(() -> recorder.record(command, originalId), () -> recorder.replayOfRecorded(command));
    }

    /** Records a return of goods, or answers a replay of it. */
    public SaleOutcome recordReturn(ReturnCommand command) {
        return recordOrReplay(() -> returns.record(command), () -> returns.replayOfRecorded(command));
    }

    /** Records a redemption, or answers a replay of it. */
    public SaleOutcome redeem(RedemptionCommand command) {
        return redeem(command, null);
    }

    /** Records a redemption a till sends again after a restore under the id it had ({@code originalId}). */
    public SaleOutcome redeem(RedemptionCommand command, String originalId) {
        return recordOrReplay(() -> redemptions.record(command, originalId),
                () -> redemptions.replayOfRecorded(command));
    }

    /**
     * Cancels a redemption, or answers as the first time when it was cancelled already. Run again like a sale
     * when the database gave it up: a cancellation whose commit went through is then found cancelled.
     */
    public SaleOutcome cancelRedemption(RedemptionCancelCommand command) {
        return BusyRetry.callIdempotent(() -> redemptions.cancel(command));
    }

    /**
     * Records in a transaction of its own; when the database refuses it as a duplicate (another request recorded
     * the same id first), answers with what was recorded, in a new transaction. When the database gives the
     * transaction up to resolve a deadlock or a lock wait, nothing was written and {@link BusyRetry} runs it again;
     * the receipt's unique key keeps a retry from crediting twice. So it runs again too when the connection was
     * lost under it (PostgreSQL restarting, failing over): a sale whose commit went through is then found by its
     * receipt and answered as a replay.
     */
    private static SaleOutcome recordOrReplay(Supplier<SaleOutcome> record, Supplier<Optional<SaleOutcome>> replay) {
        return BusyRetry.callIdempotent(() -> {
            try {
                return record.get();
            } catch (PersistenceException | TransactionalException e) {
                if (ConstraintViolations.causedBy(e) && !ConstraintViolations.transientConflict(e)) {
                    return replay.get().orElseThrow(() -> e);
                }
                throw e;
            }
        });
    }

    /** What recording the sale would answer now; a read, run again like a sale when the database gave it up. */
    public SaleResult quote(SaleCommand command) {
        return BusyRetry.callIdempotent(() -> recorder.quote(command));
    }
}
