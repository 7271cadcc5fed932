package org.dragonflymle.config.loader;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.dragonflymle.config.Capabilities;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Reads {@code sandbox = { http_allow = {...}, http_max_mb = 64, http_timeout_ms = 30000,
 * redis_admin = {...} }} into {@link Capabilities}; every field is optional.
 */
final class CapabilitiesReader {

    static final Set<String> FIELDS =
            Set.of("http_allow", "http_max_mb", "http_timeout_ms", "redis_admin");

    private CapabilitiesReader() {}

    static Capabilities read(LuaValue value, Consumer<String> warn) throws InvalidEntry {
        if (value.isnil()) {
            return Capabilities.defaults();
        }
        if (!value.istable()) {
            throw new InvalidEntry(
                    "sandbox must be a table like { http_allow = { \"models.example.com\" } }, got "
                            + LuaValues.describe(value));
        }
        LuaEntry entry = new LuaEntry((LuaTable) value, "sandbox.");
        List<String> unknown = entry.unknownFields(FIELDS);
        if (!unknown.isEmpty()) {
            warn.accept(
                    "sandbox: unknown fields "
                            + String.join(", ", unknown)
                            + " ignored (known: "
                            + String.join(", ", new TreeSet<>(FIELDS))
                            + ")");
        }
        List<String> allow = entry.has("http_allow") ? entry.stringList("http_allow") : List.of();
        for (String host : allow) {
            if (host.isBlank() || host.contains("/") || host.contains("*")) {
                throw new InvalidEntry(
                        "sandbox.http_allow: "
                                + LuaValues.quote(host)
                                + " is not a host, an address or either with :port");
            }
        }
        List<String> admin = entry.has("redis_admin") ? entry.stringList("redis_admin") : List.of();
        Set<String> upper = new TreeSet<>();
        admin.forEach(c -> upper.add(c.toUpperCase(Locale.ROOT)));
        return new Capabilities(
                allow,
                entry.positiveInteger("http_max_mb", 1L << 20, Capabilities.DEFAULT_HTTP_MAX_MB)
                        << 20,
                entry.positiveInteger(
                        "http_timeout_ms", 86_400_000L, Capabilities.DEFAULT_HTTP_TIMEOUT_MILLIS),
                upper,
                Capabilities.PortRange.NONE);
    }
}
