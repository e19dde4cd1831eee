package org.loyaltyengine.engine.domain.member;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.QueryHint;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.Tier;

/**
 * A member of one programme. The member's row is also the lock that serialises every change of the member's
 * points: services lock it before they read the balance and write the ledger, so that many terminals and many
 * engine instances never over-redeem or double-credit.
 */
@Entity
@Table(name = "member")
@NamedQuery(name = Member.LOCK, query = "select m from Member m where m.id = :id", hints = {
        @QueryHint(name = "eclipselink.pessimistic-lock", value = "Lock"),
        @QueryHint(name = "eclipselink.refresh", value = "true")})
public class Member {

    /**
     * The member's row, read again under a row lock (SELECT ... FOR UPDATE) held until commit. Named, so that
     * EclipseLink builds its SQL once rather than on every sale; the lock is EclipseLink's hint, as a JPA lock
     * mode on a named query makes EclipseLink build the SQL again on every call all the same.
     */
    public static final String LOCK = "Member.lock";

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

    /** The address in lower case, what a look-up by email compares (indexed with the programme). */
    @Column(name = "email_key", length = 254)
    private String emailKey;

    @Column(name = "first_name", length = 100)
    private String firstName;

    @Column(name = "last_name", length = 100)
    private String lastName;

    /** The names as the desk searches them ({@link #folded}), kept with them (migration V34). */
    @Column(name = "first_folded", length = 100)
    private String firstFolded;

    @Column(name = "last_folded", length = 100)
    private String lastFolded;

    @Column(name = "birth_date")
    private LocalDate birthDate;

    /** Digits only, with a leading + when international: to find the member at the desk. */
    @Column(length = 32)
    private String phone;

    @Column(name = "joined_on", nullable = false)
    private LocalDate joinedOn;

    /** The day (in the programme's zone) the member closed their account; null while it is open. */
    @Column(name = "closed_on")
    private LocalDate closedOn;

    @Column(name = "tier_code", nullable = false, length = 32)
    private String tierCode;

    @Column(name = "tier_since", nullable = false)
    private Instant tierSince;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private MemberStatus status = MemberStatus.ACTIVE;

    /**
     * For a duplicate found later, the member that holds its account: the one it was merged into, or the one that
     * member was merged into in turn since. One link always leads to the account kept.
     */
    @ManyToOne
    @JoinColumn(name = "merged_into")
    private Member mergedInto;

    /**
     * How many duplicates were merged into this member. Their points were moved here, but their qualifying points
     * and purchases still count towards this member's tier: only a member with merged duplicates needs the walk
     * over them on every sale.
     */
    @Column(name = "merged_accounts", nullable = false)
    private int mergedAccounts;

    /**
     * Points a return or a debit took beyond what the member's lots held: the balance below zero. New credits
     * repay it first; while anything is owed the member has nothing to spend.
     */
    @Column(name = "points_owed", nullable = false)
    private long pointsOwed;

    @Column(name = "last_review_on")
    private LocalDate lastReviewOn;

    @Column(name = "postal_address", length = 500)
    private String postalAddress;

    /** Addresses found undeliverable (a bounce, a returned letter): left out of every mailing. */
    @Column(name = "email_undeliverable", nullable = false)
    private short emailUndeliverable;

    @Column(name = "post_undeliverable", nullable = false)
    private short postUndeliverable;

    /** What the member agreed to receive campaigns by. */
    @Column(name = "consent_email", nullable = false)
    private short consentEmail;

    @Column(name = "consent_sms", nullable = false)
    private short consentSms;

    @Column(name = "consent_post", nullable = false)
    private short consentPost;

    @Version
    private long version;

    protected Member() {
    }

    public Member(String publicId, Programme programme, PersonalDetails details, LocalDate joinedOn, Instant now) {
        this.publicId = publicId;
        this.programme = programme;
        this.email = details.email();
        this.emailKey = emailKey(details.email());
        this.firstName = details.firstName();
        this.lastName = details.lastName();
        this.firstFolded = folded(firstName);
        this.lastFolded = folded(lastName);
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

    /** Puts the member in a tier by hand, up or down (a manager's correction): the caller records why. */
    public void setTier(Tier tier, Instant now) {
        tierCode = tier.code();
        tierSince = now;
    }

    /** Raises the member's tier to another member's when it is better: used when duplicates are merged. */
    public void keepBetterTierOf(Member other, Instant now) {
        programme.tier(other.tierCode).ifPresent(tier -> promoteTo(tier, now));
    }

    /** Records points taken beyond what the lots held. */
    public void owe(long points) {
        if (points < 0) {
            throw new IllegalArgumentException("Owed points are positive, was " + points);
        }
        pointsOwed += points;
    }

    /** Repays what is owed from up to {@code points} new points; returns how many were used. */
    public long repay(long points) {
        long used = Math.min(points, pointsOwed);
        pointsOwed -= used;
        return used;
    }

    /**
     * Marks this member as merged into another; from now on the other member holds its cards and points, and those
     * of the duplicates merged into this one before ({@code duplicates}, each of which now names the other member as
     * the account kept).
     *
     * @throws DomainException {@code merge_invalid} for a merge into itself, across programmes, or of a member
     *                         already merged
     */
    public void mergeInto(Member target, List<Member> duplicates) {
        if (target == this || (id != null && id.equals(target.id))) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "merge_invalid",
                    "A member cannot be merged into itself", "from");
        }
        boolean sameProgramme = target.programme == programme
                || (programme.id() != null && programme.id().equals(target.programme.id()));
        if (!sameProgramme) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "merge_invalid", "Member " + publicId
                    + " belongs to programme " + programme.code() + ", member " + target.publicId + " to "
                    + target.programme.code(), "from");
        }
        requireActive("from");
        target.requireActive(null);
        for (Member duplicate : duplicates) {
            boolean mine = duplicate.mergedInto == this
                    || (id != null && duplicate.mergedInto != null && id.equals(duplicate.mergedInto.id));
            if (!mine) {
                throw new IllegalArgumentException("Member " + duplicate.publicId + " was not merged into " + publicId);
            }
        }
        status = MemberStatus.MERGED;
        mergedInto = target;
        target.mergedAccounts++;
        for (Member duplicate : duplicates) {
            duplicate.mergedInto = target;
            target.mergedAccounts++;
            mergedAccounts--;
        }
    }

    /**
     * Closes the account at the member's request: name, email and birth date are erased; the ledger, the sales
     * and the totals stay as they were, tied to an anonymous member, who was a member until {@code today}.
     */
    public void close(LocalDate today) {
        requireActive(null);
        status = MemberStatus.CLOSED;
        closedOn = today;
        email = null;
        emailKey = null;
        phone = null;
        firstName = "Closed";
        lastName = "account";
        firstFolded = folded(firstName);
        lastFolded = folded(lastName);
        birthDate = null;
    }

    /** @throws DomainException {@code member_merged} or {@code member_closed} (409) unless the member is active */
    public void requireActive(String field) {
        if (status == MemberStatus.CLOSED) {
            throw new DomainException(DomainException.Kind.CONFLICT, "member_closed", "Member " + publicId
                    + " closed their account", field);
        }
        if (status == MemberStatus.MERGED) {
            throw new DomainException(DomainException.Kind.CONFLICT, "member_merged", "Member " + publicId
                    + " was merged into member " + mergedInto.publicId, field);
        }
    }

    /** The member that now holds this one's account: itself, or the member it was merged into. */
    public Member current() {
        Member member = this;
        while (member.mergedInto != null) {
            member = member.mergedInto;
        }
        return member;
    }

    /**
     * Moves the member down one tier at the yearly review (never more than one level at a time).
     *
     * @return the tier the member is in now, empty when already in the entry tier
     */
    public Optional<Tier> demoteOneLevel(Instant now) {
        int current = programme.tier(tierCode).map(Tier::rank).orElse(0);
        Optional<Tier> below = programme.tiers().stream().filter(tier -> tier.rank() == current - 1).findFirst();
        below.ifPresent(tier -> {
            tierCode = tier.code();
            tierSince = now;
        });
        return below;
    }

    /**
     * Records that the yearly review ran on a day: it runs once per member per day, and never for a day before the
     * last one it ran on (a late run catching an anniversary up finds the member reviewed since).
     */
    public boolean reviewedOn(LocalDate day) {
        if (lastReviewOn != null && !day.isAfter(lastReviewOn)) {
            return false;
        }
        lastReviewOn = day;
        return true;
    }

    /** The member's name as a cashier may say it: first name and the initial of the last name. */
    public String displayName() {
        return displayName(firstName, lastName);
    }

    /** How a member is named on the pages and to the tills: the first name and the last name's initial. */
    /**
     * A name as the desk searches it: lower case, without accents, punctuation and spacing one blank ("José-Luis"
     * is "jose luis"); {@code null} for none. At most 100 characters, as the name.
     */
    public static String folded(String name) {
        String folded = fold(name);
        return folded == null || folded.length() <= 100 ? folded : folded.substring(0, 100);
    }

    /**
     * A text compared ignoring case, accents, punctuation and spacing: "Zoé  Dupont-Martin" is "zoe dupont martin"
     * (the desk's search, the duplicates' finder); {@code null} for none.
     */
    public static String fold(String text) {
        if (text == null) {
            return null;
        }
        String plain = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return plain.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    public static String displayName(String firstName, String lastName) {
        String first = firstName == null ? "" : firstName;
        String initial = lastName == null || lastName.isBlank() ? "" : " " + firstLetter(lastName.strip()) + ".";
        return (first + initial).strip();
    }

    /** The first letter as a reader sees it: a letter outside the basic plane, or with its accents, stays whole. */
    private static String firstLetter(String name) {
        java.text.BreakIterator letters = java.text.BreakIterator.getCharacterInstance(java.util.Locale.ROOT);
        letters.setText(name);
        return name.substring(0, letters.next());
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

    /** The key a look-up by email compares: the address in lower case, or null for none. */
    public static String emailKey(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
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

    public String phone() {
        return phone;
    }

    public String postalAddress() {
        return postalAddress;
    }

    public void postalAddress(String address) {
        this.postalAddress = address;
    }

    /** The member's consent per campaign channel; {@code null} leaves a channel as it is. */
    public void consent(Boolean email, Boolean sms, Boolean post) {
        if (email != null) {
            consentEmail = (short) (email ? 1 : 0);
        }
        if (sms != null) {
            consentSms = (short) (sms ? 1 : 0);
        }
        if (post != null) {
            consentPost = (short) (post ? 1 : 0);
        }
    }

    /** Flags addresses found undeliverable (or clears the flag once corrected); {@code null} leaves one as it is. */
    public void undeliverable(Boolean email, Boolean post) {
        if (email != null) {
            emailUndeliverable = (short) (email ? 1 : 0);
        }
        if (post != null) {
            postUndeliverable = (short) (post ? 1 : 0);
        }
    }

    public Contactability contactability() {
        return new Contactability(consentEmail != 0, consentSms != 0, consentPost != 0, emailUndeliverable != 0,
                postUndeliverable != 0);
    }

    /** Whether and how the member may be reached by a campaign. */
    public record Contactability(boolean consentEmail, boolean consentSms, boolean consentPost,
                                 boolean emailUndeliverable, boolean postUndeliverable) {

        /** Whether a campaign on the channel (email, sms, post) may reach the member. */
        public boolean reachableBy(String channel, Member member) {
            return switch (channel) {
                case "email" -> consentEmail && !emailUndeliverable && member.email() != null;
                case "sms" -> consentSms && member.phone() != null;
                case "post" -> consentPost && !postUndeliverable && member.postalAddress() != null;
                default -> false;
            };
        }
    }

    /** Records the member's phone, kept in a searchable form (digits, and a leading +). */
    public void callOn(String number) {
        this.phone = normalisedPhone(number);
    }

    /** A phone number as stored and searched: "+33 6 12-34" becomes "+33612 34" without spaces or dashes. */
    public static String normalisedPhone(String number) {
        if (number == null || number.isBlank()) {
            return null;
        }
        String digits = number.replaceAll("[^0-9]", "");
        return (number.strip().startsWith("+") ? "+" : "") + digits;
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

    public MemberStatus status() {
        return status;
    }

    /** Whether duplicates were merged into this member (whose history then counts as this member's). */
    public boolean hasMergedAccounts() {
        return mergedAccounts > 0;
    }

    public Optional<Member> mergedInto() {
        return Optional.ofNullable(mergedInto);
    }

    public long pointsOwed() {
        return pointsOwed;
    }
}
