/** Loyalty cards: their EAN-13 numbers in the in-store range, and their life (active, blocked, replaced). */
package org.loyaltyengine.engine.domain.card;
