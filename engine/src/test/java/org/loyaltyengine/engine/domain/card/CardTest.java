package org.loyaltyengine.engine.domain.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.PersonalDetails;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeTerms;

class CardTest {

    private static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");

    @Test
    void aBlockedCardIsRefusedAtTheTillWithItsReasonUntilActivated() {
        Card card = card();

        card.block("lost on the bus", "manager@demo.local", NOW);

        assertThat(card.status()).isEqualTo(CardStatus.BLOCKED);
        assertThat(card.statusChangedBy()).isEqualTo("manager@demo.local");
        assertThatThrownBy(card::requireUsable).isInstanceOf(DomainException.class)
                .hasMessageContaining("lost on the bus")
                .extracting(e -> ((DomainException) e).code()).isEqualTo("card_blocked");
        card.activate("manager@demo.local", NOW);
        card.requireUsable();
    }

    @Test
    void aReplacedCardNamesTheLastDigitsOfItsReplacementAndCannotBeUsedOrChangedAgain() {
        Card card = card();

        Card replacement = card.replaceWith(CardNumber.parse("2900000000032"), "damaged", "manager", NOW);

        assertThat(replacement.member()).isSameAs(card.member());
        assertThat(replacement.status()).isEqualTo(CardStatus.ACTIVE);
        assertThat(card.replacedBy()).isEqualTo("2900000000032");
        assertThatThrownBy(card::requireUsable).hasMessageContaining("ending in 0032")
                .extracting(e -> ((DomainException) e).code()).isEqualTo("card_replaced");
        assertThatThrownBy(() -> card.activate("manager", NOW)).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> card.block("x", "manager", NOW)).isInstanceOf(DomainException.class);
    }

    @Test
    void aSaleRungUpBeforeTheCardWasBlockedOrReplacedStillEarnsOneRungUpAfterIsRefused() {
        Card blocked = card();
        Card replaced = card();
        blocked.block("lost", "manager", NOW);
        replaced.replaceWith(CardNumber.parse("2900000000032"), "damaged", "manager", NOW);

        for (Card card : new Card[] {blocked, replaced}) {
            card.requireUsableAt(NOW.minusSeconds(1));
            assertThatThrownBy(() -> card.requireUsableAt(NOW)).isInstanceOf(DomainException.class);
            assertThatThrownBy(() -> card.requireUsableAt(NOW.plusSeconds(60))).isInstanceOf(DomainException.class);
        }
        assertThatThrownBy(() -> blocked.requireUsableAt(NOW)).extracting(e -> ((DomainException) e).code())
                .isEqualTo("card_blocked");
        assertThatThrownBy(() -> replaced.requireUsableAt(NOW)).extracting(e -> ((DomainException) e).code())
                .isEqualTo("card_replaced");
    }

    @Test
    void blockingABlockedCardAgainKeepsItBlockedSinceTheFirstBlock() {
        Card card = card();
        card.block("lost", "manager", NOW);

        card.block("stolen, in fact", "auditor", NOW.plusSeconds(3_600));

        assertThat(card.statusReason()).isEqualTo("stolen, in fact");
        assertThat(card.statusChangedAt()).isEqualTo(NOW);
        assertThatThrownBy(() -> card.requireUsableAt(NOW.plusSeconds(1_800))).isInstanceOf(DomainException.class);
        card.requireUsableAt(NOW.minusSeconds(1));
    }

    @Test
    void aCardInUseEarnsOnSalesOfAnyTime() {
        Card card = card();
        card.requireUsableAt(NOW.minusSeconds(86_400));
        card.requireUsableAt(NOW.plusSeconds(60));

        card.block("lost", "manager", NOW);
        card.activate("manager", NOW.plusSeconds(3_600));

        card.requireUsableAt(NOW.plusSeconds(1_800));
        card.requireUsableAt(NOW.plusSeconds(7_200));
    }

    private static Card card() {
        Programme programme = new Programme(new ProgrammeTerms("DEMO", "Demo", "EUR", 730, 0, new BigDecimal("0.01"),
                365, ZoneId.of("Europe/Paris")), NOW);
        programme.addTier("BRONZE", "Bronze", 0);
        Member member = new Member("m-1", programme, new PersonalDetails("a@b.c", "A", "B", null),
                LocalDate.of(2026, 1, 1), NOW);
        return new Card(CardNumber.parse("2900000000018"), member, NOW);
    }
}
