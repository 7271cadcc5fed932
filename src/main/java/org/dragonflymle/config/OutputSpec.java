package org.dragonflymle.config;

import java.io.Serializable;

/**
 * One output of config.lua, or one the engine adds itself (the error, log and stats outputs).
 *
 * @param index 1-based position in {@code outputs}; 0 for an output the engine added
 * @param tag unique output tag
 * @param uri where lines go; relative {@code file://} paths are already resolved under LOGDIR
 */
public record OutputSpec(int index, String tag, String uri) implements Serializable {

    /** How messages name this entry. */
    public String describe() {
        return index == 0
                ? "built-in output \"" + tag + "\""
                : "outputs[" + index + "] (tag \"" + tag + "\")";
    }

    /** As the record's, with secrets in the URI (Kafka SASL settings) masked. */
    @Override
    public String toString() {
        return "OutputSpec[index="
                + index
                + ", tag="
                + tag
                + ", uri="
                + EndpointUri.redact(uri)
                + "]";
    }
}
