/**
 * The engine's scheduled work (the expiry of points, the yearly tier reviews, the nightly customer knowledge):
 * when each job runs ({@link org.loyaltyengine.engine.domain.job.JobSchedule}) and the journal of its runs
 * ({@link org.loyaltyengine.engine.domain.job.JobRun}), in which the database holds each period's run once for the
 * whole cluster.
 */
package org.loyaltyengine.engine.domain.job;
