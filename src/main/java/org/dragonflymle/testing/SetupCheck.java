package org.dragonflymle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.lua.ScriptSetupException;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.redis.server.RedisServerProcess;
import org.dragonflymle.stage.StageBindings;
import org.dragonflymle.stage.StageObserver;
import org.dragonflymle.stage.StageOutput;
import org.dragonflymle.stage.StageRuntime;

/**
 * Starts stages the way the engine starts them – the stage runtime runs each script's top level and
 * {@code setup()} – without touching anything the running engine uses: Redis is a {@link
 * ThrowawayRedis} (config.lua's password and database, no data), LOGDIR a temporary directory, and
 * what a script emits during setup goes nowhere. A reload runs this before it stops anything, so a
 * script that would not start is refused with the message a start would print.
 *
 * <p>What it cannot see: data that only the real Redis holds (a setup that needs keys another
 * program wrote fails here), and an explicit {@code hiredis.connect(host, port)}, which goes where
 * it says.
 */
public final class SetupCheck {

    private SetupCheck() {}

    /**
     * Starts and closes each of {@code stages}, one Lua state each, in order.
     *
     * @throws ScriptSetupException the first failure, its message as a start prints it
     */
    public static void run(PipelineSpec spec, List<StageSpec> stages) throws ScriptSetupException {
        if (stages.isEmpty()) {
            return;
        }
        Path logDir;
        try {
            logDir = Files.createTempDirectory("dragonfly-setup-check-");
        } catch (IOException e) {
            throw new ScriptSetupException("cannot create a temporary LOGDIR: " + e, e);
        }
        try (RedisServerProcess server = ThrowawayRedis.start(spec.redis())) {
            PipelineSpec scratch = ThrowawayRedis.pointedAt(spec, server, logDir);
            for (StageSpec stage : stages) {
                start(scratch, stage);
            }
        } finally {
            deleteTree(logDir);
        }
    }

    private static void start(PipelineSpec spec, StageSpec stage) throws ScriptSetupException {
        ScriptContext ctx = ScriptContext.forStage(stage, spec.root(), spec.logDir(), null);
        MemoryScriptState state =
                stage.key() == null ? null : new MemoryScriptState(stage.describe());
        try (StageRuntime runtime =
                new StageRuntime(
                        spec,
                        stage,
                        ctx,
                        new StageBindings(state, (name, n) -> {}, DISCARD, StageObserver.NONE))) {
            runtime.start();
        }
    }

    private static final StageOutput DISCARD =
            new StageOutput() {
                @Override
                public void toAnalyzer(String tag, byte[] json) {}

                @Override
                public void toOutput(String tag, byte[] json) {}

                @Override
                public void toLog(byte[] json) {}

                @Override
                public void toStats(byte[] json) {}

                @Override
                public void toErrors(byte[] record) {}

                @Override
                public void timer(String tag, long delayMillis, byte[] json) {}
            };

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
