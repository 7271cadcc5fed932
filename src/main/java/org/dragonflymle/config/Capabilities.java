package org.dragonflymle.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What scripts may reach beyond their own state, from config.lua's {@code sandbox} table:
 * capabilities, not trust. By default {@code http_get} may download from no host at all and no
 * Redis command that administers the server is sent.
 *
 * @param httpAllow hosts {@code http_get} may download from: a name ({@code models.example.com}),
 *     an address ({@code 10.1.2.3}), either with {@code :port}. A name is resolved and every
 *     address it gives is checked, and the download connects only to an address that passed:
 *     loopback, link-local, wildcard and multicast addresses pass only when listed as addresses
 * @param httpMaxBytes the largest download
 * @param httpTimeoutMillis how long one download may take, connecting included (it also counts
 *     against the call's own budget)
 * @param redisAdmin administrative Redis commands scripts may send after all (upper case)
 * @param reservedPorts ports on this machine's own addresses {@code http_get} never connects to,
 *     whatever {@code httpAllow} says: the engine's own REST API (set by the launcher)
 */
public record Capabilities(
        List<String> httpAllow,
        long httpMaxBytes,
        long httpTimeoutMillis,
        Set<String> redisAdmin,
        PortRange reservedPorts)
        implements Serializable {

    /**
     * The Redis commands that administer the server, refused to scripts unless {@link #redisAdmin}
     * lists them; a non-empty set names the refused subcommands only.
     */
    public static final Map<String, Set<String>> ADMIN_COMMANDS =
            Map.ofEntries(
                    Map.entry("SHUTDOWN", Set.of()),
                    Map.entry("CONFIG", Set.of()),
                    Map.entry("ACL", Set.of()),
                    Map.entry("DEBUG", Set.of()),
                    Map.entry("MODULE", Set.of()),
                    Map.entry("FLUSHALL", Set.of()),
                    Map.entry("FLUSHDB", Set.of()),
                    Map.entry("SWAPDB", Set.of()),
                    Map.entry("SAVE", Set.of()),
                    Map.entry("BGSAVE", Set.of()),
                    Map.entry("BGREWRITEAOF", Set.of()),
                    Map.entry("REPLICAOF", Set.of()),
                    Map.entry("SLAVEOF", Set.of()),
                    Map.entry("FAILOVER", Set.of()),
                    Map.entry("CLUSTER", Set.of()),
                    Map.entry("MONITOR", Set.of()),
                    Map.entry("SYNC", Set.of()),
                    Map.entry("PSYNC", Set.of()),
                    Map.entry("CLIENT", Set.of("KILL", "PAUSE", "UNPAUSE", "NO-EVICT")),
                    Map.entry("SCRIPT", Set.of("FLUSH", "KILL")),
                    Map.entry("FUNCTION", Set.of("FLUSH", "DELETE", "RESTORE", "KILL")));

    /**
     * Every subcommand Redis 6.x knows of the commands whose subcommands {@link #ADMIN_COMMANDS}
     * refuses: Redis 6 cannot deny one subcommand ({@code -client|kill} is Redis 7 syntax), so on
     * it the command is denied and the subcommands not refused are allowed one by one.
     */
    static final Map<String, Set<String>> REDIS6_SUBCOMMANDS =
            Map.of(
                    "CLIENT",
                    Set.of(
                            "CACHING",
                            "GETNAME",
                            "GETREDIR",
                            "ID",
                            "INFO",
                            "KILL",
                            "LIST",
                            "PAUSE",
                            "REPLY",
                            "SETNAME",
                            "TRACKING",
                            "TRACKINGINFO",
                            "UNBLOCK",
                            "UNPAUSE"),
                    // SCRIPT DEBUG forks a debugging session: not offered to scripts on Redis 6
                    "SCRIPT",
                    Set.of("EXISTS", "FLUSH", "KILL", "LOAD"));

    /** The Redis version (major × 100 + minor) that brought each admin command newer than 6.0. */
    private static final Map<String, Integer> SINCE = Map.of("FAILOVER", 602, "FUNCTION", 700);

    /**
     * The ACL rules of the user scripts connect as, on a redis-server 7 or newer the launcher
     * starts: the same commands refused, also when a Redis script calls them, except {@code
     * allowed}.
     */
    public static List<String> aclRules(Set<String> allowed) {
        return aclRules(allowed, 700);
    }

    /**
     * The same rules in the syntax of a redis-server of version {@code version} (major × 100 +
     * minor, e.g. 602 for the embedded-redis binary): commands it does not know are left out, and
     * below 7.0 a command with refused subcommands is denied and its other subcommands allowed. ACL
     * users came with Redis 6.0: older servers get no rules (null); the engine's own guard still
     * refuses what scripts send.
     */
    public static List<String> aclRules(Set<String> allowed, int version) {
        if (version < 600) {
            return null;
        }
        Set<String> upper = new HashSet<>();
        allowed.forEach(a -> upper.add(a.toUpperCase(Locale.ROOT)));
        List<String> rules = new ArrayList<>(List.of("~*", "&*", "+@all", "-@admin"));
        for (Map.Entry<String, Set<String>> e : new TreeMap<>(ADMIN_COMMANDS).entrySet()) {
            String command = e.getKey();
            if (upper.contains(command) || version < SINCE.getOrDefault(command, 0)) {
                continue;
            }
            String c = command.toLowerCase(Locale.ROOT);
            if (e.getValue().isEmpty()) {
                rules.add("-" + c);
            } else if (version >= 700) {
                new TreeSet<>(e.getValue())
                        .forEach(sub -> rules.add("-" + c + "|" + sub.toLowerCase(Locale.ROOT)));
            } else {
                rules.add("-" + c);
                new TreeSet<>(REDIS6_SUBCOMMANDS.get(command))
                        .stream()
                                .filter(sub -> !e.getValue().contains(sub))
                                .forEach(
                                        sub ->
                                                rules.add(
                                                        "+"
                                                                + c
                                                                + "|"
                                                                + sub.toLowerCase(Locale.ROOT)));
            }
        }
        for (String a : new TreeSet<>(upper)) {
            if (version >= SINCE.getOrDefault(a, 0)) {
                rules.add("+" + a.toLowerCase(Locale.ROOT));
            }
        }
        return rules;
    }

    public static final long DEFAULT_HTTP_MAX_MB = 64;
    public static final long DEFAULT_HTTP_TIMEOUT_MILLIS = 30_000;

    /** Ports {@code first..last}, both included; empty when {@code first > last}. */
    public record PortRange(int first, int last) implements Serializable {
        public static final PortRange NONE = new PortRange(1, 0);

        public boolean contains(int port) {
            return port >= first && port <= last;
        }
    }

    public Capabilities {
        httpAllow = List.copyOf(httpAllow);
        TreeSet<String> upper = new TreeSet<>();
        redisAdmin.forEach(c -> upper.add(c.toUpperCase(Locale.ROOT)));
        redisAdmin = Set.copyOf(upper);
    }

    public static Capabilities defaults() {
        return new Capabilities(
                List.of(),
                DEFAULT_HTTP_MAX_MB << 20,
                DEFAULT_HTTP_TIMEOUT_MILLIS,
                Set.of(),
                PortRange.NONE);
    }

    /** The same, with {@code ports} of this machine never reachable by {@code http_get}. */
    public Capabilities reserving(PortRange ports) {
        return new Capabilities(httpAllow, httpMaxBytes, httpTimeoutMillis, redisAdmin, ports);
    }
}
