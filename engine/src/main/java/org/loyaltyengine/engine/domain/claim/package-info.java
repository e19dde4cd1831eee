/** Missing-points claims: made by members, resolved by managers. */
package org.loyaltyengine.engine.domain.claim;
