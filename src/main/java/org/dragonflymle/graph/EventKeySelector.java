package org.dragonflymle.graph;

import org.apache.flink.api.java.functions.KeySelector;
import org.dragonflymle.event.Event;
import org.dragonflymle.event.JsonDecoder;
import org.dragonflymle.event.JsonFormatException;
import org.dragonflymle.event.JsonValidator;
import org.luaj.vm2.LuaValue;

/**
 * The key of a stage with {@code key="a.b.c"}: the value at that dotted path of the event, as Lua's
 * {@code tostring} would print it ({@code ""} when absent), so events with the same key reach the
 * same instance in order. Only the levels on the path are decoded. Raw input lines are validated
 * first; a line that is not JSON gets the empty key and is rejected by the stage.
 *
 * <p>Public so that {@code dragonfly-mle test} keys its events exactly as the engine does.
 */
public final class EventKeySelector implements KeySelector<Event, String> {

    private static final long serialVersionUID = 1L;

    private final String[] path;
    private final int maxDepth;
    private transient JsonValidator validator;

    public EventKeySelector(String dottedPath, int maxDepth) {
        this.path = dottedPath.split("\\.");
        this.maxDepth = maxDepth;
    }

    @Override
    public String getKey(Event event) {
        byte[] b = event.bytes();
        if (event.kind() == Event.Kind.OVERSIZED) {
            return "";
        }
        if (event.kind() == Event.Kind.LINE) {
            if (validator == null) {
                validator = new JsonValidator(maxDepth);
            }
            try {
                validator.validate(b, 0, b.length);
            } catch (JsonFormatException e) {
                return "";
            }
        }
        LuaValue v = JsonDecoder.decode(b, 0, b.length);
        for (String step : path) {
            if (!v.istable()) {
                return "";
            }
            v = v.get(step);
        }
        return v.isnil() ? "" : v.tojstring();
    }
}
