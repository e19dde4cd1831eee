/**
 * What several engine instances share through Payara's own clustering (its Hazelcast data grid): which instance
 * runs a scheduled job of a period, and the news of a rule set published on one instance.
 */
package org.loyaltyengine.engine.infrastructure.cluster;
