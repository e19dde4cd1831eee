/** Work the engine does on a schedule: the expiry of points. */
package org.loyaltyengine.engine.infrastructure.schedule;
