package org.dragonflymle.ml.protocol;

import java.nio.charset.StandardCharsets;

/** Byte-string helpers for command words. Stateless. */
public final class Ascii {

    private Ascii() {}

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code b} equals {@code upper} (an upper-case ASCII word) ignoring ASCII case. */
    public static boolean equalsIgnoreCase(byte[] b, byte[] upper) {
        if (b.length != upper.length) {
            return false;
        }
        for (int i = 0; i < b.length; i++) {
            byte c = b[i];
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if (c != upper[i]) {
                return false;
            }
        }
        return true;
    }
}
