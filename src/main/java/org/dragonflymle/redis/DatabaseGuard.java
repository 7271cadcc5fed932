package org.dragonflymle.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps a script in the one Redis database its connection was opened on: a shadow analyzer's writes
 * must land in its own database, whatever the script sends. Refused, as an error reply naming the
 * command: {@code SELECT}, {@code MOVE}, {@code SWAPDB}, {@code FLUSHALL} (it empties every
 * database), {@code MIGRATE} (to another server or database), {@code COPY ... DB n}, and {@code
 * EVAL}/{@code EVAL_RO} of a script that names one of these as a string. A script that builds the
 * name inside a Redis script, {@code EVALSHA} and {@code FCALL} cannot be seen from here
 * (docs/testing-analyzers.md says so).
 *
 * <p>Per-command cost: a length switch and a byte comparison for names of those lengths.
 */
public final class DatabaseGuard implements CommandInterceptor {

    private static final String[] REFUSED = {"SELECT", "MOVE", "SWAPDB", "FLUSHALL", "MIGRATE"};

    private static final Pattern NAMED_IN_SCRIPT =
            Pattern.compile(
                    "['\"](SELECT|MOVE|SWAPDB|FLUSHALL|MIGRATE|COPY)['\"]",
                    Pattern.CASE_INSENSITIVE);

    private final CommandInterceptor next;
    private final int database;

    /**
     * @param database the database the connection stays in, for messages
     * @param next the interceptor that sees the commands let through
     */
    public DatabaseGuard(int database, CommandInterceptor next) {
        this.database = database;
        this.next = next;
    }

    @Override
    public RespReply intercept(List<byte[]> args, RedisCommandExecutor redis) {
        byte[] name = args.get(0);
        switch (name.length) {
            case 4 -> {
                if (is(name, "MOVE")) {
                    return refusal("MOVE");
                }
                if (is(name, "COPY") && copiesToAnotherDb(args)) {
                    return refusal("COPY ... DB");
                }
                if (is(name, "EVAL") && namesRefused(args)) {
                    return refusal("EVAL of a script that changes database");
                }
            }
            case 6, 7, 8 -> {
                for (String r : REFUSED) {
                    if (is(name, r)) {
                        return refusal(r);
                    }
                }
                if (is(name, "EVAL_RO") && namesRefused(args)) {
                    return refusal("EVAL_RO of a script that changes database");
                }
            }
            default -> {}
        }
        return next.intercept(args, redis);
    }

    private static boolean copiesToAnotherDb(List<byte[]> args) {
        for (int i = 3; i < args.size(); i++) {
            if (is(args.get(i), "DB")) {
                return true;
            }
        }
        return false;
    }

    private static boolean namesRefused(List<byte[]> args) {
        return args.size() > 1
                && NAMED_IN_SCRIPT.matcher(new String(args.get(1), StandardCharsets.UTF_8)).find();
    }

    private RespReply refusal(String what) {
        return RespReply.error(
                "ERR "
                        + what
                        + " refused: a shadow analyzer stays in its own database ("
                        + database
                        + ")");
    }

    private static boolean is(byte[] a, String upper) {
        if (a.length != upper.length()) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            byte c = a[i];
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if (c != upper.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
