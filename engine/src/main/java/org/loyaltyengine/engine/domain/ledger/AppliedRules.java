package org.loyaltyengine.engine.domain.ledger;

import java.util.List;

/**
 * The rules' shares of an earn entry, as one value: the entry's row keeps them in one column, so that an earn
 * writes one row however many rules applied. Entries other than earns have none.
 */
public record AppliedRules(List<AppliedRule> shares) {

    public static final AppliedRules NONE = new AppliedRules(List.of());

    public AppliedRules {
        shares = List.copyOf(shares);
    }
}
