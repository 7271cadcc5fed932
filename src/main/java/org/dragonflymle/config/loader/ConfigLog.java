package org.dragonflymle.config.loader;

/**
 * Where the loader reports what does not stop the job: warnings (typos, literal tags naming
 * nothing, ignored tables) and notes ({@code print} in config.lua, Redis-ML modules). Messages
 * arrive complete, with the config.lua path and secrets masked.
 */
interface ConfigLog {

    void warn(String message);

    void info(String message);
}
