package org.loyaltyengine.engine.domain.ruleset;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** One file of a stored rule set version. */
@Embeddable
public class RuleFile {

    @Column(nullable = false, length = 200)
    private String path;

    @Column(nullable = false, length = 1_000_000)
    private String content;

    protected RuleFile() {
    }

    public RuleFile(String path, String content) {
        this.path = path;
        this.content = content;
    }

    public String path() {
        return path;
    }

    public String content() {
        return content;
    }
}
