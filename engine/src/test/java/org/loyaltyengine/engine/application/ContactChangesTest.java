package org.loyaltyengine.engine.application;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.loyaltyengine.engine.domain.member.Member;

/** What the audit trail says of a change of a member's contact data: the changes only, in words, no address. */
class ContactChangesTest {

    @Test
    void eachChangeIsSaidOnceAndTheAddressIsNamedNotCopied() {
        Member.Contactability before = new Member.Contactability(true, false, true, false, false);
        Member.Contactability after = new Member.Contactability(false, false, true, false, true);

        assertThat(MemberAdministration.contactChanges(before, after, true))
                .isEqualTo("email consent yes -> no; post undeliverable no -> yes; postal address changed");
        assertThat(MemberAdministration.contactChanges(before, before, false)).as("nothing changed").isEmpty();
    }
}
