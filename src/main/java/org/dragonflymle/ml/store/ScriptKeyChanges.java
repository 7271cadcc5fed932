package org.dragonflymle.ml.store;

import java.util.List;
import org.dragonflymle.ml.protocol.Ascii;

/**
 * Watches the commands a script sends to Redis itself for those that remove or replace keys
 * wholesale ({@code DEL}, {@code UNLINK}, {@code RENAME}, {@code RENAMENX}, {@code COPY}, {@code
 * MOVE}, {@code RESTORE}, {@code FLUSHDB}, {@code FLUSHALL}, {@code SELECT}, {@code SWAPDB}), so
 * that a model the script deletes or replaces this way is re-checked on its next use instead of
 * being scored from the cached copy. Costs a few byte comparisons per command, nothing when no
 * model is cached. Other writes to a model's key are seen within the cache's refresh interval.
 */
public final class ScriptKeyChanges {

    private static final byte[] DEL = Ascii.bytes("DEL");
    private static final byte[] UNLINK = Ascii.bytes("UNLINK");
    private static final byte[] RENAME = Ascii.bytes("RENAME");
    private static final byte[] RENAMENX = Ascii.bytes("RENAMENX");
    private static final byte[] COPY = Ascii.bytes("COPY");
    private static final byte[] MOVE = Ascii.bytes("MOVE");
    private static final byte[] RESTORE = Ascii.bytes("RESTORE");
    private static final byte[][] EVERY_KEY = {
        Ascii.bytes("FLUSHDB"),
        Ascii.bytes("FLUSHALL"),
        Ascii.bytes("SELECT"),
        Ascii.bytes("SWAPDB")
    };

    private ScriptKeyChanges() {}

    /** Expires the cached models {@code command} may remove or replace. */
    public static void observe(List<byte[]> command, ModelCache cache) {
        if (cache.size() == 0) {
            return;
        }
        byte[] name = command.get(0);
        if (name.length < 3 || name.length > 8) {
            return;
        }
        if (Ascii.equalsIgnoreCase(name, DEL) || Ascii.equalsIgnoreCase(name, UNLINK)) {
            for (int i = 1; i < command.size(); i++) {
                cache.expire(command.get(i));
            }
        } else if (Ascii.equalsIgnoreCase(name, RENAME)
                || Ascii.equalsIgnoreCase(name, RENAMENX)
                || Ascii.equalsIgnoreCase(name, COPY)) {
            for (int i = 1; i < Math.min(3, command.size()); i++) {
                cache.expire(command.get(i));
            }
        } else if (Ascii.equalsIgnoreCase(name, MOVE) || Ascii.equalsIgnoreCase(name, RESTORE)) {
            if (command.size() > 1) {
                cache.expire(command.get(1));
            }
        } else {
            for (byte[] every : EVERY_KEY) {
                if (Ascii.equalsIgnoreCase(name, every)) {
                    cache.expireAll();
                    return;
                }
            }
        }
    }
}
