package org.dragonflymle.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.dragonflymle.config.EndpointUri;
import org.dragonflymle.config.OutputSpec;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.ShadowSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.operator.RouteTags;

/**
 * {@code --explain}: the job graph the generator built, as text or Graphviz DOT, read from Flink's
 * own {@link StreamGraph} (so it shows what will run, not what the config suggests) and annotated
 * from config.lua: each stage's script, key and defaults, each source's and output's URI (secrets
 * masked), each edge's partitioning and the side output it carries, and the Flink tasks the
 * operators are chained into – the boxes the web dashboard draws.
 */
final class Explain {

    private enum Role {
        SOURCE,
        STAGE,
        OUTPUT,
        OTHER
    }

    private record Node(StreamNode node, Role role, String tag, String detail) {}

    private final PipelineSpec spec;
    private final Map<String, OutputSpec> outputs = new LinkedHashMap<>();
    private final Map<Integer, Node> nodes = new LinkedHashMap<>();
    private final List<JobVertex> tasks = new ArrayList<>();

    Explain(PipelineSpec spec, List<OutputSpec> allOutputs, StreamGraph graph) {
        this.spec = spec;
        allOutputs.forEach(o -> outputs.put(o.tag(), o));
        graph.getStreamNodes().stream()
                .sorted(Comparator.comparingInt(StreamNode::getId))
                .forEach(n -> nodes.put(n.getId(), classify(n)));
        for (JobVertex v : graph.getJobGraph().getVerticesSortedTopologicallyFromSources()) {
            tasks.add(v);
        }
    }

    void print(String format, PrintStream out) {
        if (format.equals("dot")) {
            dot(out);
        } else {
            text(out);
        }
    }

    private Node classify(StreamNode n) {
        String name = n.getOperatorName();
        if (name.startsWith("Source: source:")) {
            String tag = name.substring("Source: source:".length());
            String uri = stage(tag) == null ? "" : stage(tag).uri();
            return new Node(n, Role.SOURCE, tag, EndpointUri.redact(uri));
        }
        if (name.startsWith("output:")) {
            String rest = name.substring("output:".length());
            int colon = rest.indexOf(": ");
            String tag = colon < 0 ? rest : rest.substring(0, colon);
            OutputSpec o = outputs.get(tag);
            String uri = o == null ? "" : EndpointUri.redact(o.uri());
            if (o == null && tag.endsWith(".shadow")) {
                uri =
                        "file://"
                                + spec.logDir()
                                        .resolve(
                                                ShadowSpec.diffFile(
                                                        tag.substring(0, tag.length() - 7)))
                                + "  (differences)";
            }
            return new Node(n, Role.OUTPUT, tag, uri);
        }
        StageSpec s = stage(name);
        if (s != null) {
            return new Node(n, Role.STAGE, name, s.scriptName());
        }
        return new Node(n, Role.OTHER, name, "");
    }

    private StageSpec stage(String tag) {
        for (StageSpec s : spec.inputs()) {
            if (s.tag().equals(tag)) {
                return s;
            }
        }
        return spec.analyzer(tag).orElse(null);
    }

    private void text(PrintStream out) {
        out.println("pipeline " + spec.configFile());
        out.println(
                "  redis "
                        + spec.redis().address()
                        + (spec.redis().database() != 0 ? " db " + spec.redis().database() : "")
                        + (spec.redis().tls() ? " tls" : "")
                        + ", checkpoints every "
                        + Recovery.interval(spec).toMillis()
                        + " ms"
                        + (spec.checkpoint().interval() == null ? " (default)" : "")
                        + " in "
                        + Recovery.checkpointDir(spec)
                        + ", max_event_bytes "
                        + spec.limits().maxEventBytes()
                        + ", loop_budget_ms "
                        + spec.limits().loopBudgetMillis()
                        + ", loop_memory_mb "
                        + (spec.limits().loopMemoryBytes() >> 20));
        section(out, "sources", Role.SOURCE);
        out.println("stages");
        for (Node n : nodes.values()) {
            if (n.role() == Role.STAGE || n.role() == Role.OTHER) {
                StageSpec s = stage(n.tag());
                StringBuilder b = new StringBuilder();
                b.append(String.format("  %-14s", n.tag() + (n.tag().length() >= 14 ? " " : "")));
                ShadowSpec shadow =
                        n.tag().endsWith(".shadow")
                                ? spec.shadows().get(n.tag().substring(0, n.tag().length() - 7))
                                : null;
                if (shadow != null) {
                    b.append(
                            String.format(
                                    "%-9s %-36s",
                                    "shadow",
                                    spec.root().relativize(shadow.scriptPath()).toString()));
                    b.append(" parallelism ").append(n.node().getParallelism());
                    b.append(
                            shadow.redisDb() == ShadowSpec.NEXT_FREE
                                    ? ""
                                    : "  redis_db " + shadow.redisDb());
                } else if (s == null) {
                    b.append("(engine operator)");
                } else {
                    b.append(
                            String.format(
                                    "%-9s %-36s",
                                    s.kind().table().replaceAll("s$", ""), s.scriptName()));
                    b.append(" parallelism ").append(n.node().getParallelism());
                    b.append(s.key() == null ? "" : "  key " + s.key());
                    if (s.defaultAnalyzer() != null) {
                        b.append("  default_analyzer \"").append(s.defaultAnalyzer()).append('"');
                    }
                    if (s.defaultOutput() != null) {
                        b.append("  default_output \"").append(s.defaultOutput()).append('"');
                    }
                }
                out.println(b.toString().stripTrailing());
            }
        }
        section(out, "outputs", Role.OUTPUT);
        out.println("edges");
        int width = nodes.values().stream().mapToInt(n -> label(n).length()).max().orElse(8);
        String row = "  %-" + width + "s -> %-" + width + "s  %-9s %s";
        for (Node n : nodes.values()) {
            for (StreamEdge e : n.node().getOutEdges()) {
                Node to = nodes.get(e.getTargetId());
                out.println(
                        String.format(row, label(n), label(to), partitioning(e), carries(e))
                                .stripTrailing());
            }
        }
        out.println("flink tasks (operators chained into one task; the dashboard's boxes)");
        for (JobVertex v : tasks) {
            out.println("  " + v.getName() + "  parallelism " + v.getParallelism());
        }
        for (StageSpec a : spec.analyzers()) {
            if (nodes.values().stream()
                    .noneMatch(n -> n.role() == Role.STAGE && n.tag().equals(a.tag()))) {
                out.println(
                        "note: "
                                + a.describe()
                                + " receives events from no stage and is not started");
            }
        }
    }

    private void section(PrintStream out, String title, Role role) {
        out.println(title);
        for (Node n : nodes.values()) {
            if (n.role() == role) {
                out.println(
                        String.format(
                                        "  %-14s%-56s parallelism %d%s",
                                        shownTag(n.tag())
                                                + (shownTag(n.tag()).length() >= 14 ? " " : ""),
                                        n.detail(),
                                        n.node().getParallelism(),
                                        role == Role.OUTPUT ? builtin(n.tag()) : "")
                                .stripTrailing());
            }
        }
    }

    private static String shownTag(String tag) {
        return switch (tag) {
            case RouteTags.LOG_OUTPUT -> "(log)";
            case RouteTags.STATS_OUTPUT -> "(stats)";
            default -> tag;
        };
    }

    private static String builtin(String tag) {
        return switch (tag) {
            case RouteTags.LOG_OUTPUT -> "  log_event lines";
            case RouteTags.STATS_OUTPUT -> "  stats_event lines and the engine's stats";
            case PipelineSpec.ERRORS_TAG -> "  rejected events";
            default -> "";
        };
    }

    private static String label(Node n) {
        return switch (n.role()) {
            case SOURCE -> "source:" + n.tag();
            case OUTPUT -> "output:" + shownTag(n.tag());
            default -> n.tag();
        };
    }

    private static String partitioning(StreamEdge e) {
        String p = e.getPartitioner().toString();
        return switch (p) {
            case "FORWARD" -> "forward";
            case "HASH" -> "by key";
            case "REBALANCE" -> "rebalance";
            default -> p.toLowerCase();
        };
    }

    private static String carries(StreamEdge e) {
        if (e.getOutputTag() == null) {
            return "";
        }
        String id = e.getOutputTag().getId();
        if (id.startsWith("analyzer:")) {
            return "analyze_event";
        }
        if (id.startsWith("shadow:")) {
            return "each event and what the live version did";
        }
        return switch (id.substring(id.indexOf(':') + 1)) {
            case PipelineSpec.ERRORS_TAG -> "errors";
            case RouteTags.LOG_OUTPUT -> "log_event";
            case RouteTags.STATS_OUTPUT -> "stats_event";
            default -> "output_event";
        };
    }

    private void dot(PrintStream out) {
        out.println("digraph \"dragonfly-mle\" {");
        out.println("  rankdir=LR;");
        out.println("  label=\"" + esc(spec.configFile().toString()) + "\"; labelloc=t;");
        out.println("  node [fontname=\"Helvetica\", fontsize=10];");
        out.println("  edge [fontname=\"Helvetica\", fontsize=9];");
        for (Node n : nodes.values()) {
            String shape;
            String text;
            switch (n.role()) {
                case SOURCE -> {
                    shape = "shape=cds, style=filled, fillcolor=\"#dde8f7\"";
                    text = "source " + n.tag() + "\\n" + esc(n.detail());
                }
                case OUTPUT -> {
                    shape = "shape=note, style=filled, fillcolor=\"#e7f4e4\"";
                    text = "output " + shownTag(n.tag()) + "\\n" + esc(n.detail());
                }
                case STAGE -> {
                    StageSpec s = stage(n.tag());
                    shape = "shape=box, style=\"rounded,filled\", fillcolor=\"#fdf1d6\"";
                    text =
                            s.kind().table().replaceAll("s$", "")
                                    + " "
                                    + n.tag()
                                    + "\\n"
                                    + esc(s.scriptName())
                                    + (s.key() == null ? "" : "\\nkey " + esc(s.key()));
                }
                default -> {
                    shape = "shape=box";
                    text = esc(n.tag());
                }
            }
            out.println(
                    "  n"
                            + n.node().getId()
                            + " ["
                            + shape
                            + ", label=\""
                            + text
                            + "\\nparallelism "
                            + n.node().getParallelism()
                            + "\"];");
        }
        for (Node n : nodes.values()) {
            for (StreamEdge e : n.node().getOutEdges()) {
                String what = carries(e);
                boolean engine =
                        what.equals("errors")
                                || what.equals("log_event")
                                || what.equals("stats_event");
                String part = partitioning(e);
                String label = (what + (part.equals("forward") ? "" : " (" + part + ")")).trim();
                out.println(
                        "  n"
                                + n.node().getId()
                                + " -> n"
                                + e.getTargetId()
                                + " ["
                                + (label.isEmpty() ? "" : "label=\"" + label + "\"")
                                + (engine
                                        ? (label.isEmpty() ? "" : ", ") + "style=dashed, color=gray"
                                        : "")
                                + "];");
            }
        }
        out.println("}");
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
