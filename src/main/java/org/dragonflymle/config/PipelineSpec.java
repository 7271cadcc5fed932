package org.dragonflymle.config;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A config.lua that passed validation: every tag unique, every route names an existing stage, every
 * script exists and compiles, no routing cycle. The job generator trusts it.
 *
 * @param root the Dragonfly root directory (absolute)
 * @param logDir where relative outputs and the engine's own logs go (absolute)
 * @param configFile ROOT/config/config.lua
 * @param inputs input stages in config order
 * @param analyzers analyzer stages in config order
 * @param outputs user outputs in config order, then the built-in ones (an {@code errors} output is
 *     always present)
 * @param shadows shadow analyzers by the live analyzer's tag ({@link ShadowSpec})
 */
public record PipelineSpec(
        Path root,
        Path logDir,
        Path configFile,
        RedisSpec redis,
        List<StageSpec> inputs,
        List<StageSpec> analyzers,
        List<OutputSpec> outputs,
        CheckpointSpec checkpoint,
        Limits limits,
        Capabilities capabilities,
        Map<String, ShadowSpec> shadows)
        implements Serializable {

    public PipelineSpec {
        shadows = Map.copyOf(shadows);
    }

    /** Without shadow analyzers. */
    public PipelineSpec(
            Path root,
            Path logDir,
            Path configFile,
            RedisSpec redis,
            List<StageSpec> inputs,
            List<StageSpec> analyzers,
            List<OutputSpec> outputs,
            CheckpointSpec checkpoint,
            Limits limits,
            Capabilities capabilities) {
        this(
                root,
                logDir,
                configFile,
                redis,
                inputs,
                analyzers,
                outputs,
                checkpoint,
                limits,
                capabilities,
                Map.of());
    }

    /** With the default {@link Capabilities}: no http_get host, no Redis admin command. */
    public PipelineSpec(
            Path root,
            Path logDir,
            Path configFile,
            RedisSpec redis,
            List<StageSpec> inputs,
            List<StageSpec> analyzers,
            List<OutputSpec> outputs,
            CheckpointSpec checkpoint,
            Limits limits) {
        this(
                root,
                logDir,
                configFile,
                redis,
                inputs,
                analyzers,
                outputs,
                checkpoint,
                limits,
                Capabilities.defaults());
    }

    /** The same pipeline with scripts' default Redis somewhere else. */
    public PipelineSpec withRedis(RedisSpec newRedis) {
        return new PipelineSpec(
                root,
                logDir,
                configFile,
                newRedis,
                inputs,
                analyzers,
                outputs,
                checkpoint,
                limits,
                capabilities,
                shadows);
    }

    /** The same pipeline with its shadows' Redis databases chosen ({@link ShadowSpec#redisDb}). */
    public PipelineSpec withShadows(Map<String, ShadowSpec> newShadows) {
        return new PipelineSpec(
                root,
                logDir,
                configFile,
                redis,
                inputs,
                analyzers,
                outputs,
                checkpoint,
                limits,
                capabilities,
                newShadows);
    }

    /** The same pipeline with other capabilities (the launcher reserves its own ports). */
    public PipelineSpec withCapabilities(Capabilities newCapabilities) {
        return new PipelineSpec(
                root,
                logDir,
                configFile,
                redis,
                inputs,
                analyzers,
                outputs,
                checkpoint,
                limits,
                newCapabilities,
                shadows);
    }

    /** Paths travel as strings: {@link Path} is not serializable (see {@link StageSpec}). */
    private Object writeReplace() {
        return new Serialized(
                root.toString(),
                logDir.toString(),
                configFile.toString(),
                redis,
                List.copyOf(inputs),
                List.copyOf(analyzers),
                List.copyOf(outputs),
                checkpoint,
                limits,
                capabilities,
                Map.copyOf(shadows));
    }

    private record Serialized(
            String root,
            String logDir,
            String configFile,
            RedisSpec redis,
            List<StageSpec> inputs,
            List<StageSpec> analyzers,
            List<OutputSpec> outputs,
            CheckpointSpec checkpoint,
            Limits limits,
            Capabilities capabilities,
            Map<String, ShadowSpec> shadows)
            implements Serializable {
        private Object readResolve() {
            return new PipelineSpec(
                    Path.of(root),
                    Path.of(logDir),
                    Path.of(configFile),
                    redis,
                    inputs,
                    analyzers,
                    outputs,
                    checkpoint,
                    limits,
                    capabilities,
                    shadows);
        }
    }

    /** The tag of the output that receives rejected records. */
    public static final String ERRORS_TAG = "errors";

    public Optional<StageSpec> analyzer(String tag) {
        return analyzers.stream().filter(a -> a.tag().equals(tag)).findFirst();
    }

    /** The shadow of analyzer {@code tag}, if config.lua gave it one. */
    public Optional<ShadowSpec> shadow(String tag) {
        return Optional.ofNullable(shadows.get(tag));
    }

    public Optional<OutputSpec> output(String tag) {
        return outputs.stream().filter(o -> o.tag().equals(tag)).findFirst();
    }
}
