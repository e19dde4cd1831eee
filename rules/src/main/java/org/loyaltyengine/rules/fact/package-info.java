/**
 * Immutable facts the rules reason over: the purchase and its lines, the member's profile and the tiers of
 * the programme. The engine maps its aggregates to these records; rules never see entities. Each line of
 * the purchase is also a fact of its own, so that rules on SKUs and categories match lines directly.
 */
package org.loyaltyengine.rules.fact;
