/** The load driver: many tills at once against running engine instances (benchmarks/load.sh). */
package org.loyaltyengine.benchmarks.load;
