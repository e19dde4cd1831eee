/**
 * Work the engine does on a schedule (the expiry of points, the tier reviews, customer knowledge), on timers of
 * every instance, each period run by one instance of the cluster and recorded in the jobs' journal.
 */
package org.loyaltyengine.engine.infrastructure.schedule;
