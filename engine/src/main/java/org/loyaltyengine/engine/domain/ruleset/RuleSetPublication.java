package org.loyaltyengine.engine.domain.ruleset;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.loyaltyengine.engine.domain.programme.Programme;

/** One publish or rollback of a programme's rule set: which version went live, who did it, when and why. */
@Entity
@Table(name = "rule_set_publication")
public class RuleSetPublication {

    /** What made the version live. */
    public enum Action {
        PUBLISH, ROLLBACK
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "programme_id")
    private Programme programme;

    @Column(name = "version_no", nullable = false)
    private int version;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Action action;

    @Column(nullable = false, length = 254)
    private String actor;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(name = "change_comment", length = 1000)
    private String comment;

    protected RuleSetPublication() {
    }

    public RuleSetPublication(Programme programme, int version, Action action, String actor, Instant occurredAt,
                              String comment) {
        this.programme = programme;
        this.version = version;
        this.action = action;
        this.actor = actor;
        this.occurredAt = occurredAt;
        this.comment = comment;
    }

    public int version() {
        return version;
    }

    public Action action() {
        return action;
    }

    public String actor() {
        return actor;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    public String comment() {
        return comment;
    }

    /**
     * The version a rollback goes back to: the one that was live before the current one, stepping one publication
     * further back each time (v3, then v2, then v1). The history is read as a stack of the versions that went
     * live: a publish puts its version on top; a rollback to a version already on it takes back every later
     * publication (a rollback to one never live, given by its number, goes on top like a publish).
     *
     * @param newestFirst the programme's publishes and rollbacks, newest first
     * @return the version below the current one, empty when nothing went live before it
     */
    public static Optional<Integer> versionBefore(List<RuleSetPublication> newestFirst) {
        List<Integer> live = new ArrayList<>();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            RuleSetPublication publication = newestFirst.get(i);
            int back = live.lastIndexOf(publication.version);
            if (publication.action == Action.ROLLBACK && back >= 0) {
                live.subList(back + 1, live.size()).clear();
            } else {
                live.add(publication.version);
            }
        }
        return live.size() < 2 ? Optional.empty() : Optional.of(live.get(live.size() - 2));
    }
}
