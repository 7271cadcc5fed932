package org.dragonflymle.config.loader;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.dragonflymle.config.Limits;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Reads {@code limits = { max_event_bytes = ..., loop_budget_ms = ..., ... }} (the fields are
 * {@link #FIELDS}); each is optional and defaults to {@link Limits#defaults()}.
 */
final class LimitsReader {

    static final Set<String> FIELDS =
            Set.of(
                    "max_event_bytes",
                    "loop_budget_ms",
                    "max_nesting_depth",
                    "loop_memory_mb",
                    "setup_budget_ms",
                    "max_coroutines",
                    "max_pending_timers",
                    "max_stages",
                    "max_retained_mb");

    /** A day: a longer {@code loop} budget is surely a unit mistake. */
    private static final long MAX_LOOP_BUDGET_MS = 86_400_000L;

    /** A petabyte: more is surely a unit mistake (and would overflow as bytes). */
    private static final long MAX_LOOP_MEMORY_MB = 1L << 30;

    private LimitsReader() {}

    static Limits read(LuaValue value, Consumer<String> warn) throws InvalidEntry {
        if (value.isnil()) {
            return Limits.defaults();
        }
        if (!value.istable()) {
            throw new InvalidEntry(
                    "limits must be a table like { max_event_bytes = 1048576 }, got "
                            + LuaValues.describe(value));
        }
        LuaEntry entry = new LuaEntry((LuaTable) value, "limits.");
        List<String> unknown = entry.unknownFields(FIELDS);
        if (!unknown.isEmpty()) {
            warn.accept(
                    "limits: unknown fields "
                            + String.join(", ", unknown)
                            + " ignored (known: "
                            + String.join(", ", new java.util.TreeSet<>(FIELDS))
                            + ")");
        }
        return new Limits(
                (int)
                        entry.positiveInteger(
                                "max_event_bytes",
                                Integer.MAX_VALUE,
                                Limits.DEFAULT_MAX_EVENT_BYTES),
                entry.positiveInteger(
                        "loop_budget_ms", MAX_LOOP_BUDGET_MS, Limits.DEFAULT_LOOP_BUDGET_MILLIS),
                (int)
                        entry.positiveInteger(
                                "max_nesting_depth",
                                Integer.MAX_VALUE,
                                Limits.DEFAULT_MAX_NESTING_DEPTH),
                entry.positiveInteger(
                                "loop_memory_mb", MAX_LOOP_MEMORY_MB, Limits.DEFAULT_LOOP_MEMORY_MB)
                        << 20,
                entry.positiveInteger(
                        "setup_budget_ms", MAX_LOOP_BUDGET_MS, Limits.DEFAULT_SETUP_BUDGET_MILLIS),
                (int)
                        entry.positiveInteger(
                                "max_coroutines", 10_000, Limits.DEFAULT_MAX_COROUTINES),
                (int)
                        entry.positiveInteger(
                                "max_pending_timers",
                                100_000_000,
                                Limits.DEFAULT_MAX_PENDING_TIMERS),
                (int) entry.positiveInteger("max_stages", 10_000, Limits.DEFAULT_MAX_STAGES),
                entry.positiveInteger(
                                "max_retained_mb",
                                MAX_LOOP_MEMORY_MB,
                                Limits.DEFAULT_MAX_RETAINED_MB)
                        << 20);
    }
}
