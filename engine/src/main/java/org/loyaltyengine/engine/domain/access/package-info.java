/**
 * Who may call the engine: people's accounts (customers, programme managers, auditors, administrators) with
 * hashed passwords, and POS keys, each belonging to one store of one programme and stored only as a hash.
 */
package org.loyaltyengine.engine.domain.access;
