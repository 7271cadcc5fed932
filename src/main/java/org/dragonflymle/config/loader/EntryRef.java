package org.dragonflymle.config.loader;

import org.dragonflymle.config.OutputSpec;
import org.dragonflymle.config.StageSpec;

/**
 * Names a config.lua entry in messages before its record exists (the tag may still be missing or
 * invalid). Formats exactly like {@link StageSpec#describe()} and {@link OutputSpec#describe()}, so
 * a user sees one spelling whether the problem is found while reading or later.
 *
 * @param table the config.lua table, e.g. {@code analyzers}
 * @param index 1-based position in the table
 * @param tag the entry's tag when it has a valid one, else {@code null}
 */
record EntryRef(String table, int index, String tag) {

    EntryRef withTag(String newTag) {
        return new EntryRef(table, index, newTag);
    }

    String describe() {
        return tag == null
                ? table + "[" + index + "]"
                : table + "[" + index + "] (tag \"" + tag + "\")";
    }
}
