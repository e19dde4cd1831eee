/**
 * Sales recorded at the till. A sale is identified by (programme, store, receipt): the same key with the same
 * body is a replay that returns the first answer and credits nothing; with another body it is refused.
 */
package org.loyaltyengine.engine.domain.sale;
