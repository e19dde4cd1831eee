/** What the programme knows of its members: recency, frequency, monetary scores, segments, attrition risk. */
package org.loyaltyengine.engine.domain.knowledge;
