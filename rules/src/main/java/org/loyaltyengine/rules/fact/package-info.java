/**
 * Immutable facts the rules reason over: the purchase and its lines, the member's profile and the tiers of
 * the programme. The engine maps its aggregates to these records; rules never see entities.
 */
package org.loyaltyengine.rules.fact;
