package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.Account;
import org.loyaltyengine.engine.domain.access.Role;
import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;
import org.loyaltyengine.engine.infrastructure.security.PasswordHasher;

/**
 * The engine's staff as its administrators manage them: programme managers, auditors and administrators are
 * created with a first password, given a role and the one programme they manage (or every programme), disabled
 * and enabled again, and given a new password when they lost theirs. Every change is in the audit trail, under the
 * staff member's email and the programme they manage. Who may call this (administrators only) is the API's check.
 *
 * <p>The engine always keeps an administrator who can sign in: the last one is neither disabled nor given another
 * role, and nobody disables or demotes their own account.
 */
@ApplicationScoped
public class StaffAdministration {

    @Inject
    AccessRepository access;

    @Inject
    ProgrammeRepository programmes;

    @Inject
    AuditTrail audit;

    @Inject
    StaffAdministration self;

    @Inject
    Clock clock;

    /** A staff account as the back office shows it; never its password. */
    public record StaffView(String email, String role, String programme, String status, Instant disabledAt,
                            Instant lockedUntil) {
    }

    /** What a new staff member is given: {@code programme} {@code null} for every programme. */
    public record NewStaff(String email, String password, String role, String programme) {
    }

    /** Every staff account, by email. */
    @Transactional
    public List<StaffView> list() {
        return access.staff().stream().map(StaffAdministration::view).toList();
    }

    @Transactional
    public StaffView find(String email) {
        return view(staffAccount(email));
    }

    /**
     * @throws DomainException {@code email_taken} (409) when any account (staff or customer) signs in with the
     *                         email, even one made at the same moment on another instance; {@code invalid_field}
     *                         (400) for a role other than MANAGER, AUDITOR or ADMIN, or a programme given to an
     *                         administrator; {@code programme_not_found} (422) for an unknown programme
     */
    public StaffView create(Staff by, NewStaff staff) {
        try {
            return self.insert(by, staff);
        } catch (RuntimeException e) {
            if (ConstraintViolations.duplicateKey(e)) {
                throw emailTaken(staff.email());
            }
            throw e;
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public StaffView insert(Staff by, NewStaff staff) {
        String email = key(staff.email());
        Role role = role(staff.role());
        // Hashed first: the programme's row is locked from the next line to the commit, and the tills' sales wait
        // for it on PostgreSQL.
        String hash = PasswordHasher.hash(staff.password());
        String programme = programme(role, staff.programme());
        if (access.findAccount(email).isPresent()) {
            throw emailTaken(email);
        }
        Account account = new Account(email, hash, role, programme, null);
        access.add(account);
        record(by, "STAFF_CREATED", account, describe(role, programme));
        return view(account);
    }

    /**
     * Gives the person another role or programme; their tokens carry it from their next call on.
     *
     * @throws DomainException {@code last_administrator} (409) when it would leave no administrator able to sign
     *                         in, {@code own_account} (409) on one's own account, and as {@link #create}
     */
    @Transactional
    public StaffView appoint(Staff by, String email, String newRole, String newProgramme) {
        Account account = staffAccount(email);
        Role role = role(newRole);
        String programme = programme(role, newProgramme);
        if (role == account.role() && java.util.Objects.equals(programme, account.programmeCode())) {
            return view(account);
        }
        refuseOwn(by, account, "change the role of");
        if (account.role() == Role.ADMIN && role != Role.ADMIN && !account.isDisabled()) {
            requireAnotherAdministrator(account);
        }
        String before = describe(account.role(), account.programmeCode());
        account.appoint(role, programme);
        record(by, "STAFF_CHANGED", account, describe(role, programme) + " (was " + before + ")");
        return view(account);
    }

    /**
     * Stops the account signing in; the tokens it holds are refused from their next call on.
     *
     * @throws DomainException {@code last_administrator} or {@code own_account} (409)
     */
    @Transactional
    public StaffView disable(Staff by, String email) {
        Account account = staffAccount(email);
        if (account.isDisabled()) {
            return view(account);
        }
        refuseOwn(by, account, "disable");
        if (account.role() == Role.ADMIN) {
            requireAnotherAdministrator(account);
        }
        account.disable(clock.instant());
        // Its tokens are refused while it is disabled, and do not come back when it is enabled again.
        account.endSessions();
        record(by, "STAFF_DISABLED", account, describe(account.role(), account.programmeCode()));
        return view(account);
    }

    @Transactional
    public StaffView enable(Staff by, String email) {
        Account account = staffAccount(email);
        if (account.isDisabled()) {
            account.enable();
            record(by, "STAFF_ENABLED", account, describe(account.role(), account.programmeCode()));
        }
        return view(account);
    }

    /**
     * Sets the person's password (they change it later themselves); a lock after failed sign-ins ends, and so do
     * the sessions signed in before.
     */
    @Transactional
    public StaffView setPassword(Staff by, String email, String password) {
        Account account = staffAccount(email);
        account.passwordSetByAdministrator(PasswordHasher.hash(password));
        // The sessions signed in with the old password end, as at a change of one's own (within the recheck time).
        account.endSessions();
        record(by, "STAFF_PASSWORD_SET", account, "A new password, set by " + by.name());
        return view(account);
    }

    /** The changes made to the staff member's account, newest first. */
    @Transactional
    public List<MemberAdministration.AuditLine> audit(String email) {
        Account account = staffAccount(email);
        return audit.about(account.email()).stream().filter(event -> event.action().startsWith("STAFF_"))
                .map(event -> new MemberAdministration.AuditLine(event.occurredAt(), event.actor(), event.action(),
                        event.subject(), event.detail())).toList();
    }

    /** What {@link #firstAdministrator} did. */
    public enum FirstAdministrator { CREATED, ADMINISTRATOR_EXISTS, EMAIL_TAKEN, CREATED_ELSEWHERE }

    /**
     * Creates the engine's first administrator on an install that has none. Instances starting together may each
     * try: the email's unique key lets one create it, and the others see {@code CREATED_ELSEWHERE}.
     */
    public FirstAdministrator firstAdministrator(String email, String password) {
        try {
            return self.insertFirstAdministrator(email, password);
        } catch (RuntimeException e) {
            if (ConstraintViolations.duplicateKey(e)) {
                return FirstAdministrator.CREATED_ELSEWHERE;
            }
            throw e;
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public FirstAdministrator insertFirstAdministrator(String email, String password) {
        if (access.activeAdministrators() > 0) {
            return FirstAdministrator.ADMINISTRATOR_EXISTS;
        }
        if (access.findAccount(key(email)).isPresent()) {
            return FirstAdministrator.EMAIL_TAKEN;
        }
        Account account = new Account(key(email), PasswordHasher.hash(password), Role.ADMIN, null, null);
        access.add(account);
        audit.record(new AuditEvent(clock.instant(), "system", "STAFF_CREATED", null, account.email(),
                "ADMIN of every programme: the first administrator, from LOYALTY_ADMIN_EMAIL"));
        return FirstAdministrator.CREATED;
    }

    @Transactional
    public boolean hasAdministrator() {
        return access.activeAdministrators() > 0;
    }

    private Account staffAccount(String email) {
        return access.findAccount(key(email)).filter(Account::isStaff)
                .orElseThrow(() -> DomainException.notFound("staff_not_found", "No staff account " + email));
    }

    private void requireAnotherAdministrator(Account account) {
        if (access.activeAdministrators() <= 1) {
            throw DomainException.conflict("last_administrator", account.email() + " is the last administrator who"
                    + " can sign in: make another administrator first");
        }
    }

    private static void refuseOwn(Staff by, Account account, String what) {
        if (account.email().equals(key(by.name()))) {
            throw DomainException.conflict("own_account", "Nobody may " + what + " their own account: ask another"
                    + " administrator");
        }
    }

    private static Role role(String role) {
        try {
            Role parsed = Role.valueOf(role.strip().toUpperCase(Locale.ROOT));
            if (parsed != Role.CUSTOMER) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw DomainException.invalid("role", "A staff member's role is MANAGER, AUDITOR or ADMIN, not " + role);
    }

    /** The programme a role is given, as stored: {@code null} for every programme. */
    private String programme(Role role, String programme) {
        if (programme == null || programme.isBlank()) {
            return null;
        }
        if (role == Role.ADMIN) {
            throw DomainException.invalid("programme", "An administrator runs every programme: give no programme");
        }
        String code = programme.strip().toUpperCase(Locale.ROOT);
        // Locked: a delete of the programme at the same moment either waits and then finds this account among its
        // staff (409 programme_has_staff), or is waited for, and the programme is not found.
        return programmes.findByCodeLocked(code).orElseThrow(() -> DomainException.unprocessable(
                "programme_not_found", "programme", "No programme " + code)).code();
    }

    private static String describe(Role role, String programme) {
        return role + (programme == null ? " of every programme" : " of " + programme);
    }

    private void record(Staff by, String action, Account account, String detail) {
        audit.record(new AuditEvent(clock.instant(), by.name(), action, account.programmeCode(), account.email(),
                detail));
    }

    private static DomainException emailTaken(String email) {
        return new DomainException(DomainException.Kind.CONFLICT, "email_taken", "An account signs in with "
                + key(email) + " already", "email");
    }

    private static String key(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    static StaffView view(Account account) {
        return new StaffView(account.email(), account.role().name(), account.programmeCode(),
                account.isDisabled() ? "DISABLED" : "ACTIVE", account.disabledAt(), account.lockedUntil());
    }
}
