/** Rewards a member takes for points, and the redemptions recorded at tills. */
package org.loyaltyengine.engine.domain.reward;
