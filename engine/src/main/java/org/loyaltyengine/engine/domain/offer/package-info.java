/**
 * Personal offers: what a programme's managers define ({@link org.loyaltyengine.engine.domain.offer.Offer}) and
 * what the incentive rules give each member ({@link org.loyaltyengine.engine.domain.offer.MemberOffer}).
 */
package org.loyaltyengine.engine.domain.offer;
