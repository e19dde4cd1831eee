/** The record of who did what in the administration. */
package org.loyaltyengine.engine.domain.audit;
