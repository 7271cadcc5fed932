package org.dragonflymle.config.loader;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.dragonflymle.config.EndpointUri;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.RedisTopology;
import org.dragonflymle.config.Secrets;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Reads where scripts' Redis is: either {@code redis_host}, {@code redis_port}, {@code
 * redis_password}, {@code redis_db}, {@code redis_tls}, {@code redis_user}, or one {@code redis_url
 * = "redis[s]://[user:password@]host[:port][/db]"} ({@code rediss} is TLS), never both (which one
 * would win is not obvious, so neither does); or a Cluster or Sentinel deployment ({@link
 * RedisTopologyReader}) with the credentials and TLS settings. Ports and database numbers may be
 * strings, as C-engine configs write them. No message ever contains the password.
 */
final class RedisSettingsReader {

    static final List<String> FIELDS =
            List.of(
                    "redis_host",
                    "redis_port",
                    "redis_password",
                    "redis_db",
                    "redis_tls",
                    "redis_user");
    static final String URL = "redis_url";

    private static final Pattern HOST = Pattern.compile("[^\\s/@?#]+");

    private RedisSettingsReader() {}

    /** Registers the password wherever it is written, before any message can be built. */
    static void collectSecrets(LuaTable globals, Secrets secrets) {
        LuaValue password = globals.rawget("redis_password");
        if (LuaValues.isString(password)) {
            secrets.add(password.tojstring());
        }
        LuaValue url = globals.rawget(URL);
        if (LuaValues.isString(url)) {
            String u = url.tojstring();
            int at = u.lastIndexOf('@');
            int colon = u.indexOf(':', u.indexOf("://") + 3);
            if (at > 0 && colon > 0 && colon < at) {
                String raw = u.substring(colon + 1, at);
                secrets.add(raw);
                try {
                    secrets.add(EndpointUri.percentDecode(raw));
                } catch (IllegalArgumentException brokenEscape) {
                    // the raw form is registered
                }
            }
        }
    }

    static RedisSpec read(LuaTable globals) throws InvalidEntry {
        LuaEntry entry = new LuaEntry(globals, "");
        RedisTopology topology = RedisTopologyReader.read(globals);
        if (!(topology instanceof RedisTopology.Standalone)) {
            return readDeployment(entry, topology);
        }
        if (entry.has(URL)) {
            List<String> alsoSet = FIELDS.stream().filter(entry::has).toList();
            if (!alsoSet.isEmpty()) {
                throw new InvalidEntry(
                        "redis_url and "
                                + String.join(", ", alsoSet)
                                + " are both set; use either redis_url or the redis_* fields");
            }
            return parseUrl(entry.optionalString(URL));
        }
        String host = entry.optionalString("redis_host");
        if (host == null) {
            host = RedisSpec.DEFAULT_HOST;
        } else if (host.startsWith("/")) {
            if (host.getBytes(StandardCharsets.UTF_8).length > EndpointUri.MAX_SOCKET_PATH_BYTES
                    || host.indexOf('\0') >= 0) {
                throw new InvalidEntry(
                        "redis_host "
                                + LuaValues.quote(host)
                                + " is not a usable Unix socket path (at most "
                                + EndpointUri.MAX_SOCKET_PATH_BYTES
                                + " bytes)");
            }
        } else if (!HOST.matcher(host).matches()) {
            throw new InvalidEntry(
                    "redis_host must be a host name, an address or a Unix socket path, got "
                            + LuaValues.quote(host));
        }
        int port = RedisSpec.DEFAULT_PORT;
        if (entry.has("redis_port")) {
            Long p = LuaValues.integer(entry.raw("redis_port"), true, 1, 65535);
            if (p == null) {
                throw new InvalidEntry(
                        "redis_port must be a port number 1..65535, got "
                                + LuaValues.describe(entry.raw("redis_port")));
            }
            port = p.intValue();
        }
        boolean tls = tls(entry);
        if (tls && host.startsWith("/")) {
            throw new InvalidEntry(
                    "redis_tls is for TCP connections; redis_host "
                            + LuaValues.quote(host)
                            + " is a Unix socket");
        }
        return new RedisSpec(
                host,
                port,
                password(entry),
                database(entry),
                tls,
                user(entry),
                RedisTopology.STANDALONE);
    }

    /**
     * A Cluster or Sentinel deployment: its nodes say where the servers are, so the settings that
     * name one server cannot be set; credentials and TLS apply to every server.
     */
    private static RedisSpec readDeployment(LuaEntry entry, RedisTopology topology)
            throws InvalidEntry {
        String setting =
                topology instanceof RedisTopology.Cluster
                        ? RedisTopologyReader.CLUSTER
                        : RedisTopologyReader.SENTINEL;
        List<String> alsoSet =
                List.of("redis_host", "redis_port", URL).stream().filter(entry::has).toList();
        if (!alsoSet.isEmpty()) {
            throw new InvalidEntry(
                    setting
                            + " and "
                            + String.join(", ", alsoSet)
                            + " are both set; the servers are found through "
                            + setting
                            + "'s nodes, so remove "
                            + String.join(", ", alsoSet)
                            + " (redis_password, redis_user and redis_tls apply to every server)");
        }
        int database = database(entry);
        if (database != 0 && topology instanceof RedisTopology.Cluster) {
            throw new InvalidEntry(
                    "redis_db = "
                            + database
                            + " with redis_cluster: a Redis Cluster has only database 0");
        }
        return new RedisSpec(
                RedisSpec.DEFAULT_HOST,
                RedisSpec.DEFAULT_PORT,
                password(entry),
                database,
                tls(entry),
                user(entry),
                topology);
    }

    private static String password(LuaEntry entry) throws InvalidEntry {
        if (!entry.has("redis_password")) {
            return null;
        }
        LuaValue pw = entry.raw("redis_password");
        if (!LuaValues.isString(pw)) {
            throw new InvalidEntry("redis_password must be a string, got a " + pw.typename());
        }
        return pw.tojstring().isEmpty() ? null : pw.tojstring();
    }

    /** The ACL user, or null for Redis's {@code default} user. */
    private static String user(LuaEntry entry) throws InvalidEntry {
        String user = entry.optionalString("redis_user");
        if (user == null || user.isEmpty()) {
            return null;
        }
        if (user.chars().anyMatch(c -> c <= ' ')) {
            throw new InvalidEntry(
                    "redis_user must be an ACL user name without spaces, got "
                            + LuaValues.quote(user));
        }
        return user;
    }

    private static int database(LuaEntry entry) throws InvalidEntry {
        if (!entry.has("redis_db")) {
            return 0;
        }
        Long db = LuaValues.integer(entry.raw("redis_db"), true, 0, Integer.MAX_VALUE);
        if (db == null) {
            throw new InvalidEntry(
                    "redis_db must be a database number (0, 1, ...), got "
                            + LuaValues.describe(entry.raw("redis_db")));
        }
        return db.intValue();
    }

    private static boolean tls(LuaEntry entry) throws InvalidEntry {
        if (!entry.has("redis_tls")) {
            return false;
        }
        LuaValue t = entry.raw("redis_tls");
        if (t.type() != LuaValue.TBOOLEAN) {
            throw new InvalidEntry("redis_tls must be true or false, got " + LuaValues.describe(t));
        }
        return t.toboolean();
    }

    private static RedisSpec parseUrl(String url) throws InvalidEntry {
        String shown = "redis_url \"" + EndpointUri.redact(url) + "\"";
        int sep = url.indexOf("://");
        String scheme = sep < 0 ? "" : url.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new InvalidEntry(shown + " must start with redis:// or rediss:// (TLS)");
        }
        String rest = url.substring(sep + 3);
        String password = null;
        String user = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                throw new InvalidEntry(
                        shown
                                + ": write the credentials as user:password@ or :password@"
                                + " before the host");
            }
            try {
                user = EndpointUri.percentDecode(userInfo.substring(0, colon));
            } catch (IllegalArgumentException e) {
                throw new InvalidEntry(shown + ": the user name has a broken %-escape");
            }
            if (user.isEmpty() || user.equals("default")) {
                user = null;
            }
            try {
                password = EndpointUri.percentDecode(userInfo.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new InvalidEntry(shown + ": the password has a broken %-escape");
            }
            if (password.isEmpty()) {
                password = null;
            }
            rest = rest.substring(at + 1);
        }
        if (rest.contains("?") || rest.contains("#")) {
            throw new InvalidEntry(shown + ": query parameters are not supported");
        }
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String dbText = slash < 0 ? "" : rest.substring(slash + 1);
        String host;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new InvalidEntry(shown + ": unclosed [ in the host");
            }
            host = hostPort.substring(1, close);
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new InvalidEntry(shown + ": expected :port after the host");
                }
                portText = after.substring(1);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? null : hostPort.substring(colon + 1);
        }
        if (host.isEmpty() || !HOST.matcher(host).matches()) {
            throw new InvalidEntry(shown + ": missing or invalid host");
        }
        int port = RedisSpec.DEFAULT_PORT;
        if (portText != null) {
            Long p = LuaValues.integer(LuaValue.valueOf(portText), true, 1, 65535);
            if (p == null) {
                throw new InvalidEntry(shown + ": port must be 1..65535");
            }
            port = p.intValue();
        }
        int database = 0;
        if (!dbText.isEmpty()) {
            Long db = LuaValues.integer(LuaValue.valueOf(dbText), true, 0, Integer.MAX_VALUE);
            if (db == null) {
                throw new InvalidEntry(shown + ": the path must be a database number, e.g. /0");
            }
            database = db.intValue();
        }
        return new RedisSpec(
                host,
                port,
                password,
                database,
                scheme.equals("rediss"),
                user,
                RedisTopology.STANDALONE);
    }
}
