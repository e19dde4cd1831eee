/** Members of a programme: who they are, their tier and when they joined. */
package org.loyaltyengine.engine.domain.member;
