/**
 * JPA (EclipseLink) implementations of the domain's repositories, the schema migrations run at start-up, and the
 * demo programme seeded on an empty database.
 */
package org.loyaltyengine.engine.infrastructure.persistence;
