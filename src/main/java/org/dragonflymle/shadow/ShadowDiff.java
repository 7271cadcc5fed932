package org.dragonflymle.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares what the live and the shadow version of an analyzer did with one event, and writes the
 * difference as one JSON line.
 *
 * <p>What counts as a difference, by {@link Kind}:
 *
 * <ul>
 *   <li>{@code routes}: the sequence of routes taken differs ({@code output:scored}, {@code
 *       analyzer:next}, {@code timer:TAG}, {@code log}, {@code stats}; error records aside);
 *   <li>{@code fields}: the n-th value sent along a route by both has fields added, changed or
 *       removed, each named by its path ({@code analytics.dga.class}; array elements 1-based,
 *       {@code answers[2]}); numbers compare by value ({@code 1} equals {@code 1.0});
 *   <li>{@code errors}: one version produced an error record the other did not, or of another
 *       reason ({@code script_error}, ...). Messages are shown, not compared: they name each
 *       version's own script.
 * </ul>
 *
 * The line: {@code {"tag", "event" (the input, as JSON or "raw"), "differs": [kinds], "routes":
 * {"live", "shadow"}, "fields": [{"route", "n", "added", "changed", "removed"}], "errors": {"live",
 * "shadow"}}}, each part present only when it differs.
 */
public final class ShadowDiff {

    /** A kind of difference. */
    public enum Kind {
        ROUTES,
        FIELDS,
        ERRORS;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param kinds what differs; empty when the versions did the same
     * @param line the JSON line for the diff file, or null when nothing differs
     */
    public record Result(Set<Kind> kinds, byte[] line) {
        public boolean identical() {
            return kinds.isEmpty();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String tag;

    public ShadowDiff(String tag) {
        this.tag = tag;
    }

    public Result compare(ShadowCase c, List<ShadowCase.Emitted> shadow) {
        if (sameBytes(c.live(), shadow)) {
            return IDENTICAL; // the common case, without parsing anything
        }
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        ObjectNode line = JSON.createObjectNode();
        line.put("tag", tag);
        List<String> liveRoutes = routes(c.live());
        List<String> shadowRoutes = routes(shadow);
        if (!liveRoutes.equals(shadowRoutes)) {
            kinds.add(Kind.ROUTES);
            ObjectNode r = line.putObject("routes");
            liveRoutes.forEach(r.putArray("live")::add);
            shadowRoutes.forEach(r.putArray("shadow")::add);
        }
        ArrayNode fields = JSON.createArrayNode();
        Map<String, List<byte[]>> liveByRoute = byRoute(c.live());
        Map<String, List<byte[]>> shadowByRoute = byRoute(shadow);
        liveByRoute.forEach(
                (route, values) -> {
                    List<byte[]> other = shadowByRoute.getOrDefault(route, List.of());
                    for (int i = 0; i < Math.min(values.size(), other.size()); i++) {
                        ObjectNode f = fieldDiff(values.get(i), other.get(i));
                        if (f != null) {
                            f.put("route", route);
                            f.put("n", i + 1);
                            fields.add(f);
                        }
                    }
                });
        if (!fields.isEmpty()) {
            kinds.add(Kind.FIELDS);
            line.set("fields", fields);
        }
        List<JsonNode> liveErrors = errors(c.live());
        List<JsonNode> shadowErrors = errors(shadow);
        if (!reasons(liveErrors).equals(reasons(shadowErrors))) {
            kinds.add(Kind.ERRORS);
            ObjectNode e = line.putObject("errors");
            liveErrors.forEach(e.putArray("live")::add);
            shadowErrors.forEach(e.putArray("shadow")::add);
        }
        if (kinds.isEmpty()) {
            return new Result(kinds, null);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("tag", tag);
        JsonNode event = parse(c.input());
        if (event != null && c.input().length == c.fullLength()) {
            out.set("event", event);
        } else {
            out.put("raw", new String(c.input(), StandardCharsets.UTF_8));
        }
        ArrayNode differs = out.putArray("differs");
        kinds.forEach(k -> differs.add(k.code()));
        line.remove("tag");
        out.setAll(line);
        try {
            return new Result(kinds, JSON.writeValueAsBytes(out));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Result IDENTICAL = new Result(Set.of(), null);

    /** The same routes in the same order with byte-identical values, and no error record. */
    private static boolean sameBytes(List<ShadowCase.Emitted> a, List<ShadowCase.Emitted> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            ShadowCase.Emitted x = a.get(i);
            ShadowCase.Emitted y = b.get(i);
            if (x.route().equals(ShadowCase.ERROR)
                    || !x.route().equals(y.route())
                    || !Arrays.equals(x.json(), y.json())) {
                return false;
            }
        }
        return true;
    }

    private static List<String> routes(List<ShadowCase.Emitted> emitted) {
        List<String> out = new ArrayList<>();
        for (ShadowCase.Emitted e : emitted) {
            if (!e.route().equals(ShadowCase.ERROR)) {
                out.add(e.route());
            }
        }
        return out;
    }

    private static Map<String, List<byte[]>> byRoute(List<ShadowCase.Emitted> emitted) {
        Map<String, List<byte[]>> out = new LinkedHashMap<>();
        for (ShadowCase.Emitted e : emitted) {
            if (!e.route().equals(ShadowCase.ERROR)) {
                out.computeIfAbsent(e.route(), r -> new ArrayList<>()).add(e.json());
            }
        }
        return out;
    }

    /** Error records as {"reason", "error"}. */
    private static List<JsonNode> errors(List<ShadowCase.Emitted> emitted) {
        List<JsonNode> out = new ArrayList<>();
        for (ShadowCase.Emitted e : emitted) {
            if (e.route().equals(ShadowCase.ERROR)) {
                JsonNode record = parse(e.json());
                ObjectNode brief = JSON.createObjectNode();
                brief.put("reason", record == null ? "?" : record.path("reason").asText());
                brief.put("error", record == null ? "?" : record.path("error").asText());
                out.add(brief);
            }
        }
        return out;
    }

    private static List<String> reasons(List<JsonNode> errors) {
        return errors.stream().map(e -> e.path("reason").asText()).toList();
    }

    private static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    /** The fields added, changed and removed from {@code live} to {@code shadow}; null if none. */
    private static ObjectNode fieldDiff(byte[] live, byte[] shadow) {
        JsonNode a = parse(live);
        JsonNode b = parse(shadow);
        ObjectNode added = JSON.createObjectNode();
        ObjectNode changed = JSON.createObjectNode();
        ObjectNode removed = JSON.createObjectNode();
        walk("", a, b, added, changed, removed);
        if (added.isEmpty() && changed.isEmpty() && removed.isEmpty()) {
            return null;
        }
        ObjectNode f = JSON.createObjectNode();
        if (!added.isEmpty()) {
            f.set("added", added);
        }
        if (!changed.isEmpty()) {
            f.set("changed", changed);
        }
        if (!removed.isEmpty()) {
            f.set("removed", removed);
        }
        return f;
    }

    private static void walk(
            String path,
            JsonNode a,
            JsonNode b,
            ObjectNode added,
            ObjectNode changed,
            ObjectNode removed) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                JsonNode other = b.get(e.getKey());
                if (other == null) {
                    removed.set(p, e.getValue());
                } else {
                    walk(p, e.getValue(), other, added, changed, removed);
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!a.has(e.getKey())) {
                    added.set(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue());
                }
            }
            return;
        }
        if (a != null && b != null && a.isArray() && b.isArray()) {
            int n = Math.max(a.size(), b.size());
            for (int i = 0; i < n; i++) {
                String p = path + "[" + (i + 1) + "]";
                if (i >= b.size()) {
                    removed.set(p, a.get(i));
                } else if (i >= a.size()) {
                    added.set(p, b.get(i));
                } else {
                    walk(p, a.get(i), b.get(i), added, changed, removed);
                }
            }
            return;
        }
        if (!same(a, b)) {
            ObjectNode c = changed.putObject(path.isEmpty() ? "." : path);
            c.set("live", a);
            c.set("shadow", b);
        }
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }
}
