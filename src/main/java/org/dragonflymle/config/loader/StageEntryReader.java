package org.dragonflymle.config.loader;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.dragonflymle.config.EndpointUri;
import org.dragonflymle.config.StageKind;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.config.routing.RouteScanner;
import org.luaj.vm2.LuaValue;

/**
 * Reads one entry of {@code inputs} or {@code analyzers}: the type and form of every field, the
 * input's URI, and the script (found, compiled, scanned for literal routes). Whether the tags it
 * names exist is checked by {@link RouteResolver} once every tag is known.
 *
 * <p>Inputs accept {@code default_output} too: the runtime sets that global for every script, and
 * an input may write straight to an output.
 */
final class StageEntryReader {

    static final Set<String> INPUT_FIELDS =
            Set.of(
                    "tag",
                    "uri",
                    "script",
                    "default_analyzer",
                    "default_output",
                    "key",
                    "parallelism",
                    "concurrency",
                    "routes");
    // shadow is read by ShadowEntryReader once the analyzers are resolved
    static final Set<String> ANALYZER_FIELDS =
            Set.of(
                    "tag",
                    "script",
                    "default_analyzer",
                    "default_output",
                    "key",
                    "parallelism",
                    "concurrency",
                    "routes",
                    "shadow");

    /** Flink's upper bound for a operator's parallelism. */
    static final int MAX_PARALLELISM = 32768;

    private static final Pattern KEY = Pattern.compile("[^.\\s]+(\\.[^.\\s]+)*");

    /** An entry whose own fields are valid; its references are not checked yet. */
    record Draft(
            StageKind kind,
            EntryRef ref,
            String uri,
            ScriptFiles.Script script,
            String defaultAnalyzer,
            String defaultOutput,
            String key,
            int parallelism,
            List<String> routes,
            List<RouteScanner.LiteralRoute> literalRoutes,
            boolean callsRedis,
            int concurrency) {

        String tag() {
            return ref.tag();
        }
    }

    private final Path root;
    private final ScriptFiles scripts;
    private final TagRegistry stageTags;
    private final Consumer<String> warn;

    StageEntryReader(Path root, ScriptFiles scripts, TagRegistry stageTags, Consumer<String> warn) {
        this.root = root;
        this.scripts = scripts;
        this.stageTags = stageTags;
        this.warn = warn;
    }

    /**
     * @return the draft, or {@code null} when the entry has a problem (then added to {@code
     *     problems})
     */
    Draft read(StageKind kind, int index, LuaValue value, Problems problems) {
        EntryRef ref = new EntryRef(kind.table(), index, null);
        Set<String> fields = kind == StageKind.INPUT ? INPUT_FIELDS : ANALYZER_FIELDS;
        try {
            LuaEntry entry = LuaEntry.of(value, example(kind));
            ref = ref.withTag(TagRegistry.read(entry, fields));
            stageTags.claim(ref.tag(), ref);
            List<String> unknown = entry.unknownFields(fields);
            if (!unknown.isEmpty()) {
                warn.accept(
                        ref.describe()
                                + ": unknown fields "
                                + String.join(", ", unknown)
                                + " ignored (a typo?)");
            }
            String uri = kind == StageKind.INPUT ? inputUri(entry, fields) : null;
            ScriptFiles.Script script = scripts.check(kind, entry.requiredString("script", fields));
            String defaultAnalyzer = entry.optionalString("default_analyzer");
            String defaultOutput = entry.optionalString("default_output");
            String key = entry.optionalString("key");
            if (key != null && !KEY.matcher(key).matches()) {
                throw new InvalidEntry(
                        "key must be a field name or dotted path like \"src_ip\" or"
                                + " \"dns.rrname\", got "
                                + LuaValues.quote(key));
            }
            int parallelism = (int) entry.positiveInteger("parallelism", MAX_PARALLELISM, 1);
            int concurrency =
                    (int) entry.positiveInteger("concurrency", StageSpec.MAX_CONCURRENCY, 1);
            List<String> routes = entry.stringList("routes");
            return new Draft(
                    kind,
                    ref,
                    uri,
                    script,
                    defaultAnalyzer,
                    defaultOutput,
                    key,
                    parallelism,
                    routes,
                    RouteScanner.scan(script.source()),
                    RouteScanner.namesHiredis(script.source()),
                    concurrency);
        } catch (InvalidEntry e) {
            problems.add(ref, e.getMessage());
            return null;
        }
    }

    private String inputUri(LuaEntry entry, Set<String> fields) throws InvalidEntry {
        String raw = entry.requiredString("uri", fields);
        try {
            return EndpointUri.parse(raw, EndpointUri.Direction.INPUT)
                    .resolveAgainst(root)
                    .toUriString();
        } catch (IllegalArgumentException e) {
            throw new InvalidEntry("uri: " + e.getMessage());
        }
    }

    static String example(StageKind kind) {
        return kind == StageKind.INPUT
                ? "{ tag=\"eve\", uri=\"tail:///var/log/suricata/eve.json\", script=\"filter.lua\","
                        + " default_analyzer=\"triage\" }"
                : "{ tag=\"triage\", script=\"triage.lua\", default_output=\"alerts\" }";
    }
}
