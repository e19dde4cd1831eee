/** Adapters of the engine to the outside: the database, the rule base, the clock, the data folder, security. */
package org.loyaltyengine.engine.infrastructure;
