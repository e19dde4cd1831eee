package org.loyaltyengine.pos.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;

import jakarta.json.Json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code queue} command run by root in a till's folder (owned by the till's user, here {@code nobody}) leaves
 * files the till's session can still write: those it makes belong to the folder's owner and group, and those it
 * rewrites keep their owner, group and permissions.
 */
class JsonLinesOwnerTest {

    @TempDir
    Path temporary;

    @Test
    void filesMadeOrRewrittenByRootKeepTheTillsOwnerGroupAndPermissions() throws Exception {
        assumeThat(System.getProperty("user.name")).as("run as root").isEqualTo("root");
        UserPrincipalLookupService users = temporary.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal till = users.lookupPrincipalByName("nobody");
        GroupPrincipal group = users.lookupPrincipalByGroupName("nogroup");
        Path folder = Files.createDirectories(temporary.resolve("till"));
        PosixFileAttributeView folderView = Files.getFileAttributeView(folder, PosixFileAttributeView.class);
        folderView.setOwner(till);
        folderView.setGroup(group);

        Path file = folder.resolve("pos-journal.jsonl");
        Journal journal = new Journal(file);
        long seq = journal.append("S001/R-1", Json.createObjectBuilder().add("receiptId", "R-1").build());
        assertOwnedByTheTill(file, till, group);
        assertOwnedByTheTill(folder.resolve("pos-journal.jsonl.lock"), till, group);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        journal.mark(seq, Journal.State.DELIVERED, "credited");
        assertThat(journal.forgetDelivered(Instant.now().plus(Duration.ofDays(2)))).isEqualTo(1);

        assertOwnedByTheTill(file, till, group);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-rw----");
    }

    private static void assertOwnedByTheTill(Path file, UserPrincipal till, GroupPrincipal group) throws Exception {
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
        assertThat(attributes.owner()).as(file.toString()).isEqualTo(till);
        assertThat(attributes.group()).as(file.toString()).isEqualTo(group);
    }
}
