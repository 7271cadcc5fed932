package org.dragonflymle.config.loader;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.dragonflymle.config.RedisAddress;
import org.dragonflymle.config.RedisTopology;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Reads {@code redis_cluster = { "host:port", ... }} (a Redis Cluster's seed nodes) and {@code
 * redis_sentinel = { master = "name", nodes = { "host:port", ... } }} (a master found through
 * Sentinels). At most one of them may be set; which servers they exclude is {@link
 * RedisSettingsReader}'s business. A node without a port gets Redis's default for its kind: 6379
 * for a Cluster node, 26379 for a Sentinel.
 */
final class RedisTopologyReader {

    static final String CLUSTER = "redis_cluster";
    static final String SENTINEL = "redis_sentinel";

    private static final int CLUSTER_DEFAULT_PORT = 6379;
    private static final int SENTINEL_DEFAULT_PORT = 26379;
    private static final Set<String> SENTINEL_FIELDS = Set.of("master", "nodes");
    private static final Pattern HOST = Pattern.compile("[^\\s/@?#\\[\\]:]+");

    private RedisTopologyReader() {}

    /** The topology config.lua declares; standalone when neither setting is there. */
    static RedisTopology read(LuaTable globals) throws InvalidEntry {
        LuaValue cluster = globals.rawget(CLUSTER);
        LuaValue sentinel = globals.rawget(SENTINEL);
        if (!cluster.isnil() && !sentinel.isnil()) {
            throw new InvalidEntry(
                    "redis_cluster and redis_sentinel are both set; a deployment is either a"
                            + " Cluster or a Sentinel-watched master");
        }
        if (!cluster.isnil()) {
            return new RedisTopology.Cluster(
                    addresses(cluster, CLUSTER, CLUSTER_DEFAULT_PORT, "{ \"10.0.0.1:6379\" }"));
        }
        if (!sentinel.isnil()) {
            return readSentinel(sentinel);
        }
        return RedisTopology.STANDALONE;
    }

    private static RedisTopology readSentinel(LuaValue value) throws InvalidEntry {
        String example = "{ master = \"mymaster\", nodes = { \"10.0.0.1:26379\" } }";
        if (!value.istable()) {
            throw new InvalidEntry(
                    "redis_sentinel must be a table like "
                            + example
                            + ", got "
                            + LuaValues.describe(value));
        }
        LuaEntry entry = new LuaEntry((LuaTable) value, "redis_sentinel.");
        List<String> unknown = entry.unknownFields(SENTINEL_FIELDS);
        if (!unknown.isEmpty()) {
            throw new InvalidEntry(
                    "redis_sentinel has unknown fields "
                            + String.join(", ", unknown)
                            + " (it takes master and nodes)");
        }
        String master = entry.requiredString("master", SENTINEL_FIELDS);
        if (master.chars().anyMatch(c -> c <= ' ')) {
            throw new InvalidEntry(
                    "redis_sentinel.master must be the name Sentinel monitors, without spaces, got "
                            + LuaValues.quote(master));
        }
        if (!entry.has("nodes")) {
            throw new InvalidEntry("missing redis_sentinel.nodes, the Sentinels, like " + example);
        }
        return new RedisTopology.Sentinel(
                master,
                addresses(
                        entry.raw("nodes"),
                        "redis_sentinel.nodes",
                        SENTINEL_DEFAULT_PORT,
                        "{ \"10.0.0.1:26379\" }"));
    }

    private static List<RedisAddress> addresses(
            LuaValue value, String name, int defaultPort, String example) throws InvalidEntry {
        if (!value.istable()) {
            throw new InvalidEntry(
                    name
                            + " must be a list of \"host:port\" strings like "
                            + example
                            + ", got "
                            + LuaValues.describe(value));
        }
        List<LuaValue> items = LuaValues.list((LuaTable) value, name);
        if (items.isEmpty()) {
            throw new InvalidEntry(name + " is empty; list at least one node like " + example);
        }
        Set<RedisAddress> seen = new LinkedHashSet<>();
        List<RedisAddress> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = name + "[" + (i + 1) + "]";
            LuaValue item = items.get(i);
            if (!LuaValues.isString(item)) {
                throw new InvalidEntry(
                        at + " must be a \"host:port\" string, got " + LuaValues.describe(item));
            }
            RedisAddress a = parse(item.tojstring(), at, defaultPort);
            if (!seen.add(a)) {
                throw new InvalidEntry(name + " lists " + a + " twice");
            }
            out.add(a);
        }
        return out;
    }

    /** {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}. */
    static RedisAddress parse(String text, String at, int defaultPort) throws InvalidEntry {
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new InvalidEntry(at + " " + LuaValues.quote(text) + ": unclosed [");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new InvalidEntry(
                            at + " " + LuaValues.quote(text) + ": expected :port after ]");
                }
                port = rest.substring(1);
            }
            if (host.isEmpty() || !host.chars().allMatch(c -> c == ':' || c == '.' || isHex(c))) {
                throw new InvalidEntry(
                        at + " " + LuaValues.quote(text) + ": not an IPv6 address in brackets");
            }
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
                throw new InvalidEntry(
                        at
                                + " "
                                + LuaValues.quote(text)
                                + ": write an IPv6 address in brackets, like \"[::1]:6379\"");
            }
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
            if (!HOST.matcher(host).matches()) {
                throw new InvalidEntry(
                        at
                                + " "
                                + LuaValues.quote(text)
                                + " must be host:port, like \"10.0.0.1:6379\"");
            }
        }
        int p = defaultPort;
        if (port != null) {
            Long n = LuaValues.integer(LuaValue.valueOf(port), true, 1, 65535);
            if (n == null) {
                throw new InvalidEntry(
                        at + " " + LuaValues.quote(text) + ": the port must be 1..65535");
            }
            p = n.intValue();
        }
        return new RedisAddress(host, p);
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
