/**
 * What rules decide. Rules insert these records; the engine reads them back after firing and records them
 * (on the ledger, on the member). Derived facts that other rules build on, such as {@link
 * org.loyaltyengine.rules.decision.BasePoints}, live here too.
 */
package org.loyaltyengine.rules.decision;
