package org.dragonflymle.config.loader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loader's log in production: the {@code org.dragonflymle.config.loader.ConfigLoader} logger.
 */
final class Slf4jConfigLog implements ConfigLog {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    @Override
    public void warn(String message) {
        LOG.warn(message);
    }

    @Override
    public void info(String message) {
        LOG.info(message);
    }
}
