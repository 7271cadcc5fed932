package org.dragonflymle.config;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An input or output address of config.lua, parsed and checked (docs/connectors/README.md). The
 * loader stores {@link #toUriString()} in {@link StageSpec#uri()} and {@link OutputSpec#uri()}, and
 * the connectors parse that string again with {@link #parse}; parsing a string this class produced
 * always succeeds and gives an equal value.
 *
 * <p>Path schemes ({@code file}, {@code tail}, {@code zfile}, {@code ipc}, {@code unix}) keep the
 * text after {@code scheme://} as the path, as the C engine does: {@code file:///var/x.log} is the
 * absolute {@code /var/x.log}, {@code file://x.log} the relative {@code x.log}; no
 * percent-decoding. {@code kafka://host:port[,host:port]/topic[?name=value&...]} has brokers, a
 * topic and Kafka client properties (percent-decoded; {@code group} is the consumer group).
 *
 * <p>{@link #toString()} and every exception message mask passwords, so a URI can be logged.
 *
 * @param scheme the scheme
 * @param path the file or socket path; {@code null} for kafka
 * @param bootstrapServers kafka {@code host:port} list; empty for path schemes
 * @param topic the kafka topic; {@code null} for path schemes
 * @param properties kafka query parameters in URI order; empty for path schemes
 */
public record EndpointUri(
        Scheme scheme,
        String path,
        List<String> bootstrapServers,
        String topic,
        Map<String, String> properties)
        implements Serializable {

    /** Longest Unix socket path the kernel accepts ({@code sun_path} minus the terminator). */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    private static final Pattern HOST =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

    /** Where a URI is used; each scheme is allowed in some directions only. */
    public enum Direction {
        INPUT,
        OUTPUT
    }

    /** The schemes this engine reads from and writes to. */
    public enum Scheme {
        FILE(true, true),
        TAIL(true, false),
        ZFILE(true, false),
        IPC(true, true),
        UNIX(true, true),
        KAFKA(true, true);

        private final boolean input;
        private final boolean output;

        Scheme(boolean input, boolean output) {
            this.input = input;
            this.output = output;
        }

        /** The scheme as written in a URI, e.g. {@code tail}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean allowedFor(Direction direction) {
            return direction == Direction.INPUT ? input : output;
        }

        /** Whether the part after {@code scheme://} is a filesystem path. */
        public boolean hasPath() {
            return this != KAFKA;
        }

        static String supported(Direction direction) {
            return Arrays.stream(values())
                    .filter(s -> s.allowedFor(direction))
                    .map(Scheme::id)
                    .collect(Collectors.joining(", "));
        }
    }

    public EndpointUri {
        bootstrapServers = List.copyOf(bootstrapServers);
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        if (scheme.hasPath()) {
            if (path == null || path.isEmpty()) {
                throw new IllegalArgumentException(scheme.id() + ":// needs a path");
            }
            if (path.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("path contains a NUL character");
            }
            if ((scheme == Scheme.IPC || scheme == Scheme.UNIX)
                    && path.startsWith("/")
                    && path.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
                throw new IllegalArgumentException(
                        "socket path "
                                + path
                                + " is longer than "
                                + MAX_SOCKET_PATH_BYTES
                                + " bytes, the limit for Unix sockets");
            }
        }
    }

    /**
     * Parses and checks a URI for use as an input or an output.
     *
     * @throws IllegalArgumentException with a message naming the problem and the (masked) URI
     */
    public static EndpointUri parse(String uri, Direction direction) {
        EndpointUri parsed = parse(uri, Scheme.supported(direction));
        if (!parsed.scheme.allowedFor(direction)) {
            throw new IllegalArgumentException(
                    parsed.scheme.id()
                            + ":// cannot be "
                            + (direction == Direction.INPUT ? "an input" : "an output")
                            + " ("
                            + direction.name().toLowerCase(Locale.ROOT)
                            + " schemes: "
                            + Scheme.supported(direction)
                            + ")");
        }
        return parsed;
    }

    /**
     * Parses a URI of any supported scheme, without checking its direction.
     *
     * @throws IllegalArgumentException with a message naming the problem and the (masked) URI
     */
    public static EndpointUri parse(String uri) {
        return parse(uri, Scheme.supported(Direction.INPUT));
    }

    private static EndpointUri parse(String uri, String supportedSchemes) {
        int sep = uri.indexOf("://");
        if (sep <= 0 || !SCHEME.matcher(uri.substring(0, sep)).matches()) {
            throw new IllegalArgumentException(
                    "malformed URI \""
                            + redact(uri)
                            + "\": expected scheme://..., e.g. file:///var/log/eve.json");
        }
        String schemeText = uri.substring(0, sep).toLowerCase(Locale.ROOT);
        Scheme scheme =
                Arrays.stream(Scheme.values())
                        .filter(s -> s.id().equals(schemeText))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "unsupported URI scheme \""
                                                        + schemeText
                                                        + "://\" (supported: "
                                                        + supportedSchemes
                                                        + ")"));
        String rest = uri.substring(sep + 3);
        try {
            return scheme == Scheme.KAFKA
                    ? parseKafka(rest)
                    : new EndpointUri(scheme, rest, List.of(), null, Map.of());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "malformed URI \"" + redact(uri) + "\": " + e.getMessage(), e);
        }
    }

    private static EndpointUri parseKafka(String rest) {
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(
                    "kafka:// needs host:port and a topic, e.g. kafka://127.0.0.1:9092/alerts");
        }
        String authority = rest.substring(0, slash);
        if (authority.contains("@")) {
            throw new IllegalArgumentException(
                    "credentials do not go in the host part; pass SASL settings as query"
                            + " parameters (sasl.jaas.config=...)");
        }
        List<String> brokers = new ArrayList<>();
        for (String broker : authority.split(",", -1)) {
            brokers.add(checkHostPort(broker));
        }
        String pathAndQuery = rest.substring(slash + 1);
        int q = pathAndQuery.indexOf('?');
        String topic = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("kafka:// needs a topic after host:port/");
        }
        if (!TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException(
                    "invalid kafka topic \""
                            + topic
                            + "\" (letters, digits, '.', '_', '-'; at most 249)");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        if (q >= 0) {
            for (String param : pathAndQuery.substring(q + 1).split("&", -1)) {
                int eq = param.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(
                            "query parameters must be name=value, found \""
                                    + redactParam(param)
                                    + "\"");
                }
                String name = percentDecode(param.substring(0, eq));
                if (properties.put(name, percentDecode(param.substring(eq + 1))) != null) {
                    throw new IllegalArgumentException("query parameter " + name + " is repeated");
                }
            }
        }
        return new EndpointUri(Scheme.KAFKA, null, brokers, topic, properties);
    }

    private static String checkHostPort(String broker) {
        int colon = broker.lastIndexOf(':');
        if (colon <= 0 || colon == broker.length() - 1) {
            throw new IllegalArgumentException(
                    "kafka broker \"" + broker + "\" must be host:port, e.g. 127.0.0.1:9092");
        }
        String host = broker.substring(0, colon);
        if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("invalid kafka broker host \"" + host + "\"");
        }
        String port = broker.substring(colon + 1);
        if (!port.chars().allMatch(Character::isDigit)
                || port.length() > 5
                || Integer.parseInt(port) < 1
                || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException(
                    "invalid port \"" + port + "\" in kafka broker \"" + broker + "\"");
        }
        return broker;
    }

    /** Whether this is a path scheme with a path that is not absolute. */
    public boolean hasRelativePath() {
        return scheme.hasPath() && !path.startsWith("/");
    }

    /** This URI with a relative path resolved against {@code base}; unchanged otherwise. */
    public EndpointUri resolveAgainst(Path base) {
        if (!hasRelativePath()) {
            return this;
        }
        String resolved = base.toAbsolutePath().resolve(path).normalize().toString();
        return new EndpointUri(scheme, resolved, bootstrapServers, topic, properties);
    }

    /**
     * The URI in the form {@link #parse} reads back, secrets included: for the connectors only,
     * never for logs (use {@link #toString()}).
     */
    public String toUriString() {
        if (scheme.hasPath()) {
            return scheme.id() + "://" + path;
        }
        StringBuilder sb = new StringBuilder("kafka://");
        sb.append(String.join(",", bootstrapServers)).append('/').append(topic);
        char sep = '?';
        for (Map.Entry<String, String> p : properties.entrySet()) {
            sb.append(sep).append(percentEncode(p.getKey())).append('=');
            sb.append(percentEncode(p.getValue()));
            sep = '&';
        }
        return sb.toString();
    }

    /** The URI with secrets masked; safe to log. */
    @Override
    public String toString() {
        return redact(toUriString());
    }

    /** Masks the secrets of any URI-like text (passwords in user info, secret query values). */
    public static String redact(String uri) {
        return new Secrets().redact(uri);
    }

    private static String redactParam(String param) {
        return new Secrets().redact("?" + param).substring(1);
    }

    /**
     * Decodes {@code %XX} escapes as UTF-8; {@code +} stays a plus.
     *
     * @throws IllegalArgumentException on a broken escape
     */
    public static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            int pct = s.indexOf('%', i);
            int end = pct < 0 ? s.length() : pct;
            out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
            if (pct < 0) {
                break;
            }
            if (pct + 2 >= s.length() || !isHex(s.charAt(pct + 1)) || !isHex(s.charAt(pct + 2))) {
                throw new IllegalArgumentException("broken %-escape");
            }
            out.write(Integer.parseInt(s.substring(pct + 1, pct + 3), 16));
            i = pct + 3;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static String percentEncode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || "-._~:,".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }
}
