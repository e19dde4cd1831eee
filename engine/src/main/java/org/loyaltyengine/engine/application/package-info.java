/**
 * One service per use case (recording a sale, looking a card up, showing a member their account, logging in,
 * enrolling a member). Services run in a transaction, take command records, and return results shaped like the
 * contract's answers.
 */
package org.loyaltyengine.engine.application;
