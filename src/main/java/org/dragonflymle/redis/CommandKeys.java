package org.dragonflymle.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the first key of a command, for routing it to its slot in a Redis Cluster, from what the
 * server says about its own commands rather than from a table of ours: {@code COMMAND INFO name},
 * asked once per command name and kept, gives the first key's position, and for commands whose keys
 * move with their arguments ({@code EVAL} numkeys, {@code XREAD ... STREAMS}, {@code ZUNIONSTORE},
 * ...) the key specifications of Redis 7, evaluated here; a Redis 6 server has none, and is then
 * asked {@code COMMAND GETKEYS} for each such call (one more round trip). Container commands
 * ({@code OBJECT ENCODING}, {@code XINFO STREAM}) are looked up by subcommand.
 *
 * <p>Only the first key matters: the node it goes to checks every other key itself and answers
 * {@code CROSSSLOT} when they hash to different slots. A wrong guess costs a MOVED, not a wrong
 * answer. Commands the server does not know have no key (the server then says so).
 *
 * <p>At most {@value #MAX_NAMES} names are kept (more empties the table). Not thread-safe.
 */
final class CommandKeys {

    static final int MAX_NAMES = 1024;

    private static final byte[] INFO = CommandWords.of("INFO");
    private static final byte[] COMMAND = CommandWords.of("COMMAND");
    private static final byte[] GETKEYS = CommandWords.of("GETKEYS");

    private final Map<Name, Info> known = new HashMap<>();
    private final Name probe = new Name();

    /**
     * The first key of {@code args}, or null when this call has none.
     *
     * @param redis runs COMMAND INFO / COMMAND GETKEYS on some node of the cluster
     */
    byte[] firstKey(List<byte[]> args, RedisCommandExecutor redis) {
        Info info = info(args.get(0), redis);
        if (info.subcommands != null) {
            if (args.size() < 2) {
                return null;
            }
            info = info.subcommands.get(subcommandName(args.get(0), args.get(1)));
            if (info == null) {
                return null;
            }
        }
        if (info.unknown) {
            return null;
        }
        int argc = args.size();
        if (info.legacyFirst > 0) {
            return info.legacyFirst < argc ? args.get(info.legacyFirst) : null;
        }
        int first = Integer.MAX_VALUE;
        for (KeySpec spec : info.specs) {
            first = Math.min(first, spec.firstKey(args));
        }
        if (first < argc) {
            return args.get(first);
        }
        return info.movable ? getKeys(args, redis) : null;
    }

    private Info info(byte[] name, RedisCommandExecutor redis) {
        Info info = known.get(probe.set(name));
        if (info == null) {
            RespReply reply = redis.execute(List.of(COMMAND, INFO, name));
            List<RespReply> all =
                    reply instanceof RespReply.ArrayReply a ? a.elements() : List.of();
            info = all.size() == 1 ? parse(all.get(0)) : Info.UNKNOWN;
            if (known.size() >= MAX_NAMES) {
                known.clear();
            }
            known.put(new Name().set(lowerCase(name)), info);
        }
        return info;
    }

    /** COMMAND GETKEYS, for a Redis 6 server that has no key specifications. */
    private static byte[] getKeys(List<byte[]> args, RedisCommandExecutor redis) {
        List<byte[]> command = new ArrayList<>(args.size() + 2);
        command.add(COMMAND);
        command.add(GETKEYS);
        command.addAll(args);
        if (redis.execute(command) instanceof RespReply.ArrayReply keys
                && !keys.elements().isEmpty()
                && keys.elements().get(0) instanceof RespReply.BulkReply key) {
            return key.bytes();
        }
        return null; // no key in this call, or the server found the call malformed
    }

    /** One command's entry of COMMAND INFO (RESP2 arrays; maps as flat key/value arrays). */
    private static Info parse(RespReply entry) {
        if (!(entry instanceof RespReply.ArrayReply a) || a.elements().size() < 6) {
            return Info.UNKNOWN;
        }
        List<RespReply> e = a.elements();
        Info info = new Info();
        info.legacyFirst = (int) integer(e.get(3));
        for (RespReply flag : elements(e.get(2))) {
            info.movable |= text(flag).equals("movablekeys");
        }
        if (e.size() > 8) {
            for (RespReply spec : elements(e.get(8))) {
                info.specs.add(KeySpec.parse(map(spec)));
            }
        }
        if (e.size() > 9 && !elements(e.get(9)).isEmpty()) {
            info.subcommands = new HashMap<>();
            for (RespReply sub : elements(e.get(9))) {
                List<RespReply> s = elements(sub);
                if (!s.isEmpty()) {
                    info.subcommands.put(
                            text(s.get(0)).toLowerCase(java.util.Locale.ROOT), parse(sub));
                }
            }
        }
        return info;
    }

    /** What the server told of one command. */
    private static final class Info {
        static final Info UNKNOWN = unknown();

        int legacyFirst;
        boolean movable;
        boolean unknown;
        final List<KeySpec> specs = new ArrayList<>(1);
        Map<String, Info> subcommands;

        private static Info unknown() {
            Info i = new Info();
            i.unknown = true;
            return i;
        }
    }

    /**
     * A Redis 7 key specification, reduced to where its first key is: begin_search (a fixed index,
     * or after a keyword searched from a position) and find_keys (a range, or a count argument).
     */
    private record KeySpec(
            int index,
            byte[] keyword,
            int startFrom,
            boolean keynum,
            int lastKey,
            int keynumIndex,
            int firstKey) {

        static final KeySpec NONE = new KeySpec(-1, null, 0, false, 0, 0, 0);

        static KeySpec parse(Map<String, RespReply> spec) {
            Map<String, RespReply> begin = map(spec.get("begin_search"));
            Map<String, RespReply> find = map(spec.get("find_keys"));
            Map<String, RespReply> b = map(begin.get("spec"));
            Map<String, RespReply> f = map(find.get("spec"));
            String beginType = text(begin.get("type"));
            boolean keynum = text(find.get("type")).equals("keynum");
            int lastKey = (int) integer(f.get("lastkey"));
            int keynumIndex = (int) integer(f.get("keynumidx"));
            int firstKey = (int) integer(f.get("firstkey"));
            return switch (beginType) {
                case "index" ->
                        new KeySpec(
                                (int) integer(b.get("index")),
                                null,
                                0,
                                keynum,
                                lastKey,
                                keynumIndex,
                                firstKey);
                case "keyword" ->
                        new KeySpec(
                                0,
                                text(b.get("keyword")).getBytes(StandardCharsets.UTF_8),
                                (int) integer(b.get("startfrom")),
                                keynum,
                                lastKey,
                                keynumIndex,
                                firstKey);
                default -> NONE;
            };
        }

        /** The index of this spec's first key in {@code args}, or MAX_VALUE when there is none. */
        int firstKey(List<byte[]> args) {
            int argc = args.size();
            int start;
            if (keyword == null) {
                start = index;
            } else {
                start = findKeyword(args);
            }
            if (start <= 0 || start >= argc) {
                return Integer.MAX_VALUE;
            }
            if (keynum) {
                int countAt = start + keynumIndex;
                int first = start + firstKey;
                if (countAt >= argc || first >= argc || parseCount(args.get(countAt)) <= 0) {
                    return Integer.MAX_VALUE;
                }
                return first;
            }
            int last = lastKey >= 0 ? start + lastKey : argc + lastKey;
            return last >= start ? start : Integer.MAX_VALUE;
        }

        private int findKeyword(List<byte[]> args) {
            int argc = args.size();
            if (startFrom >= 0) {
                for (int i = startFrom; i < argc; i++) {
                    if (CommandWords.equalsIgnoreCase(args.get(i), keyword)) {
                        return i + 1;
                    }
                }
            } else {
                for (int i = argc + startFrom; i > 0; i--) {
                    if (CommandWords.equalsIgnoreCase(args.get(i), keyword)) {
                        return i + 1;
                    }
                }
            }
            return -1;
        }

        private static long parseCount(byte[] digits) {
            if (digits.length == 0 || digits.length > 9) {
                return -1;
            }
            long n = 0;
            for (byte d : digits) {
                if (d < '0' || d > '9') {
                    return -1;
                }
                n = n * 10 + (d - '0');
            }
            return n;
        }
    }

    private static String subcommandName(byte[] name, byte[] sub) {
        return (new String(name, StandardCharsets.UTF_8)
                        + "|"
                        + new String(sub, StandardCharsets.UTF_8))
                .toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, RespReply> map(RespReply r) {
        Map<String, RespReply> m = new HashMap<>();
        List<RespReply> flat = elements(r);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            m.put(text(flat.get(i)), flat.get(i + 1));
        }
        return m;
    }

    private static List<RespReply> elements(RespReply r) {
        return r instanceof RespReply.ArrayReply a ? a.elements() : List.of();
    }

    private static long integer(RespReply r) {
        return r instanceof RespReply.IntegerReply i ? i.value() : 0;
    }

    private static String text(RespReply r) {
        if (r instanceof RespReply.StatusReply s) {
            return s.text();
        }
        if (r instanceof RespReply.BulkReply b) {
            return b.text();
        }
        return "";
    }

    private static byte[] lowerCase(byte[] name) {
        byte[] lower = name.clone();
        for (int i = 0; i < lower.length; i++) {
            lower[i] = CommandWords.lower(lower[i]);
        }
        return lower;
    }

    /** A command name as a map key, ignoring ASCII case; the probe instance is re-pointed. */
    private static final class Name {
        private byte[] bytes;
        private int hash;

        Name set(byte[] b) {
            bytes = b;
            int h = 1;
            for (byte c : b) {
                h = 31 * h + CommandWords.lower(c);
            }
            hash = h;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Name other && CommandWords.equalsIgnoreCase(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
