package org.dragonflymle.testutils;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Records what one logger writes (through the real log4j backend behind slf4j), so a test can
 * assert how many lines a Redis outage produced. Close it to detach.
 */
public final class RedisLogCapture implements AutoCloseable {

    private final String loggerName;
    private final LoggerContext context;
    private final LoggerConfig loggerConfig;
    private final Appender appender;

    private RedisLogCapture(String loggerName) {
        this.loggerName = loggerName;
        this.context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        this.loggerConfig = new LoggerConfig(loggerName, Level.ALL, false);
        this.appender = new Appender();
        appender.start();
        loggerConfig.addAppender(appender, Level.ALL, null);
        config.addLogger(loggerName, loggerConfig);
        context.updateLoggers();
    }

    /** Starts recording {@code type}'s logger at every level. */
    public static RedisLogCapture of(Class<?> type) {
        return new RedisLogCapture(type.getName());
    }

    /** The formatted messages recorded so far, as "LEVEL message". */
    public synchronized List<String> lines() {
        return List.copyOf(appender.lines);
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(loggerName);
        context.updateLoggers();
        appender.stop();
    }

    private final class Appender extends AbstractAppender {
        private final List<String> lines = new ArrayList<>();

        Appender() {
            super("capture-" + loggerName, null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            synchronized (RedisLogCapture.this) {
                lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        }
    }
}
