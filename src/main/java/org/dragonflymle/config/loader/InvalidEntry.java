package org.dragonflymle.config.loader;

/**
 * One problem with one config.lua value, thrown by readers and collected by {@link Problems}. The
 * message is the problem alone ("missing script"); the file and entry are added when collected.
 */
final class InvalidEntry extends Exception {

    InvalidEntry(String problem) {
        super(problem, null, false, false);
    }
}
