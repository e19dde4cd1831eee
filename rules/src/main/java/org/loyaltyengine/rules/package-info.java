/**
 * The rule base: compiles a programme's rule set (DRL and decision tables) into a Drools KieBase and fires
 * it on facts to produce decisions. Rules see immutable facts ({@link org.loyaltyengine.rules.fact}) and
 * insert decisions ({@link org.loyaltyengine.rules.decision}); the engine records what the rules decided.
 */
package org.loyaltyengine.rules;
