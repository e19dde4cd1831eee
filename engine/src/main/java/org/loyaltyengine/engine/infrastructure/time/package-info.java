/** The clock every service asks for the time, so that expiry, pending periods and reviews can be tested. */
package org.loyaltyengine.engine.infrastructure.time;
