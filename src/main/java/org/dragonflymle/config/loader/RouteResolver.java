package org.dragonflymle.config.loader;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.dragonflymle.config.StageKind;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.config.routing.RouteScanner;

/**
 * Turns a {@link StageEntryReader.Draft} into a {@link StageSpec} once every tag is known: checks
 * that {@code default_analyzer}, {@code default_output} and {@code routes} name existing stages,
 * and computes the complete route sets.
 *
 * <p>A stage's routes are the union, in this order, of {@code default_analyzer} (unless {@code
 * ""}), {@code default_output}, the literal tags of its script ({@link RouteScanner}) and {@code
 * routes}. A literal tag that names nothing is a warning, not an error: scripts often keep dead
 * branches, and at run time such an event goes to the errors output. A {@code routes} entry may
 * name an analyzer or an output (both, if an analyzer and an output share the tag).
 *
 * <p>A {@code timer_event} to the stage itself adds no route: a timer's own stage delivers it, so
 * there is no edge (and no cycle) for it.
 *
 * <p>An input must route somewhere (a default, a literal tag or {@code routes}): one that does not
 * would drop every event, which is never what was meant.
 */
final class RouteResolver {

    /** A resolved stage and, per analyzer it routes to, why (for cycle messages). */
    record Resolved(StageSpec spec, Map<String, String> analyzerRouteOrigins) {}

    private final TagRegistry stageTags;
    private final Set<String> outputTags;
    private final Consumer<String> warn;

    /**
     * @param outputTags every output tag, the built-in {@code errors} included
     */
    RouteResolver(TagRegistry stageTags, Set<String> outputTags, Consumer<String> warn) {
        this.stageTags = stageTags;
        this.outputTags = outputTags;
        this.warn = warn;
    }

    Resolved resolve(StageEntryReader.Draft d) throws InvalidEntry {
        Map<String, String> analyzers = new LinkedHashMap<>();
        Set<String> outputs = new LinkedHashSet<>();
        if (d.defaultAnalyzer() != null && !d.defaultAnalyzer().isEmpty()) {
            if (!isAnalyzer(d.defaultAnalyzer())) {
                throw new InvalidEntry(
                        "unknown default_analyzer "
                                + LuaValues.quote(d.defaultAnalyzer())
                                + whatElse(d.defaultAnalyzer(), "default_output")
                                + " (analyzers: "
                                + list(stageTags.tagsOf("analyzers"))
                                + "; \"\" routes nowhere)");
            }
            analyzers.putIfAbsent(d.defaultAnalyzer(), "default_analyzer");
        }
        if (d.defaultOutput() != null) {
            if (!outputTags.contains(d.defaultOutput())) {
                throw new InvalidEntry(
                        "unknown default_output "
                                + LuaValues.quote(d.defaultOutput())
                                + (d.defaultOutput().isEmpty() ? " (leave it out for none)" : "")
                                + (isAnalyzer(d.defaultOutput())
                                        ? " (that is an analyzer; use default_analyzer)"
                                        : "")
                                + " (outputs: "
                                + list(outputTags)
                                + ")");
            }
            outputs.add(d.defaultOutput());
        }
        for (RouteScanner.LiteralRoute r : d.literalRoutes()) {
            literal(d, r, analyzers, outputs);
        }
        for (String route : d.routes()) {
            boolean known = false;
            if (isAnalyzer(route)) {
                analyzers.putIfAbsent(route, "routes");
                known = true;
            }
            if (outputTags.contains(route)) {
                outputs.add(route);
                known = true;
            }
            if (!known) {
                throw new InvalidEntry(
                        "routes names "
                                + (stageTags.isOwnedBy(route, "inputs")
                                        ? "input \"" + route + "\"; inputs cannot be routed to"
                                        : "unknown tag "
                                                + LuaValues.quote(route)
                                                + " (analyzers: "
                                                + list(stageTags.tagsOf("analyzers"))
                                                + "; outputs: "
                                                + list(outputTags)
                                                + ")"));
            }
        }
        if (d.kind() == StageKind.INPUT && analyzers.isEmpty() && outputs.isEmpty()) {
            throw new InvalidEntry(
                    "routes nowhere, so every event would be dropped: set default_analyzer, or"
                            + " routes = {...} for tags "
                            + d.script().name()
                            + " computes (no dragonfly.analyze_event/output_event call in it"
                            + " names an analyzer or output literally)");
        }
        StageSpec spec =
                new StageSpec(
                        d.kind(),
                        d.ref().index(),
                        d.tag(),
                        d.uri(),
                        d.script().path(),
                        d.defaultAnalyzer(),
                        d.defaultOutput(),
                        d.key(),
                        d.parallelism(),
                        Collections.unmodifiableSet(new LinkedHashSet<>(analyzers.keySet())),
                        Collections.unmodifiableSet(outputs),
                        d.callsRedis(),
                        d.concurrency());
        return new Resolved(spec, analyzers);
    }

    private void literal(
            StageEntryReader.Draft d,
            RouteScanner.LiteralRoute r,
            Map<String, String> analyzers,
            Set<String> outputs) {
        String where = d.script().name() + ":" + r.line();
        if (r.target() == RouteScanner.Target.ANALYZER) {
            if (r.tag().isEmpty()) {
                return; // analyze_event("", v) drops the event on purpose
            }
            if (isAnalyzer(r.tag())) {
                boolean selfTimer = r.function().equals("timer_event") && r.tag().equals(d.tag());
                if (!selfTimer) {
                    analyzers.putIfAbsent(r.tag(), r.function() + " at " + where);
                }
                return;
            }
            warn.accept(
                    d.ref().describe()
                            + ": "
                            + where
                            + ": "
                            + r.function()
                            + "(\""
                            + r.tag()
                            + "\", ...) names no analyzer"
                            + whatElse(r.tag(), null)
                            + "; such events will go to the errors output");
        } else if (outputTags.contains(r.tag())) {
            outputs.add(r.tag());
        } else {
            warn.accept(
                    d.ref().describe()
                            + ": "
                            + where
                            + ": "
                            + r.function()
                            + "(\""
                            + r.tag()
                            + "\", ...) names no output; such events will go to the errors"
                            + " output");
        }
    }

    private boolean isAnalyzer(String tag) {
        return stageTags.isOwnedBy(tag, "analyzers");
    }

    /** Explains a tag that names something else than expected. */
    private String whatElse(String tag, String useInstead) {
        if (stageTags.isOwnedBy(tag, "inputs")) {
            return " (that is an input; inputs cannot be routed to)";
        }
        if (outputTags.contains(tag)) {
            return useInstead == null
                    ? " (it is an output)"
                    : " (that is an output; use " + useInstead + ")";
        }
        return "";
    }

    private static String list(Collection<String> tags) {
        return tags.isEmpty() ? "none" : String.join(", ", tags);
    }
}
