package org.loyaltyengine.engine.domain.member;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.Tier;

/**
 * A member of one programme. The member's row is also the lock that serialises every change of the member's
 * points: services lock it before they read the balance and write the ledger, so that many terminals and many
 * engine instances never over-redeem or double-credit.
 */
@Entity
@Table(name = "member")
public class Member {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "public_id", nullable = false, unique = true, length = 40)
    private String publicId;

    @ManyToOne(optional = false)
    @JoinColumn(name = "programme_id")
    private Programme programme;

    @Column(length = 254)
    private String email;

    @Column(name = "first_name", length = 100)
    private String firstName;

    @Column(name = "last_name", length = 100)
    private String lastName;

    @Column(name = "birth_date")
    private LocalDate birthDate;

    @Column(name = "joined_on", nullable = false)
    private LocalDate joinedOn;

    @Column(name = "tier_code", nullable = false, length = 32)
    private String tierCode;

    @Column(name = "tier_since", nullable = false)
    private Instant tierSince;

    @Version
    private long version;

    protected Member() {
    }

    public Member(String publicId, Programme programme, PersonalDetails details, LocalDate joinedOn, Instant now) {
        this.publicId = publicId;
        this.programme = programme;
        this.email = details.email();
        this.firstName = details.firstName();
        this.lastName = details.lastName();
        this.birthDate = details.birthDate();
        this.joinedOn = joinedOn;
        this.tierCode = programme.entryTier().code();
        this.tierSince = now;
    }

    /** Moves the member up to a better tier at once; a tier that is not better is ignored. */
    public boolean promoteTo(Tier tier, Instant now) {
        int current = programme.tier(tierCode).map(Tier::rank).orElse(-1);
        if (tier.rank() <= current) {
            return false;
        }
        tierCode = tier.code();
        tierSince = now;
        return true;
    }

    /** The member's name as a cashier may say it: first name and the initial of the last name. */
    public String displayName() {
        String first = firstName == null ? "" : firstName;
        String initial = lastName == null || lastName.isBlank() ? "" : " " + lastName.charAt(0) + ".";
        return (first + initial).strip();
    }

    /** The next anniversary of joining, on which the yearly tier review happens. */
    public LocalDate nextReviewOn(LocalDate today) {
        LocalDate review = joinedOn.withYear(today.getYear());
        return review.isAfter(today) ? review : review.plusYears(1);
    }

    public Long id() {
        return id;
    }

    public String publicId() {
        return publicId;
    }

    public Programme programme() {
        return programme;
    }

    public String email() {
        return email;
    }

    public String firstName() {
        return firstName;
    }

    public String lastName() {
        return lastName;
    }

    public LocalDate birthDate() {
        return birthDate;
    }

    public LocalDate joinedOn() {
        return joinedOn;
    }

    public String tierCode() {
        return tierCode;
    }

    public Instant tierSince() {
        return tierSince;
    }
}
