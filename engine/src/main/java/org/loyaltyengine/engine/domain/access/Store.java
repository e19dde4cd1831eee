package org.loyaltyengine.engine.domain.access;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.loyaltyengine.engine.domain.programme.Programme;

/**
 * A store of a programme: its number, as its tills send it ({@code storeId}), and the name customers know it by.
 * A store comes with the first key issued to its tills, named by its number until a manager names it.
 */
@Entity
@Table(name = "store")
public class Store {

    /** The longest name of a store. */
    public static final int MAX_NAME = 200;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "programme_id")
    private Programme programme;

    @Column(name = "store_id", nullable = false, length = 32)
    private String storeId;

    @Column(nullable = false, length = MAX_NAME)
    private String name;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Store() {
    }

    public Store(Programme programme, String storeId, String name, Instant createdAt) {
        this.programme = programme;
        this.storeId = storeId;
        this.name = name;
        this.createdAt = createdAt;
    }

    public void rename(String newName) {
        this.name = newName;
    }

    public Programme programme() {
        return programme;
    }

    public String storeId() {
        return storeId;
    }

    public String name() {
        return name;
    }
}
