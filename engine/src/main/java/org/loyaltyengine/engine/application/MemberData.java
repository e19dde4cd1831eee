package org.loyaltyengine.engine.application;

import java.text.Normalizer;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.domain.knowledge.MemberScore;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberStatus;
import org.loyaltyengine.engine.domain.programme.Programme;

/**
 * Clean member data: imports from a spreadsheet's CSV with a report per rejected row, candidate duplicates for a
 * manager to merge, and the members a campaign may reach on a channel (consent given, address deliverable).
 */
@ApplicationScoped
public class MemberData {

    /** The most rows one import takes. */
    static final int MAX_ROWS = 50_000;

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

    /** A row the import refused, with the reason. */
    public record RejectedRow(int line, String field, String code, String message) {
    }

    /** What an import did. */
    public record ImportReport(int rows, int imported, List<RejectedRow> rejected, List<DuplicatePair> duplicates) {
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
        List<String> imported = new ArrayList<>();
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
                imported.add(BusyRetry.call(() -> administration.enrol(staff, code, member, contact)).memberId());
            } catch (RowError e) {
                rejected.add(new RejectedRow(line, e.field, e.code, e.getMessage()));
            } catch (DomainException e) {
                rejected.add(new RejectedRow(line, e.field(), e.code(), e.getMessage()));
            }
        }
        self.audit(staff, "MEMBERS_IMPORTED", code, code, rows + " rows, " + imported.size() + " imported, "
                + rejected.size() + " rejected");
        Set<String> importedIds = Set.copyOf(imported);
        List<DuplicatePair> duplicates = duplicates(staff, code).stream()
                .filter(pair -> importedIds.contains(pair.first().memberId())
                        || importedIds.contains(pair.second().memberId()))
                .toList();
        return new ImportReport(rows, imported.size(), rejected, duplicates);
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
     * birth date or phone. Members are compared within groups of the same email, birth date or phone, so the search
     * stays linear in the members.
     */
    @Transactional
    public List<DuplicatePair> duplicates(Staff staff, String code) {
        staff.requireManages(code);
        Programme programme = knowledge.programme(code);
        List<Member> members = em.createQuery("select m from Member m where m.programme = :p and m.status = :active"
                        + " order by m.id", Member.class)
                .setParameter("p", programme).setParameter("active", MemberStatus.ACTIVE).getResultList();
        Map<String, List<Member>> groups = new HashMap<>();
        for (Member member : members) {
            if (member.email() != null) {
                groups.computeIfAbsent("e:" + member.email().strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(member);
            }
            if (member.birthDate() != null) {
                groups.computeIfAbsent("b:" + member.birthDate(), k -> new ArrayList<>()).add(member);
            }
            String phone = lastDigits(member.phone());
            if (phone != null) {
                groups.computeIfAbsent("p:" + phone, k -> new ArrayList<>()).add(member);
            }
        }
        Map<String, DuplicatePair> pairs = new TreeMap<>();
        for (Map.Entry<String, List<Member>> group : groups.entrySet()) {
            List<Member> same = group.getValue();
            if (same.size() < 2 || same.size() > 200) {
                continue;
            }
            for (int i = 0; i < same.size(); i++) {
                for (int j = i + 1; j < same.size(); j++) {
                    Member a = same.get(i);
                    Member b = same.get(j);
                    List<String> reasons = reasons(group.getKey().charAt(0), a, b);
                    if (!reasons.isEmpty()) {
                        String key = a.id() < b.id() ? a.id() + "-" + b.id() : b.id() + "-" + a.id();
                        DuplicatePair known = pairs.get(key);
                        List<String> all = new ArrayList<>(known == null ? List.of() : known.reasons());
                        reasons.stream().filter(reason -> !all.contains(reason)).forEach(all::add);
                        Member first = a.id() < b.id() ? a : b;
                        Member second = first == a ? b : a;
                        pairs.put(key, new DuplicatePair(brief(first), brief(second), all));
                    }
                }
            }
        }
        return pairs.values().stream().limit(1_000).toList();
    }

    private static List<String> reasons(char group, Member a, Member b) {
        String nameA = normalisedName(a);
        String nameB = normalisedName(b);
        int distance = distance(nameA, nameB, 2);
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
    static String normalisedName(Member member) {
        String name = (member.firstName() == null ? "" : member.firstName()) + " "
                + (member.lastName() == null ? "" : member.lastName());
        String plain = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return plain.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    /** The edit distance between two strings, or {@code limit + 1} as soon as it exceeds the limit. */
    static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) {
            return limit + 1;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int best = current[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                best = Math.min(best, current[j]);
            }
            if (best > limit) {
                return limit + 1;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[b.length()], limit + 1);
    }

    /**
     * The programme's active members a campaign may reach on a channel ({@code email}, {@code sms} or {@code post}):
     * consent given for it, the address known and not flagged undeliverable; in a segment when one is given.
     * Written as CSV for a campaign tool; the export is recorded in the audit trail.
     */
    @Transactional
    public String campaignCsv(Staff staff, String code, String segment, String channel) {
        staff.requireManages(code);
        Programme programme = knowledge.programme(code);
        if (!List.of("email", "sms", "post").contains(channel)) {
            throw DomainException.invalid("channel", "A campaign channel is email, sms or post");
        }
        List<Member> members = em.createQuery("select m from Member m where m.programme = :p and m.status = :active"
                        + " order by m.id", Member.class)
                .setParameter("p", programme).setParameter("active", MemberStatus.ACTIVE).getResultList();
        Map<Long, MemberScore> scores = new HashMap<>();
        for (MemberScore score : em.createQuery("select s from MemberScore s, Member m where s.memberId = m.id"
                + " and m.programme = :p", MemberScore.class).setParameter("p", programme).getResultList()) {
            scores.put(score.memberId(), score);
        }
        StringBuilder csv = new StringBuilder("memberId,firstName,lastName,")
                .append(switch (channel) {
                    case "email" -> "email";
                    case "sms" -> "phone";
                    default -> "postalAddress";
                })
                .append(",tier,segment,favouriteCategory\r\n");
        int count = 0;
        for (Member member : members) {
            MemberScore score = scores.get(member.id());
            String memberSegment = score == null ? null : score.segment();
            if (segment != null && !segment.isBlank() && !segment.equals(memberSegment)) {
                continue;
            }
            if (!member.contactability().reachableBy(channel, member)) {
                continue;
            }
            String address = switch (channel) {
                case "email" -> member.email();
                case "sms" -> member.phone();
                default -> member.postalAddress();
            };
            csv.append(Csv.row(member.publicId(), member.firstName(), member.lastName(), address, member.tierCode(),
                    memberSegment, score == null ? null : score.favouriteCategory()));
            count++;
        }
        audit(staff, "CAMPAIGN_EXPORTED", code, segment == null ? "all" : segment, count + " members reachable by "
                + channel);
        return csv.toString();
    }

    private MemberBrief brief(Member member) {
        return new MemberBrief(member.publicId(), member.displayName(), member.email(), member.birthDate(),
                member.phone(), member.joinedOn());
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
