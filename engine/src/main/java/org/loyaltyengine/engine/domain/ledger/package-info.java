/**
 * The points ledger: an append-only journal of every change of a member's points (earn, redeem, reversal,
 * expiry, adjustment, merge transfer), and the lots that earned points are spent and expired from. Entries are
 * created by named factories and never updated; a member's balance is derived from the lots.
 */
package org.loyaltyengine.engine.domain.ledger;
