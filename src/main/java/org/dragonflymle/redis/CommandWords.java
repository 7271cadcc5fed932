package org.dragonflymle.redis;

import java.nio.charset.StandardCharsets;

/** Command names and keywords as bytes, compared ignoring ASCII case, as Redis compares them. */
final class CommandWords {

    private CommandWords() {}

    static byte[] of(String word) {
        return word.getBytes(StandardCharsets.US_ASCII);
    }

    static byte lower(byte c) {
        return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
    }

    static boolean equalsIgnoreCase(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (lower(a[i]) != lower(b[i])) {
                return false;
            }
        }
        return true;
    }
}
