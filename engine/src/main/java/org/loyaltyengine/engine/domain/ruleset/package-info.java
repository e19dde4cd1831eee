/**
 * Versions of a programme's rule set: the DRL files and decision tables managers write, numbered, authored and
 * commented, of which exactly one is published (live) at a time.
 */
package org.loyaltyengine.engine.domain.ruleset;
