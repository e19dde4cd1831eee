/** MicroProfile Health checks: live while the process serves, ready once the database and rule sets are. */
package org.loyaltyengine.engine.infrastructure.health;
