package org.dragonflymle.cli;

import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * The engine's own log in local mode: {@code LOGDIR/dragonfly-mle.log} (the file scripts' {@code
 * log_event} lines also go to) and the terminal. Flink's chatter stays at WARN on the terminal;
 * {@code -v} shows the engine's INFO lines there and Flink's INFO in the file. Stack traces go to
 * the file; the terminal gets them only with {@code -v}.
 */
final class EngineLogging {

    /** A logger that writes to the log file only. */
    static final String FILE_ONLY = "org.dragonflymle.cli.FileOnly";

    private EngineLogging() {}

    static void configure(Path logDir, boolean verbose) {
        ConfigurationBuilder<BuiltConfiguration> b =
                ConfigurationBuilderFactory.newConfigurationBuilder();
        AppenderComponentBuilder console =
                b.newAppender("terminal", "Console")
                        .addAttribute("target", "SYSTEM_ERR")
                        .add(
                                b.newLayout("PatternLayout")
                                        .addAttribute("pattern", "dragonfly-mle: %-5level %msg%n")
                                        // one line per problem on the terminal; the stack trace
                                        // is in the log file, and on the terminal with -v
                                        .addAttribute("alwaysWriteExceptions", verbose))
                        .add(
                                b.newFilter("ThresholdFilter", "ACCEPT", "DENY")
                                        .addAttribute("level", verbose ? Level.INFO : Level.WARN));
        AppenderComponentBuilder file =
                b.newAppender("file", "File")
                        .addAttribute("fileName", logDir.resolve("dragonfly-mle.log").toString())
                        .addAttribute("append", true)
                        .add(
                                b.newLayout("PatternLayout")
                                        .addAttribute(
                                                "pattern", "%d{ISO8601} %-5level %c{1} - %msg%n"));
        b.add(console).add(file);
        b.add(b.newLogger("org.dragonflymle", Level.INFO).addAttribute("additivity", true));
        // what the launcher prints itself, recorded in the log file without a second terminal line
        b.add(
                b.newLogger(FILE_ONLY, Level.INFO)
                        .addAttribute("additivity", false)
                        .add(b.newAppenderRef("file")));
        if (!verbose) {
            // Flink's local-mode warnings (no tokens, no log.file) mean nothing to a user
            b.add(b.newLogger("org.apache.flink", Level.ERROR).addAttribute("additivity", true));
            // the Kafka clients warn on every reconnect attempt; the kafka connector says it once
            b.add(b.newLogger("org.apache.kafka", Level.ERROR).addAttribute("additivity", true));
        }
        b.add(
                b.newRootLogger(verbose ? Level.INFO : Level.WARN)
                        .add(b.newAppenderRef("terminal"))
                        .add(b.newAppenderRef("file")));
        BuiltConfiguration config = b.build();
        LoggerContext ctx = Configurator.initialize(config);
        // a context that was already running (a class logged before this) keeps its old
        // configuration until it is given the new one; a fresh one started with this one
        if (ctx != null && ctx.getConfiguration() != config) {
            ctx.reconfigure(b.build());
        }
    }
}
