package org.dragonflymle.lua.api;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.dragonflymle.config.StageSpec;

/**
 * Everything one script instance needs to know about where it runs. Immutable; the paths are
 * absolute and normalized, so the sandbox can compare them.
 *
 * @param tag the stage's tag, for messages
 * @param script the script file (absolute)
 * @param scriptName how messages name the script, relative to ROOT ({@code analyzer/triage.lua})
 * @param root the Dragonfly root: scripts, {@code require} and reads live under it (absolute)
 * @param logDir the only place scripts may write files (absolute)
 * @param globals string globals set after the top-level code ran and before {@code setup()}: {@code
 *     default_analyzer}, {@code default_output} – each present only when configured
 * @param confinement the {@code -c DIR} directory every file access must also stay inside, or
 *     {@code null} when not confined
 */
public record ScriptContext(
        String tag,
        Path script,
        String scriptName,
        Path root,
        Path logDir,
        Map<String, String> globals,
        Path confinement) {

    public ScriptContext {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(scriptName, "scriptName");
        script = absolute(script, "script");
        root = absolute(root, "root");
        logDir = absolute(logDir, "logDir");
        globals = Map.copyOf(Objects.requireNonNull(globals, "globals"));
        confinement = confinement == null ? null : absolute(confinement, "confinement");
    }

    /**
     * The context of one validated stage: its globals are {@code default_analyzer} and {@code
     * default_output} where config.lua set them.
     */
    public static ScriptContext forStage(
            StageSpec stage, Path root, Path logDir, Path confinement) {
        Map<String, String> globals = new LinkedHashMap<>();
        if (stage.defaultAnalyzer() != null) {
            globals.put("default_analyzer", stage.defaultAnalyzer());
        }
        if (stage.defaultOutput() != null) {
            globals.put("default_output", stage.defaultOutput());
        }
        return new ScriptContext(
                stage.tag(),
                stage.script(),
                stage.scriptName(),
                root,
                logDir,
                globals,
                confinement);
    }

    private static Path absolute(Path p, String what) {
        Objects.requireNonNull(p, what);
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException(what + " must be absolute: " + p);
        }
        return p.normalize();
    }
}
