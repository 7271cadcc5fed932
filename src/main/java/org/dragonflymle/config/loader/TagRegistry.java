package org.dragonflymle.config.loader;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One namespace of tags and the entries that own them. There are two: stages (inputs and analyzers
 * together, because a stage's tag is also its Flink operator name and uid) and outputs. An analyzer
 * and an output may share a tag, as C-engine configs commonly do ({@code tag="dns"} for both):
 * {@code analyze_event} and {@code output_event} say which one is meant.
 */
final class TagRegistry {

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.-]+");

    private final String namespace;
    private final Map<String, EntryRef> owners = new LinkedHashMap<>();

    /**
     * @param namespace for messages, e.g. {@code "inputs and analyzers"}
     */
    TagRegistry(String namespace) {
        this.namespace = namespace;
    }

    /** Reads and checks an entry's {@code tag}. */
    static String read(LuaEntry entry, Set<String> knownFields) throws InvalidEntry {
        String tag = entry.requiredString("tag", knownFields);
        if (!TAG.matcher(tag).matches()) {
            throw new InvalidEntry(
                    "tag "
                            + LuaValues.quote(tag)
                            + " may only contain letters, digits, '_', '.' and '-'");
        }
        return tag;
    }

    /** Records {@code tag} as {@code owner}'s; a tag can be owned once per namespace. */
    void claim(String tag, EntryRef owner) throws InvalidEntry {
        EntryRef first = owners.putIfAbsent(tag, owner);
        if (first != null) {
            throw new InvalidEntry(
                    "duplicate tag \""
                            + tag
                            + "\": "
                            + first.describe()
                            + " has it already (tags are unique among "
                            + namespace
                            + ")");
        }
    }

    EntryRef owner(String tag) {
        return owners.get(tag);
    }

    /** The tags claimed by entries of one config.lua table, in claim order. */
    List<String> tagsOf(String table) {
        return owners.entrySet().stream()
                .filter(e -> e.getValue().table().equals(table))
                .map(Map.Entry::getKey)
                .toList();
    }

    boolean isOwnedBy(String tag, String table) {
        EntryRef owner = owners.get(tag);
        return owner != null && owner.table().equals(table);
    }
}
