package org.dragonflymle.config.loader;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.PipelineSpec;

/** A Dragonfly ROOT built in a temporary directory, with a config.lua and scripts. */
public final class ConfigFixture {

    final Path root;
    final Path logDir;
    final List<String> warnings = new ArrayList<>();
    public final List<String> notes = new ArrayList<>();

    public ConfigFixture(Path tmp) {
        this.root = tmp.resolve("root");
        this.logDir = tmp.resolve("log");
        mkdirs(root.resolve("config"));
        mkdirs(root.resolve("filter"));
        mkdirs(root.resolve("analyzer"));
    }

    Path configFile() {
        return root.resolve("config/config.lua");
    }

    public ConfigFixture config(String lua) {
        return write("config/config.lua", lua);
    }

    ConfigFixture filter(String name, String lua) {
        return write("filter/" + name, lua);
    }

    ConfigFixture analyzer(String name, String lua) {
        return write("analyzer/" + name, lua);
    }

    ConfigFixture write(String relative, String text) {
        Path file = root.resolve(relative);
        mkdirs(file.getParent());
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    static final String INPUT =
            "{ tag=\"eve\", uri=\"file:///e.json\", script=\"eve.lua\", default_analyzer=\"triage\" }";
    static final String ANALYZER =
            "{ tag=\"triage\", script=\"triage.lua\", default_output=\"alerts\" }";
    static final String OUTPUT = "{ tag=\"alerts\", uri=\"file://alerts.log\" }";

    /** A config.lua with these table bodies, and the scripts of {@link #basicScripts()}. */
    ConfigFixture pipeline(String inputs, String analyzers, String outputs) {
        basicScripts();
        return config(
                "inputs = {\n  "
                        + inputs
                        + "\n}\nanalyzers = {\n  "
                        + analyzers
                        + "\n}\noutputs = {\n  "
                        + outputs
                        + "\n}\n");
    }

    /** A minimal valid pipeline: input eve -> analyzer triage -> output alerts. */
    public ConfigFixture basicScripts() {
        filter(
                "eve.lua",
                "function loop(msg) dragonfly.analyze_event(default_analyzer, msg) end\n");
        analyzer(
                "triage.lua",
                "function loop(msg) dragonfly.output_event(default_output, msg) end\n");
        return this;
    }

    public PipelineSpec load() throws ConfigException {
        return ConfigLoader.load(
                root,
                logDir,
                new ConfigLog() {
                    @Override
                    public void warn(String message) {
                        warnings.add(message);
                    }

                    @Override
                    public void info(String message) {
                        notes.add(message);
                    }
                });
    }

    /** Loads a config that must fail and returns the message. */
    public String failure() {
        ConfigException e = catchThrowableOfType(ConfigException.class, this::load);
        if (e == null) {
            throw new AssertionError("config loaded, but it should have failed");
        }
        return e.getMessage();
    }

    /** Asserts the message names the config file, the entry and each part of the problem. */
    public void assertNames(String message, String entry, String... problem) {
        org.assertj.core.api.Assertions.assertThat(message)
                .contains(configFile().toAbsolutePath().normalize().toString())
                .contains(entry);
        for (String part : problem) {
            org.assertj.core.api.Assertions.assertThat(message).contains(part);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
