package org.loyaltyengine.engine.application;

import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.infrastructure.persistence.Jdbc;

/**
 * Clean member data: imports from a spreadsheet's CSV with a report per rejected row, candidate duplicates for a
 * manager to merge, and the members a campaign may reach on a channel (consent given, address deliverable).
 */
@ApplicationScoped
public class MemberData {

    /** The most rows one import takes. */
    static final int MAX_ROWS = 50_000;

    /** How many members a campaign export reads per transaction. */
    static final int CAMPAIGN_PAGE = 5_000;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]{6,30}");
    private static final List<DateTimeFormatter> DATES = List.of(DateTimeFormatter.ISO_LOCAL_DATE,
            DateTimeFormatter.ofPattern("d/M/uuuu").withResolverStyle(ResolverStyle.STRICT));
    private static final Set<String> YES = Set.of("yes", "y", "true", "1", "oui", "x");
    private static final Set<String> NO = Set.of("no", "n", "false", "0", "non", "");

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Inject
    MemberAdministration administration;

    @Inject
    CustomerKnowledge knowledge;

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    @Inject
    MemberData self;

    @Inject
    Jdbc jdbc;

    /** A row the import refused, with the reason. */
    public record RejectedRow(int line, String field, String code, String message) {
    }

    /**
     * What an import did. {@code members} names each member enrolled and the card issued to them, in the file's
     * order, so that the cards can be printed or posted without looking each member up.
     */
    public record ImportReport(int rows, int imported, List<RejectedRow> rejected, List<DuplicatePair> duplicates,
                               List<ImportedMember> members) {
    }

    /** A row the import enrolled: its line in the file, the new member and the card issued to them. */
    public record ImportedMember(int line, String memberId, String cardNumber, String email, String firstName,
                                 String lastName) {
    }

    /**
     * Imports members from CSV text: a header row naming the columns (email, firstName, lastName, birthDate,
     * phone, postalAddress, consentEmail, consentSms, consentPost; any order, case and separator, ';' or ','),
     * then one member per row. Each valid row is enrolled with a new card in a transaction of its own; a row with an
     * error is reported and changes nothing. Re-importing the same file imports nothing twice: a row whose email is
     * already a member's is refused.
     */
    public ImportReport importCsv(Staff staff, String code, String csv) {
        staff.requireManages(code);
        knowledge.programme(code);
        List<List<String>> table = Csv.parse(csv == null ? "" : csv);
        if (table.isEmpty()) {
            throw DomainException.invalid("empty_import", "body", "The CSV holds no header row");
        }
        Map<String, Integer> columns = new HashMap<>();
        List<String> header = table.get(0);
        for (int i = 0; i < header.size(); i++) {
            columns.put(header.get(i).strip().toLowerCase(Locale.ROOT).replace("_", "").replace(" ", ""), i);
        }
        for (String needed : List.of("email", "firstname", "lastname")) {
            if (!columns.containsKey(needed)) {
                throw DomainException.invalid("missing_column", "body", "The header row has no column '" + needed
                        + "' (columns: email, firstName, lastName, birthDate, phone, postalAddress, consentEmail,"
                        + " consentSms, consentPost)");
            }
        }
        if (table.size() - 1 > MAX_ROWS) {
            throw DomainException.invalid("too_many_rows", "body", "An import takes at most " + MAX_ROWS + " rows; split"
                    + " the file");
        }
        List<RejectedRow> rejected = new ArrayList<>();
        List<ImportedMember> imported = new ArrayList<>();
        int rows = 0;
        for (int r = 1; r < table.size(); r++) {
            List<String> row = table.get(r);
            if (row.stream().allMatch(String::isBlank)) {
                continue;
            }
            rows++;
            int line = r + 1;
            try {
                MemberAdministration.NewMember member = new MemberAdministration.NewMember(
                        required(row, columns, "email", line), required(row, columns, "firstname", line),
                        required(row, columns, "lastname", line), birthDate(cell(row, columns, "birthdate"), line),
                        null, null, phone(cell(row, columns, "phone"), line));
                if (!EMAIL.matcher(member.email()).matches() || member.email().length() > 254) {
                    throw new RowError("email", "invalid_email", "'" + member.email() + "' is not an email address");
                }
                if (member.firstName().length() > 100 || member.lastName().length() > 100) {
                    throw new RowError("lastName", "too_long", "Names are at most 100 characters");
                }
                String address = cell(row, columns, "postaladdress");
                if (address != null && address.length() > 500) {
                    throw new RowError("postalAddress", "too_long", "An address is at most 500 characters");
                }
                MemberAdministration.Contact contact = new MemberAdministration.Contact(address,
                        flag(row, columns, "consentemail", line), flag(row, columns, "consentsms", line),
                        flag(row, columns, "consentpost", line), null, null);
                MemberAdministration.Enrolled enrolled = BusyRetry.call(() -> administration.enrol(staff, code,
                        member, contact));
                imported.add(new ImportedMember(line, enrolled.memberId(), enrolled.cardNumber(),
                        Member.emailKey(member.email()), member.firstName().strip(), member.lastName().strip()));
            } catch (RowError e) {
                rejected.add(new RejectedRow(line, e.field, e.code, e.getMessage()));
            } catch (DomainException e) {
                rejected.add(new RejectedRow(line, e.field(), e.code(), e.getMessage()));
            }
        }
        self.audit(staff, "MEMBERS_IMPORTED", code, code, rows + " rows, " + imported.size() + " imported, "
                + rejected.size() + " rejected");
        Set<String> importedIds = imported.stream().map(ImportedMember::memberId)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        List<DuplicatePair> duplicates = duplicates(staff, code).stream()
                .filter(pair -> importedIds.contains(pair.first().memberId())
                        || importedIds.contains(pair.second().memberId()))
                .toList();
        return new ImportReport(rows, imported.size(), rejected, duplicates, imported);
    }

    /** One side of a candidate duplicate. */
    public record MemberBrief(String memberId, String name, String email, LocalDate birthDate, String phone,
                              LocalDate joinedOn) {
    }

    /** Two members who may be one person, and why. */
    public record DuplicatePair(MemberBrief first, MemberBrief second, List<String> reasons) {
    }

    /**
     * Candidate duplicates among the programme's active members: the same email; the same name (ignoring case,
     * accents and spacing) with the same birth date or phone; names within two letters of each other with the same
     * birth date or phone. Members are compared within groups of the same email, birth date or phone (groups of more
     * than 200 are too common to tell anything), so the search stays linear in the members; the first 1,000 pairs
     * (by member) are returned.
     *
     * <p>The members are read as the database sorts them by email, then by birth date, with only the few columns
     * compared and shown, and only one group is held at a time; phones, whose last digits SQL cannot sort in the
     * same way on every database, are first read as numbers to find the ones shared. A programme of a million
     * members took more than the engine's heap when it was read whole as members.
     */
    @Transactional
    public List<DuplicatePair> duplicates(Staff staff, String code) {
        staff.requireManages(code);
        Programme programme = knowledge.programme(code);
        Pairs pairs = new Pairs(1_000);
        try (Connection connection = jdbc.connection()) {
            eachGroup(connection, programme.id(), "email_key", candidate -> candidate.emailKey,
                    group -> pairs.compare('e', group));
            eachGroup(connection, programme.id(), "birth_date", candidate -> candidate.birthDate,
                    group -> pairs.compare('b', group));
            Set<Long> shared = sharedPhones(connection, programme.id());
            if (!shared.isEmpty()) {
                Map<Long, List<Candidate>> byPhone = new HashMap<>();
                // Only the members with a phone are read; a number written the same way by 200 members or more
                // (a shop's) is skipped, as large groups are in the other passes.
                eachGroup(connection, programme.id(), "phone", candidate -> candidate.phone, group -> {
                    for (Candidate candidate : group) {
                        Long phone = phoneKey(candidate.phone);
                        if (phone != null && shared.contains(phone)) {
                            byPhone.computeIfAbsent(phone, k -> new ArrayList<>()).add(candidate);
                        }
                    }
                });
                byPhone.values().forEach(group -> pairs.compare('p', group));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the members of programme " + code + " failed", e);
        }
        return pairs.list();
    }

    /** A member as the duplicate search reads it: what is compared and shown. */
    private record Candidate(long id, String publicId, String firstName, String lastName, String email, String emailKey,
                             LocalDate birthDate, String phone, LocalDate joinedOn, String name) {

        MemberBrief brief() {
            return new MemberBrief(publicId, Member.displayName(firstName, lastName), email, birthDate, phone,
                    joinedOn);
        }
    }

    /**
     * Reads the programme's active members whose {@code column} is set, sorted by it, and hands each group of equal
     * keys (of 200 members at most: larger groups are skipped) to the consumer.
     */
    private static void eachGroup(Connection connection, long programmeId, String column,
                                  Function<Candidate, Object> key,
                                  Consumer<List<Candidate>> consumer) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT id, public_id, first_name, last_name, email,"
                + " email_key, birth_date, phone, joined_on FROM member WHERE programme_id = ? AND status = 'ACTIVE'"
                + " AND " + column + " IS NOT NULL ORDER BY " + column + ", id")) {
            query.setLong(1, programmeId);
            query.setFetchSize(2_000);
            try (ResultSet rows = query.executeQuery()) {
                List<Candidate> group = new ArrayList<>();
                Object current = null;
                boolean tooLarge = false;
                while (rows.next()) {
                    Candidate candidate = new Candidate(rows.getLong(1), rows.getString(2), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getString(6), localDate(rows.getDate(7)),
                            rows.getString(8), localDate(rows.getDate(9)),
                            normalisedName(rows.getString(3), rows.getString(4)));
                    Object value = key.apply(candidate);
                    if (!value.equals(current)) {
                        if (!tooLarge && !group.isEmpty()) {
                            consumer.accept(group);
                        }
                        group = new ArrayList<>();
                        current = value;
                        tooLarge = false;
                    }
                    if (group.size() == 200) {
                        tooLarge = true;
                        group.clear();
                    } else if (!tooLarge) {
                        group.add(candidate);
                    }
                }
                if (!tooLarge && !group.isEmpty()) {
                    consumer.accept(group);
                }
            }
        }
    }

    private static LocalDate localDate(java.sql.Date date) {
        return date == null ? null : date.toLocalDate();
    }

    /** The phones (as {@link #phoneKey}) that two or more of the programme's active members share. */
    private static Set<Long> sharedPhones(Connection connection, long programmeId) throws SQLException {
        long[] keys = new long[1_024];
        int count = 0;
        try (PreparedStatement query = connection.prepareStatement("SELECT phone FROM member WHERE programme_id = ?"
                + " AND status = 'ACTIVE' AND phone IS NOT NULL")) {
            query.setLong(1, programmeId);
            query.setFetchSize(10_000);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Long key = phoneKey(rows.getString(1));
                    if (key != null) {
                        if (count == keys.length) {
                            keys = Arrays.copyOf(keys, count * 2);
                        }
                        keys[count++] = key;
                    }
                }
            }
        }
        Arrays.sort(keys, 0, count);
        Set<Long> shared = new HashSet<>();
        for (int i = 1; i < count; i++) {
            if (keys[i] == keys[i - 1]) {
                shared.add(keys[i]);
            }
        }
        return shared;
    }

    /** A phone's last 6 to 9 digits as one number (their count in front: "012345" is not "12345"), or null. */
    private static Long phoneKey(String phone) {
        String digits = lastDigits(phone);
        return digits == null ? null : digits.length() * 1_000_000_000L + Long.parseLong(digits);
    }

    /** The pairs found so far, the first {@code limit} by member ids only. */
    private static final class Pairs {

        private final int limit;
        private final TreeMap<String, DuplicatePair> found = new TreeMap<>();

        Pairs(int limit) {
            this.limit = limit;
        }

        /** Compares every two members of a group; {@code group} says what they share (e, b or p). */
        void compare(char group, List<Candidate> members) {
            for (int i = 0; i < members.size(); i++) {
                for (int j = i + 1; j < members.size(); j++) {
                    Candidate a = members.get(i);
                    Candidate b = members.get(j);
                    List<String> reasons = reasons(group, a.name(), b.name());
                    if (reasons.isEmpty()) {
                        continue;
                    }
                    Candidate first = a.id() < b.id() ? a : b;
                    Candidate second = first == a ? b : a;
                    String key = first.id() + "-" + second.id();
                    if (found.size() == limit && key.compareTo(found.lastKey()) > 0) {
                        continue;
                    }
                    DuplicatePair known = found.get(key);
                    List<String> all = new ArrayList<>(known == null ? List.of() : known.reasons());
                    reasons.stream().filter(reason -> !all.contains(reason)).forEach(all::add);
                    found.put(key, new DuplicatePair(first.brief(), second.brief(), all));
                    if (found.size() > limit) {
                        found.pollLastEntry();
                    }
                }
            }
        }

        List<DuplicatePair> list() {
            return List.copyOf(found.values());
        }
    }

    private static List<String> reasons(char group, String nameA, String nameB) {
        int distance = org.loyaltyengine.rules.EditDistance.between(nameA, nameB, 2);
        List<String> reasons = new ArrayList<>();
        String shared = switch (group) {
            case 'b' -> "birth date";
            case 'p' -> "phone";
            default -> null;
        };
        if (shared == null) {
            reasons.add("same email");
        } else if (distance == 0) {
            reasons.add("same name and " + shared);
        } else if (distance <= 2 && Math.min(nameA.length(), nameB.length()) >= 5) {
            reasons.add("similar names (" + distance + " letter" + (distance > 1 ? "s" : "") + " apart) and same "
                    + shared);
        }
        return reasons;
    }

    /** A name compared ignoring case, accents, punctuation and spacing: "Zoé  Dupont-Martin" is "zoe dupont martin". */
    static String normalisedName(String firstName, String lastName) {
        return Member.fold((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName));
    }

    /**
     * The programme's active members a campaign may reach on a channel ({@code email}, {@code sms} or {@code post}):
     * consent given for it, the address known and not flagged undeliverable; in a segment when one is given.
     * Written as CSV for a campaign tool; the export is recorded in the audit trail once written.
     *
     * <p>The caller's rights, the programme and the channel are checked now, so that a refusal is answered before
     * anything is written; the list is read when written ({@link CampaignList#writeTo}), {@link #CAMPAIGN_PAGE}
     * members at a time, each page in a short transaction of its own. A programme of a million members then neither
     * fills the memory (the whole list as members and one string took more than the engine's heap, and the engine
     * stopped serving anyone while it collected garbage) nor keeps a transaction open while a slow client downloads.
     */
    @Transactional
    public CampaignList campaign(Staff staff, String code, String segment, String channel) {
        staff.requireManages(code);
        Programme programme = knowledge.programme(code);
        if (!List.of("email", "sms", "post").contains(channel)) {
            throw DomainException.invalid("channel", "A campaign channel is email, sms or post");
        }
        String wanted = segment == null || segment.isBlank() ? null : segment.strip().toLowerCase(Locale.ROOT);
        if (wanted != null) {
            // Segments are kept in lower case ("VIP: M>=4" is vip): a name typed otherwise, or one the programme does
            // not define, was an empty campaign without a word.
            List<String> names = org.loyaltyengine.engine.domain.knowledge.SegmentDefinitions.of(
                    programme.segmentDefinitions()).names();
            if (!names.contains(wanted)) {
                throw DomainException.invalid("segment_not_found", "segment", "Programme " + code + " has no segment "
                        + segment.strip() + "; its segments are " + String.join(", ", names));
            }
        }
        return new CampaignList(staff, code, programme.id(), wanted, channel);
    }

    /** A campaign's list, read and written page by page ({@link #campaign}). */
    public final class CampaignList {

        private final Staff staff;
        private final String code;
        private final long programmeId;
        private final String segment;
        private final String channel;

        private CampaignList(Staff staff, String code, long programmeId, String segment, String channel) {
            this.staff = staff;
            this.code = code;
            this.programmeId = programmeId;
            this.segment = segment;
            this.channel = channel;
        }

        /** Writes the CSV, header first; records the export in the audit trail, with how far it got. */
        public void writeTo(Writer out) throws IOException {
            int count = 0;
            boolean whole = false;
            try {
                out.write(Csv.row("memberId", "firstName", "lastName", switch (channel) {
                    case "email" -> "email";
                    case "sms" -> "phone";
                    default -> "postalAddress";
                }, "tier", "segment", "favouriteCategory"));
                long after = Long.MIN_VALUE;
                List<Object[]> page;
                do {
                    page = self.campaignPage(programmeId, channel, segment, after);
                    for (Object[] row : page) {
                        out.write(Csv.row((String) row[1], (String) row[2], (String) row[3], (String) row[4],
                                (String) row[5], (String) row[6], (String) row[7]));
                        after = ((Number) row[0]).longValue();
                        count++;
                    }
                } while (page.size() == CAMPAIGN_PAGE);
                out.flush();
                whole = true;
            } finally {
                self.audit(staff, "CAMPAIGN_EXPORTED", code, segment == null ? "all" : segment, count
                        + " members reachable by " + channel + (whole ? "" : " (the download stopped there)"));
            }
        }
    }

    /** The page of a campaign's list after a member id: id, then the CSV's columns. */
    @Transactional
    public List<Object[]> campaignPage(long programmeId, String channel, String segment, long after) {
        String reachable = switch (channel) {
            case "email" -> "m.consent_email = 1 AND m.email_undeliverable = 0 AND m.email IS NOT NULL";
            case "sms" -> "m.consent_sms = 1 AND m.phone IS NOT NULL";
            default -> "m.consent_post = 1 AND m.post_undeliverable = 0 AND m.postal_address IS NOT NULL";
        };
        String address = switch (channel) {
            case "email" -> "m.email";
            case "sms" -> "m.phone";
            default -> "m.postal_address";
        };
        jakarta.persistence.Query query = em.createNativeQuery("SELECT m.id, m.public_id, m.first_name, m.last_name, "
                + address + ", m.tier_code, s.segment, s.favourite_category FROM member m"
                + " LEFT OUTER JOIN member_score s ON s.member_id = m.id"
                + " WHERE m.programme_id = ? AND m.status = 'ACTIVE' AND m.id > ? AND " + reachable
                + (segment == null ? "" : " AND s.segment = ?")
                + " ORDER BY m.id FETCH FIRST " + CAMPAIGN_PAGE + " ROWS ONLY")
                .setParameter(1, programmeId)
                .setParameter(2, after);
        if (segment != null) {
            query.setParameter(3, segment);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows;
    }

    /** Records an action in the audit trail, in the caller's transaction or a new one. */
    @Transactional
    public void audit(Staff staff, String action, String code, String subject, String detail) {
        audit.record(new AuditEvent(clock.instant(), staff.name(), action, code, subject, detail));
    }

    private static String lastDigits(String phone) {
        if (phone == null) {
            return null;
        }
        String digits = phone.replaceAll("[^0-9]", "");
        return digits.length() < 6 ? null : digits.substring(Math.max(0, digits.length() - 9));
    }

    private static String cell(List<String> row, Map<String, Integer> columns, String name) {
        Integer index = columns.get(name);
        if (index == null || index >= row.size()) {
            return null;
        }
        String value = row.get(index).strip();
        return value.isEmpty() ? null : value;
    }

    private static String required(List<String> row, Map<String, Integer> columns, String name, int line) {
        String value = cell(row, columns, name);
        if (value == null) {
            throw new RowError(name.equals("firstname") ? "firstName" : name.equals("lastname") ? "lastName" : name,
                    "missing_value", "Line " + line + " has no " + name);
        }
        return name.equals("email") ? value.toLowerCase(Locale.ROOT) : value;
    }

    private static LocalDate birthDate(String value, int line) {
        if (value == null) {
            return null;
        }
        for (DateTimeFormatter format : DATES) {
            try {
                LocalDate date = LocalDate.parse(value, format);
                if (!date.isBefore(LocalDate.now()) || date.isBefore(LocalDate.of(1900, 1, 1))) {
                    throw new RowError("birthDate", "invalid_date", "Line " + line + ": a birth date between 1900"
                            + " and today, was " + value);
                }
                return date;
            } catch (DateTimeParseException e) {
                // the next format
            }
        }
        throw new RowError("birthDate", "invalid_date", "Line " + line + ": '" + value + "' is not a date"
                + " (YYYY-MM-DD or DD/MM/YYYY)");
    }

    private static String phone(String value, int line) {
        if (value != null && !PHONE.matcher(value).matches()) {
            throw new RowError("phone", "invalid_phone", "Line " + line + ": '" + value + "' is not a phone number");
        }
        return value;
    }

    private static Boolean flag(List<String> row, Map<String, Integer> columns, String name, int line) {
        String value = cell(row, columns, name);
        String lower = value == null ? "" : value.toLowerCase(Locale.ROOT);
        if (YES.contains(lower)) {
            return true;
        }
        if (NO.contains(lower)) {
            return false;
        }
        throw new RowError(name, "invalid_flag", "Line " + line + ": '" + value + "' is not yes or no");
    }

    /** A row's error: reported, and the row skipped. */
    private static final class RowError extends RuntimeException {

        private final String field;
        private final String code;

        RowError(String field, String code, String message) {
            super(message, null, false, false);
            this.field = field;
            this.code = code;
        }
    }

    /** Minimal RFC 4180 CSV: quoted fields with separators, quotes and line breaks; ';' or ',' from the header. */
    static final class Csv {

        private Csv() {
        }

        static List<List<String>> parse(String text) {
            String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
            int firstLine = body.indexOf('\n');
            String header = firstLine < 0 ? body : body.substring(0, firstLine);
            char separator = header.chars().filter(c -> c == ';').count() > header.chars().filter(c -> c == ',')
                    .count() ? ';' : ',';
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < body.length() && body.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == separator) {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < body.length() && body.charAt(i + 1) == '\n') {
                        i++;
                    }
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else {
                    field.append(c);
                }
            }
            if (field.length() > 0 || !row.isEmpty()) {
                row.add(field.toString());
                rows.add(row);
            }
            return rows;
        }

        /** One CSV row; fields with separators, quotes or line breaks are quoted, formula starts are defused. */
        static String row(String... values) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    line.append(',');
                }
                String value = values[i] == null ? "" : values[i];
                if (!value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !value.matches("[+-]?[0-9 ]+")) {
                    value = "'" + value;
                }
                if (value.matches("(?s).*[,\"\\r\\n].*")) {
                    value = "\"" + value.replace("\"", "\"\"") + "\"";
                }
                line.append(value);
            }
            return line.append("\r\n").toString();
        }
    }
}
