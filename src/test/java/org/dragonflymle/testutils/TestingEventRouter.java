package org.dragonflymle.testutils;

import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.lua.api.EventRouter;
import org.luaj.vm2.LuaValue;

/** Records what scripts emit through {@code dragonfly}, in order. */
public final class TestingEventRouter implements EventRouter {

    /** One call; {@code tag} is null for log/stats, {@code seconds} is 0 except for timers. */
    public record Call(String kind, String tag, double seconds, LuaValue value) {}

    private final List<Call> calls = new ArrayList<>();

    @Override
    public void analyze(String tag, LuaValue value) {
        calls.add(new Call("analyze", tag, 0, value));
    }

    @Override
    public void output(String tag, LuaValue value) {
        calls.add(new Call("output", tag, 0, value));
    }

    @Override
    public void log(LuaValue value) {
        calls.add(new Call("log", null, 0, value));
    }

    @Override
    public void stats(LuaValue value) {
        calls.add(new Call("stats", null, 0, value));
    }

    @Override
    public void timer(String tag, double seconds, LuaValue value) {
        calls.add(new Call("timer", tag, seconds, value));
    }

    public List<Call> calls() {
        return calls;
    }

    public Call only() {
        if (calls.size() != 1) {
            throw new AssertionError("expected exactly one call, got " + calls);
        }
        return calls.get(0);
    }
}
