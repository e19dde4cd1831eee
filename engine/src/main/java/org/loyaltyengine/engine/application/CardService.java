package org.loyaltyengine.engine.application;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.card.Card;
import org.loyaltyengine.engine.domain.card.CardNumber;
import org.loyaltyengine.engine.domain.card.CardRepository;
import org.loyaltyengine.engine.domain.ledger.Balance;
import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.member.Member;

/** Finds cards as tills see them: only the cards of the till's own programme exist for it. */
@ApplicationScoped
public class CardService {

    @Inject
    CardRepository cards;

    @Inject
    LedgerRepository ledger;

    @Inject
    Clock clock;

    @Inject
    OfferService offers;

    @Inject
    MemberAccountService accounts;

    /**
     * The card with this number in the programme.
     *
     * @throws DomainException {@code card_not_found} (404) for a number unknown in the programme, a malformed one
     *                         included (API.md: an unknown card is 404 {@code card_not_found}; the message says what
     *                         is wrong with it, a check digit mistyped most often)
     */
    public Card forTill(String programmeCode, String cardNumber) {
        CardNumber number;
        try {
            number = CardNumber.parse(cardNumber);
        } catch (DomainException malformed) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "card_not_found", "No card "
                    + (cardNumber == null ? "" : cardNumber.strip()) + " in programme " + programmeCode + ": "
                    + malformed.getMessage(), "cardNumber");
        }
        return cards.findByNumber(number)
                .filter(card -> card.member().programme().code().equals(programmeCode))
                .orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "card_not_found",
                        "No card " + number + " in programme " + programmeCode, "cardNumber"));
    }

    /**
     * What the member of a scanned card can take for points at the till: the programme's rewards of the day, each
     * said whether this member can take it now; a blocked or replaced card is refused (409), as at its look-up.
     */
    @Transactional
    public CardRewards rewards(String programmeCode, String cardNumber) {
        Card card = forTill(programmeCode, cardNumber);
        card.requireUsable();
        Member member = card.member();
        MemberAccountService.Rewards rewards = accounts.rewards(member);
        return new CardRewards(card.number().value(), member.displayName(), member.tierCode(), rewards.currency(),
                rewards.pointValue(), rewards.availablePoints(), rewards.rewards());
    }

    /** What a card's member can take for points, as the till says it: whose card, and each reward's standing. */
    public record CardRewards(String cardNumber, String displayName, String tier, String currency, String pointValue,
                              long availablePoints, java.util.List<MemberAccountService.Rewards.Reward> rewards) {
    }

    /** What the till shows for a scanned card; a blocked or replaced card is refused (409). */
    @Transactional
    public CardSummary summary(String programmeCode, String cardNumber) {
        Card card = forTill(programmeCode, cardNumber);
        card.requireUsable();
        Member member = card.member();
        Balance balance = ledger.spendable(member, member.programme().today(clock.instant()));
        return new CardSummary(card.number().value(), card.status().name(), member.publicId(),
                member.displayName(), member.tierCode(), balance.available(), balance.pending(),
                offers.summaries(member));
    }
}
