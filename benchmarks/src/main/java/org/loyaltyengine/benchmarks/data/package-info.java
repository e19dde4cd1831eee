/**
 * Synthetic programme data at retail scale (a million members, tens of millions of purchases) and the benchmarks
 * that run on it: see benchmarks/knowledge.sh.
 */
package org.loyaltyengine.benchmarks.data;
