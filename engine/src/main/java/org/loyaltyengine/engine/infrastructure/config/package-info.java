/** The engine's configuration and its data folder (database, signing key, lock). */
package org.loyaltyengine.engine.infrastructure.config;
