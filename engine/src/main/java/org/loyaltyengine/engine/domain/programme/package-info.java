/** Loyalty programmes: their currency, point value, expiry and pending periods, and their tiers. */
package org.loyaltyengine.engine.domain.programme;
