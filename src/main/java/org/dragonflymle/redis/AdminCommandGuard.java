package org.dragonflymle.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.dragonflymle.config.Capabilities;

/**
 * Refuses, in the engine, the Redis commands that administer the server, before they reach it: a
 * script sent {@code SHUTDOWN} and every later call of the run waited and returned nil. The refusal
 * is an error reply naming the command (scripts see it as any Redis error), unless config.lua's
 * {@code sandbox.redis_admin} lists the command.
 *
 * <p>Every way a command reaches Redis passes here: {@code command}, {@code command_line} and
 * {@code append_command} (so also each command inside {@code MULTI}). {@code EVAL}/{@code EVAL_RO}
 * are refused when their script names a refused command as a string ({@code
 * redis.call('FLUSHALL')}); a script that builds the name, {@code EVALSHA} and {@code FCALL} cannot
 * be seen from here: the redis-server the launcher starts has an ACL user for that ({@link
 * Capabilities#aclRules}), and an external Redis should give the engine such a user.
 *
 * <p>Per-command cost: a length check and, for names of an admin command's length, a byte
 * comparison; nothing is allocated.
 */
public final class AdminCommandGuard implements CommandInterceptor {

    /** The refused commands ({@link Capabilities#ADMIN_COMMANDS}). */
    public static final Map<String, Set<String>> ADMIN = Capabilities.ADMIN_COMMANDS;

    private static final byte[][] NO_NAMES = new byte[0][];

    private final CommandInterceptor next;
    private final Set<String> allowed;

    /** Refused command names by length, upper case. */
    private final byte[][][] byLength = new byte[16][][];

    private final Pattern namedInScript;

    /**
     * @param allowed admin commands config.lua allows after all (any case)
     * @param next the interceptor that sees the commands let through (Redis-ML)
     */
    public AdminCommandGuard(Set<String> allowed, CommandInterceptor next) {
        this.next = next;
        Set<String> upper = new java.util.HashSet<>();
        allowed.forEach(a -> upper.add(a.toUpperCase(Locale.ROOT)));
        this.allowed = Set.copyOf(upper);
        List<List<byte[]>> lists = new ArrayList<>();
        for (int i = 0; i < byLength.length; i++) {
            lists.add(new ArrayList<>());
        }
        List<String> refused = new ArrayList<>();
        for (String name : ADMIN.keySet()) {
            if (!this.allowed.contains(name)) {
                lists.get(name.length()).add(name.getBytes(StandardCharsets.US_ASCII));
                refused.add(name);
            }
        }
        for (int i = 0; i < byLength.length; i++) {
            byLength[i] = lists.get(i).toArray(NO_NAMES);
        }
        List<String> inScripts = new ArrayList<>();
        for (String name : refused) {
            if (ADMIN.get(name).isEmpty()) {
                inScripts.add(Pattern.quote(name));
            }
        }
        this.namedInScript =
                inScripts.isEmpty()
                        ? null
                        : Pattern.compile(
                                "['\"](" + String.join("|", inScripts) + ")['\"]",
                                Pattern.CASE_INSENSITIVE);
    }

    @Override
    public RespReply intercept(List<byte[]> args, RedisCommandExecutor redis) {
        byte[] name = args.get(0);
        int n = name.length;
        if (n < byLength.length) {
            for (byte[] admin : byLength[n]) {
                if (equalsIgnoreCase(name, admin)) {
                    RespReply refusal = refuse(admin, args);
                    if (refusal != null) {
                        return refusal;
                    }
                }
            }
            if ((n == 4 || n == 7) && namedInScript != null && isEval(name) && args.size() > 1) {
                var m = namedInScript.matcher(new String(args.get(1), StandardCharsets.UTF_8));
                if (m.find()) {
                    return refusal(
                            "EVAL of a script that calls " + m.group(1).toUpperCase(Locale.ROOT));
                }
            }
        }
        return next.intercept(args, redis);
    }

    private RespReply refuse(byte[] admin, List<byte[]> args) {
        String command = new String(admin, StandardCharsets.US_ASCII);
        Set<String> subcommands = ADMIN.get(command);
        if (!subcommands.isEmpty()) {
            String sub =
                    args.size() > 1
                            ? new String(args.get(1), StandardCharsets.UTF_8)
                                    .toUpperCase(Locale.ROOT)
                            : "";
            if (!subcommands.contains(sub)) {
                return null;
            }
            command = command + " " + sub;
        }
        return refusal(command);
    }

    private static RespReply refusal(String what) {
        return RespReply.error(
                "ERR "
                        + what
                        + " refused: scripts may not administer Redis (config.lua's"
                        + " sandbox.redis_admin can allow a command)");
    }

    private static boolean isEval(byte[] name) {
        return equalsIgnoreCase(name, EVAL) || equalsIgnoreCase(name, EVAL_RO);
    }

    private static final byte[] EVAL = "EVAL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVAL_RO = "EVAL_RO".getBytes(StandardCharsets.US_ASCII);

    private static boolean equalsIgnoreCase(byte[] a, byte[] upper) {
        if (a.length != upper.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            byte c = a[i];
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if (c != upper[i]) {
                return false;
            }
        }
        return true;
    }
}
