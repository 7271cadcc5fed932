package org.dragonflymle.config.loader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.dragonflymle.config.Capabilities;
import org.dragonflymle.config.CheckpointSpec;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.Limits;
import org.dragonflymle.config.OutputSpec;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.Secrets;
import org.dragonflymle.config.ShadowSpec;
import org.dragonflymle.config.StageKind;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.config.routing.RoutingGraph;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Loads {@code ROOT/config/config.lua} into a validated {@link PipelineSpec}: the only way a
 * pipeline comes into being, so the job never starts on a bad config.
 *
 * <p>What is promised:
 *
 * <ul>
 *   <li>config.lua runs in a sandbox with a bounded number of instructions ({@link ConfigSandbox});
 *       a syntax or run-time error is reported with its line.
 *   <li>Every problem is reported in one {@link ConfigException} naming the file, the entry ({@code
 *       analyzers[3] (tag "triage")}) and the problem, the first problem of each entry; a routing
 *       cycle is reported once the entries themselves are valid.
 *   <li>Every script exists under ROOT and compiles ({@link ScriptFiles} says where scripts are).
 *   <li>Tags are unique among inputs and analyzers, and among outputs ({@link TagRegistry}); every
 *       tag a stage names exists; analyzer routes have no cycle ({@link RoutingGraph}).
 *   <li>Route sets are complete as far as they can be known ({@link RouteResolver}).
 *   <li>Relative input paths are resolved under ROOT, relative output paths under LOGDIR; an {@code
 *       errors} output ({@code LOGDIR/dragonfly-errors.log}) exists even when config.lua has none.
 *   <li>Secrets (the Redis password, passwords in URIs) appear in no message or warning.
 * </ul>
 *
 * <p>Warnings (unknown fields, literal tags naming nothing, ignored tables) are logged; nothing
 * that only warrants a warning stops the job.
 */
public final class ConfigLoader {

    /** The file under ROOT that declares the pipeline. */
    public static final String CONFIG_FILE = "config/config.lua";

    /** The file under LOGDIR the built-in errors output writes to. */
    public static final String ERRORS_FILE = "dragonfly-errors.log";

    private static final Set<String> KNOWN_GLOBALS =
            Set.of(
                    "redis_host",
                    "redis_port",
                    "redis_password",
                    "redis_db",
                    "redis_tls",
                    "redis_url",
                    "redis_user",
                    "redis_cluster",
                    "redis_sentinel",
                    "inputs",
                    "analyzers",
                    "outputs",
                    "modules",
                    "responders",
                    "checkpoint",
                    "limits",
                    "sandbox");

    private final Path root;
    private final Path logDir;
    private final Path configFile;
    private final Secrets secrets = new Secrets();
    private final Problems problems;
    private final Consumer<String> warn;
    private final Consumer<String> info;

    private ConfigLoader(Path root, Path logDir, ConfigLog log) {
        this.root = root.toAbsolutePath().normalize();
        this.logDir = logDir.toAbsolutePath().normalize();
        this.configFile = this.root.resolve(CONFIG_FILE);
        this.problems = new Problems(configFile, secrets);
        this.warn = message -> log.warn(configFile + ": " + secrets.redact(message));
        this.info = message -> log.info(configFile + ": " + secrets.redact(message));
    }

    /**
     * Reads, runs and validates {@code root/config/config.lua}.
     *
     * @param root the Dragonfly root (scripts under {@code filter/} and {@code analyzer/})
     * @param logDir where relative output paths and the errors output go; need not exist yet
     * @throws ConfigException with a complete message for the user when anything is wrong
     */
    public static PipelineSpec load(Path root, Path logDir) throws ConfigException {
        return load(root, logDir, new Slf4jConfigLog());
    }

    /** As {@link #load(Path, Path)}, reporting warnings and notes to {@code log}. */
    static PipelineSpec load(Path root, Path logDir, ConfigLog log) throws ConfigException {
        return new ConfigLoader(root, logDir, log).load();
    }

    private PipelineSpec load() throws ConfigException {
        if (!Files.isDirectory(root)) {
            throw new ConfigException("ROOT " + root + " is not a directory");
        }
        if (!Files.isRegularFile(configFile)) {
            throw new ConfigException(configFile + ": not found (ROOT is " + root + ")");
        }
        byte[] source;
        try {
            source = Files.readAllBytes(configFile);
        } catch (IOException e) {
            throw new ConfigException(configFile + ": cannot be read: " + e, e);
        }
        secrets.addFromSource(new String(source, StandardCharsets.ISO_8859_1));
        ConfigSandbox.Result result;
        try {
            result = ConfigSandbox.run(source, configFile, "config.lua", info);
        } catch (ConfigException e) {
            throw new ConfigException(secrets.redact(e.getMessage()));
        }
        LuaTable globals = result.globals();
        RedisSettingsReader.collectSecrets(globals, secrets);

        RedisSpec redis = topLevel(() -> RedisSettingsReader.read(globals), RedisSpec.defaults());
        CheckpointSpec checkpoint =
                topLevel(
                        () -> CheckpointReader.read(globals.rawget("checkpoint"), warn),
                        CheckpointSpec.defaults());
        Limits limits =
                topLevel(
                        () -> LimitsReader.read(globals.rawget("limits"), warn), Limits.defaults());
        Capabilities capabilities =
                topLevel(
                        () -> CapabilitiesReader.read(globals.rawget("sandbox"), warn),
                        Capabilities.defaults());
        LegacyTablesReader.read(globals, warn, info);
        warnUnknownGlobals(globals, result.builtinNames());

        List<LuaValue> inputEntries = requiredList(globals, "inputs", true);
        List<LuaValue> analyzerEntries = requiredList(globals, "analyzers", false);
        List<LuaValue> outputEntries = requiredList(globals, "outputs", false);
        int stages =
                (inputEntries == null ? 0 : inputEntries.size())
                        + (analyzerEntries == null ? 0 : analyzerEntries.size());
        if (stages > limits.maxStages()) {
            // checked before any script is compiled: each stage costs a Lua state per instance
            throw new ConfigException(
                    configFile
                            + ": "
                            + stages
                            + " inputs and analyzers, more than limits.max_stages = "
                            + limits.maxStages());
        }

        TagRegistry stageTags = new TagRegistry("inputs and analyzers");
        ScriptFiles scriptFiles = new ScriptFiles(root);
        StageEntryReader stageReader = new StageEntryReader(root, scriptFiles, stageTags, warn);
        List<StageEntryReader.Draft> inputDrafts =
                readStages(stageReader, StageKind.INPUT, inputEntries);
        List<StageEntryReader.Draft> analyzerDrafts =
                readStages(stageReader, StageKind.ANALYZER, analyzerEntries);
        TagRegistry outputTags = new TagRegistry("outputs");
        List<OutputSpec> outputs = readOutputs(outputEntries, outputTags);
        if (inputEntries == null || analyzerEntries == null || outputEntries == null) {
            problems.throwIfAny(); // references cannot be checked against a missing table
        }

        // Tags of entries with problems count as known: one mistake, one message.
        Set<String> outputTagSet = new LinkedHashSet<>(outputTags.tagsOf("outputs"));
        outputTagSet.add(PipelineSpec.ERRORS_TAG);
        RouteResolver resolver = new RouteResolver(stageTags, outputTagSet, warn);
        List<StageSpec> inputs = resolveAll(resolver, inputDrafts, null);
        Map<String, Map<String, String>> analyzerEdges = new LinkedHashMap<>();
        List<StageSpec> analyzers = resolveAll(resolver, analyzerDrafts, analyzerEdges);
        Map<String, ShadowSpec> shadows =
                ShadowEntryReader.readAll(
                        analyzerEntries, analyzers, scriptFiles, stageTags, redis, problems);
        problems.throwIfAny();

        checkCycles(analyzers, analyzerEdges);
        return new PipelineSpec(
                root,
                logDir,
                configFile,
                redis,
                List.copyOf(inputs),
                List.copyOf(analyzers),
                List.copyOf(outputs),
                checkpoint,
                limits,
                capabilities,
                shadows);
    }

    private List<StageEntryReader.Draft> readStages(
            StageEntryReader reader, StageKind kind, List<LuaValue> entries) {
        List<StageEntryReader.Draft> drafts = new ArrayList<>();
        for (int i = 0; entries != null && i < entries.size(); i++) {
            drafts.add(reader.read(kind, i + 1, entries.get(i), problems));
        }
        return drafts;
    }

    private List<OutputSpec> readOutputs(List<LuaValue> entries, TagRegistry tags) {
        List<OutputSpec> outputs = new ArrayList<>();
        OutputEntryReader reader = new OutputEntryReader(logDir, tags, warn);
        for (int i = 0; entries != null && i < entries.size(); i++) {
            OutputSpec output = reader.read(i + 1, entries.get(i), problems);
            if (output != null) {
                outputs.add(output);
            }
        }
        if (tags.owner(PipelineSpec.ERRORS_TAG) == null) {
            outputs.add(
                    new OutputSpec(
                            0, PipelineSpec.ERRORS_TAG, "file://" + logDir.resolve(ERRORS_FILE)));
        }
        return outputs;
    }

    private List<StageSpec> resolveAll(
            RouteResolver resolver,
            List<StageEntryReader.Draft> drafts,
            Map<String, Map<String, String>> edges) {
        List<StageSpec> specs = new ArrayList<>();
        for (StageEntryReader.Draft draft : drafts) {
            if (draft == null) {
                continue;
            }
            try {
                RouteResolver.Resolved resolved = resolver.resolve(draft);
                specs.add(resolved.spec());
                if (edges != null) {
                    edges.put(draft.tag(), resolved.analyzerRouteOrigins());
                }
            } catch (InvalidEntry e) {
                problems.add(draft.ref(), e.getMessage());
            }
        }
        return specs;
    }

    private void checkCycles(List<StageSpec> analyzers, Map<String, Map<String, String>> edges)
            throws ConfigException {
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        edges.forEach((tag, routes) -> graph.put(tag, routes.keySet()));
        List<String> cycle = RoutingGraph.findCycle(graph).orElse(null);
        if (cycle == null) {
            return;
        }
        StringBuilder why = new StringBuilder();
        for (int i = 0; i + 1 < cycle.size(); i++) {
            String from = cycle.get(i);
            String to = cycle.get(i + 1);
            why.append(i == 0 ? "" : "; ")
                    .append(from)
                    .append(" -> ")
                    .append(to)
                    .append(" by ")
                    .append(edges.get(from).get(to));
        }
        StageSpec first =
                analyzers.stream().filter(a -> a.tag().equals(cycle.get(0))).findFirst().get();
        problems.add(
                new EntryRef(first.kind().table(), first.index(), first.tag()),
                "routing cycle: " + String.join(" -> ", cycle) + " (" + why + ")");
        problems.throwIfAny();
    }

    /**
     * A global that must be a list of entries.
     *
     * @return the entries; {@code null} (and a problem) when missing or malformed
     */
    private List<LuaValue> requiredList(LuaTable globals, String name, boolean nonEmpty) {
        LuaValue value = globals.rawget(name);
        if (value.isnil()) {
            problems.add(
                    "missing "
                            + name
                            + ": config.lua must set the global "
                            + name
                            + " = { ... } (not local)");
            return null;
        }
        if (!value.istable()) {
            problems.add(
                    name
                            + " must be a table of entries { {...}, {...} }, got "
                            + LuaValues.describe(value));
            return null;
        }
        try {
            List<LuaValue> entries = LuaValues.list((LuaTable) value, name);
            if (nonEmpty && entries.isEmpty()) {
                problems.add(name + " is empty: at least one is needed");
            }
            return entries;
        } catch (InvalidEntry e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private void warnUnknownGlobals(LuaTable globals, Set<String> builtins) {
        List<String> unknown = new ArrayList<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = globals.next(k);
            k = next.arg1();
            if (k.isnil()) {
                break;
            }
            String name = k.tojstring();
            if (!builtins.contains(name)
                    && !KNOWN_GLOBALS.contains(name)
                    && !next.arg(2).isfunction()) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            warn.accept(
                    "globals the engine does not read, ignored (a typo?): "
                            + unknown.stream().sorted().collect(Collectors.joining(", ")));
        }
    }

    private interface Reader<T> {
        T read() throws InvalidEntry;
    }

    /** Reads a top-level setting; on a problem, records it and goes on with {@code fallback}. */
    private <T> T topLevel(Reader<T> reader, T fallback) {
        try {
            return reader.read();
        } catch (InvalidEntry e) {
            problems.add(e.getMessage());
            return fallback;
        }
    }
}
