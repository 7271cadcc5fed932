package org.dragonflymle.config.loader;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Typed reads of the named fields of one config.lua table (an entry of {@code inputs}, or {@code
 * checkpoint}), failing with a message that names the field and what was found.
 */
final class LuaEntry {

    private final LuaTable table;
    private final String fieldPrefix;

    /**
     * @param fieldPrefix prepended to field names in messages, e.g. {@code "checkpoint."}
     */
    LuaEntry(LuaTable table, String fieldPrefix) {
        this.table = table;
        this.fieldPrefix = fieldPrefix;
    }

    /** Checks that an entry of a list is a table and wraps it. */
    static LuaEntry of(LuaValue value, String example) throws InvalidEntry {
        if (!value.istable()) {
            throw new InvalidEntry(
                    "must be a table like " + example + ", got " + LuaValues.describe(value));
        }
        return new LuaEntry((LuaTable) value, "");
    }

    LuaValue raw(String field) {
        return table.rawget(field);
    }

    boolean has(String field) {
        return !raw(field).isnil();
    }

    String name(String field) {
        return fieldPrefix + field;
    }

    /** A present, non-empty string; a missing field names the unknown fields (typo help). */
    String requiredString(String field, Set<String> known) throws InvalidEntry {
        LuaValue v = raw(field);
        if (v.isnil()) {
            List<String> unknown = unknownFields(known);
            throw new InvalidEntry(
                    "missing "
                            + name(field)
                            + (unknown.isEmpty()
                                    ? ""
                                    : " (unknown fields here: "
                                            + String.join(", ", unknown)
                                            + ")"));
        }
        String s = string(field, v);
        if (s.isEmpty()) {
            throw new InvalidEntry(name(field) + " is empty");
        }
        return s;
    }

    /** A string, or {@code null} when absent; may be empty. */
    String optionalString(String field) throws InvalidEntry {
        LuaValue v = raw(field);
        return v.isnil() ? null : string(field, v);
    }

    private String string(String field, LuaValue v) throws InvalidEntry {
        if (!LuaValues.isString(v)) {
            throw new InvalidEntry(name(field) + " must be a string, got " + LuaValues.describe(v));
        }
        return v.tojstring();
    }

    /** A positive integer up to {@code max}, or {@code dflt} when absent. */
    long positiveInteger(String field, long max, long dflt) throws InvalidEntry {
        LuaValue v = raw(field);
        if (v.isnil()) {
            return dflt;
        }
        Long n = LuaValues.integer(v, false, 1, max);
        if (n == null) {
            throw new InvalidEntry(
                    name(field)
                            + " must be a positive integer (1.."
                            + max
                            + "), got "
                            + LuaValues.describe(v));
        }
        return n;
    }

    /** A list of non-empty strings, or an empty list when absent. */
    List<String> stringList(String field) throws InvalidEntry {
        LuaValue v = raw(field);
        if (v.isnil()) {
            return List.of();
        }
        if (!v.istable()) {
            throw new InvalidEntry(
                    name(field)
                            + " must be a list of tags like {\"a\", \"b\"}, got "
                            + LuaValues.describe(v));
        }
        List<String> out = new ArrayList<>();
        for (LuaValue item : LuaValues.list((LuaTable) v, name(field))) {
            if (!LuaValues.isString(item) || item.tojstring().isEmpty()) {
                throw new InvalidEntry(
                        name(field)
                                + " must hold non-empty tag strings, found "
                                + LuaValues.describe(item));
            }
            out.add(item.tojstring());
        }
        return out;
    }

    /** Field names this entry has but the engine does not read, in a stable order. */
    List<String> unknownFields(Set<String> known) {
        Set<String> unknown = new LinkedHashSet<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = table.next(k);
            k = next.arg1();
            if (k.isnil()) {
                break;
            }
            String name = LuaValues.isString(k) ? k.tojstring() : "[" + k.tojstring() + "]";
            if (!known.contains(name)) {
                unknown.add(name);
            }
        }
        return unknown.stream().sorted().toList();
    }
}
