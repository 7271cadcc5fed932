package org.dragonflymle.ml.protocol;

import java.util.Arrays;
import org.dragonflymle.format.PrintfFloat;

/**
 * Prints a prediction as Redis-ML replied it: C's {@code printf("%.17g", v)} ({@link PrintfFloat}),
 * 17 significant digits correctly rounded, trailing zeros dropped, so {@code 14.0} is {@code "14"},
 * {@code 1/(1+e^4)} is {@code "0.017986209962091559"} and {@code 0.1} is {@code
 * "0.10000000000000001"}. Seventeen digits name every double exactly, so a script that calls {@code
 * tonumber} on the reply gets the very number the engine computed. Stateless and thread-safe.
 */
public final class PredictionFormat {

    private static final int DIGITS = 17;

    /** The longest text a prediction prints as ({@code -2.2250738585072014e-308}). */
    public static final int MAX_LENGTH = PrintfFloat.MAX_G_LENGTH;

    private PredictionFormat() {}

    /** {@code %.17g} of {@code v} as ASCII bytes. */
    public static byte[] format(double v) {
        return format(v, new byte[MAX_LENGTH]);
    }

    /**
     * {@code %.17g} of {@code v} as ASCII bytes, using {@code scratch} (at least {@link
     * #MAX_LENGTH} long) so that the returned array is the only allocation.
     */
    public static byte[] format(double v, byte[] scratch) {
        return Arrays.copyOf(scratch, PrintfFloat.writeG(v, DIGITS, scratch));
    }
}
