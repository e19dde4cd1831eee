/**
 * The loyalty domain: programmes and their tiers, members and their cards, the append-only points ledger and
 * the sales it records. Aggregates change through verbs named in the domain's words; repositories are
 * interfaces implemented in {@code infrastructure.persistence}.
 */
package org.loyaltyengine.engine.domain;
