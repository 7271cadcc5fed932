package org.dragonflymle.config.loader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.Secrets;

/**
 * Collects what is wrong with a config.lua, at most one problem per entry (later problems of an
 * entry are often consequences of the first), so one run reports everything a user has to fix. The
 * thrown message names the file, each entry and each problem, with secrets masked.
 */
final class Problems {

    private final Path configFile;
    private final Secrets secrets;
    private final List<String> lines = new ArrayList<>();
    private final Set<String> entriesWithProblems = new HashSet<>();

    Problems(Path configFile, Secrets secrets) {
        this.configFile = configFile;
        this.secrets = secrets;
    }

    /** A problem of the whole file, not of one entry (a missing table, a bad top-level field). */
    void add(String problem) {
        lines.add(problem);
    }

    /** A problem of one entry; ignored if that entry already has one. */
    void add(EntryRef entry, String problem) {
        String where = entry.table() + "[" + entry.index() + "]";
        if (entriesWithProblems.add(where)) {
            lines.add(entry.describe() + ": " + problem);
        }
    }

    boolean hasProblem(EntryRef entry) {
        return entriesWithProblems.contains(entry.table() + "[" + entry.index() + "]");
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    /** Throws when anything was collected; the job must not start. */
    void throwIfAny() throws ConfigException {
        if (lines.isEmpty()) {
            return;
        }
        String message;
        if (lines.size() == 1) {
            message = configFile + ": " + lines.get(0);
        } else {
            StringBuilder sb = new StringBuilder();
            sb.append(configFile).append(": ").append(lines.size()).append(" problems:");
            for (String line : lines) {
                sb.append("\n  ").append(line);
            }
            message = sb.toString();
        }
        throw new ConfigException(secrets.redact(message));
    }
}
