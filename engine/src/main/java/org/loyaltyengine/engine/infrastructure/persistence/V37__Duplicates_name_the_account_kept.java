package org.loyaltyengine.engine.infrastructure.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 37: a merged duplicate names the account kept, not the member it was merged into when that one was
 * merged in turn since (a chain D into C, C into B, B into A: D, C and B all name A), as each merge from now on
 * keeps them ({@code Member#mergeInto}); each kept member counts the duplicates that name it. Reports then find
 * the account kept one link away, however many merges were made. In Java: neither database follows a chain of
 * any length in one statement.
 */
public class V37__Duplicates_name_the_account_kept extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        Map<Long, Long> mergedInto = new HashMap<>();
        try (Statement query = connection.createStatement();
             ResultSet rows = query.executeQuery("SELECT id, merged_into FROM member WHERE merged_into IS NOT NULL")) {
            while (rows.next()) {
                mergedInto.put(rows.getLong(1), rows.getLong(2));
            }
        }
        Map<Long, Integer> duplicates = new HashMap<>();
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE member SET merged_into = ? WHERE id = ?")) {
            int pending = 0;
            for (Map.Entry<Long, Long> link : mergedInto.entrySet()) {
                long kept = link.getValue();
                // A merge refuses a member merged already, so a chain never loops; the bound is only a guard.
                for (int step = 0; mergedInto.containsKey(kept) && step <= mergedInto.size(); step++) {
                    kept = mergedInto.get(kept);
                }
                duplicates.merge(kept, 1, Integer::sum);
                if (kept != link.getValue()) {
                    update.setLong(1, kept);
                    update.setLong(2, link.getKey());
                    update.addBatch();
                    pending++;
                }
            }
            if (pending > 0) {
                update.executeBatch();
            }
        }
        try (Statement clear = connection.createStatement();
             PreparedStatement count = connection.prepareStatement(
                     "UPDATE member SET merged_accounts = ? WHERE id = ?")) {
            clear.executeUpdate("UPDATE member SET merged_accounts = 0 WHERE merged_accounts <> 0");
            for (Map.Entry<Long, Integer> kept : duplicates.entrySet()) {
                count.setInt(1, kept.getValue());
                count.setLong(2, kept.getKey());
                count.addBatch();
            }
            if (!duplicates.isEmpty()) {
                count.executeBatch();
            }
        }
    }
}
