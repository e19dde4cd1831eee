/**
 * The adapter to the rule base: compiles each programme's published rule set version at start-up and keeps the
 * compiled set ready, swapped atomically when a new version is published.
 */
package org.loyaltyengine.engine.infrastructure.rules;
