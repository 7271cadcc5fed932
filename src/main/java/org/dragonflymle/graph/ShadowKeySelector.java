package org.dragonflymle.graph;

import org.apache.flink.api.java.functions.KeySelector;
import org.dragonflymle.shadow.ShadowCase;

/**
 * Keys a shadow's input as its live stage's input was keyed: by the same field of the event each
 * {@link ShadowCase} carries, so the shadow's {@code dragonfly.state} is per key as the live one's.
 */
final class ShadowKeySelector implements KeySelector<byte[], String> {

    private static final long serialVersionUID = 1L;

    private final EventKeySelector keys;

    ShadowKeySelector(String dottedPath, int maxDepth) {
        this.keys = new EventKeySelector(dottedPath, maxDepth);
    }

    @Override
    public String getKey(byte[] shadowCase) {
        return keys.getKey(ShadowCase.decode(shadowCase).inputEvent());
    }
}
