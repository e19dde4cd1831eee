package org.loyaltyengine.engine.infrastructure.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import org.loyaltyengine.engine.domain.member.Member;

/**
 * Migration 34: each member keeps their first and last name as the desk searches them (lower case, without accents,
 * punctuation and spacing one blank: "José-Luis" is "jose luis"), so that a search is a prefix the database
 * answers itself ("lopez" finds López), from an index of the programme's names. Filled here for the members so
 * far, in Java: neither Derby nor PostgreSQL (without an extension) takes accents off.
 */
public class V34__Folded_names_of_members extends BaseJavaMigration {

    private static final int BATCH = 1_000;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE member ADD COLUMN first_folded VARCHAR(100)");
            statement.execute("ALTER TABLE member ADD COLUMN last_folded VARCHAR(100)");
        }
        try (Statement query = connection.createStatement();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE member SET first_folded = ?, last_folded = ? WHERE id = ?")) {
            query.setFetchSize(BATCH);
            int pending = 0;
            try (ResultSet rows = query.executeQuery("SELECT id, first_name, last_name FROM member")) {
                while (rows.next()) {
                    update.setString(1, Member.folded(rows.getString(2)));
                    update.setString(2, Member.folded(rows.getString(3)));
                    update.setLong(3, rows.getLong(1));
                    update.addBatch();
                    if (++pending == BATCH) {
                        update.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                update.executeBatch();
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE INDEX member_last_folded_ix ON member (programme_id, last_folded)");
            statement.execute("CREATE INDEX member_first_folded_ix ON member (programme_id, first_folded)");
        }
    }
}
