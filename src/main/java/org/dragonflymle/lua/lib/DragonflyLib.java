package org.dragonflymle.lua.lib;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dragonflymle.config.Capabilities;
import org.dragonflymle.lua.api.EventRouter;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.lua.budget.CallBudget;
import org.dragonflymle.lua.compat.LuaToString;
import org.dragonflymle.lua.sandbox.ScriptPaths;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code dragonfly} module (docs/lua-api.md): routing calls go to the {@link EventRouter}, the
 * helpers run here. Argument counts are checked exactly as the C engine did ({@code expecting
 * exactly 2 arguments}); {@code analyze_event} with a nil or empty tag drops the event silently.
 *
 * <p>Members added later ({@code dragonfly.state}, {@code dragonfly.metric}) are passed in as
 * {@code extensions} and set on the table as they are; they may not replace a built-in member.
 */
public final class DragonflyLib extends TwoArgFunction {

    private final EventRouter router;
    private final ScriptPaths paths;
    private final Map<String, LuaValue> extensions;
    private final Capabilities capabilities;
    private CallBudget budget;

    public DragonflyLib(EventRouter router, ScriptContext ctx) {
        this(router, ctx, Map.of());
    }

    /**
     * @param extensions extra members of the table, e.g. {@code state} and {@code metric}
     */
    public DragonflyLib(EventRouter router, ScriptContext ctx, Map<String, LuaValue> extensions) {
        this(router, ctx, extensions, Capabilities.defaults());
    }

    /**
     * @param capabilities where {@code http_get} may download from, how much and how long
     */
    public DragonflyLib(
            EventRouter router,
            ScriptContext ctx,
            Map<String, LuaValue> extensions,
            Capabilities capabilities) {
        this.router = router;
        this.paths = new ScriptPaths(ctx);
        this.extensions = Map.copyOf(extensions);
        this.capabilities = capabilities;
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        budget = env instanceof Globals g && g.debuglib instanceof CallBudget b ? b : null;
        LuaTable t = new LuaTable();
        Fn output = new Fn("output_event", 2);
        for (Fn f :
                new Fn[] {
                    new Fn("analyze_event", 2),
                    output,
                    new Fn("log_event", 1),
                    new Fn("stats_event", 1),
                    new Fn("timer_event", 3),
                    new Fn("date2epoch", 1),
                    new Fn("http_get", 2),
                    new Fn("dnslookup", 1),
                    new Fn("echo", 1)
                }) {
            t.set(f.member(), f);
        }
        t.set("forward_event", output);
        // Extensions: dragonfly.state and dragonfly.metric are installed here.
        for (Map.Entry<String, LuaValue> e : extensions.entrySet()) {
            if (!t.get(e.getKey()).isnil()) {
                throw new IllegalArgumentException("dragonfly." + e.getKey() + " is built in");
            }
            t.set(e.getKey(), e.getValue());
        }
        env.set("dragonfly", t);
        env.get("package").get("loaded").set("dragonfly", t);
        return t;
    }

    /** One member function; dispatches on its name after checking the argument count. */
    private final class Fn extends VarArgFunction {
        private final int arity;

        Fn(String name, int arity) {
            this.name = name;
            this.arity = arity;
        }

        String member() {
            return name;
        }

        private LuaValue lastTag;
        private String lastTagString;

        /**
         * A routing tag as a Java string. Scripts pass the same Lua string (a global such as
         * default_analyzer, or a constant) event after event: converting it once saves a UTF-8
         * decode per routed event.
         */
        private String tagString(LuaValue tag) {
            if (tag != lastTag) {
                lastTagString = tag.checkjstring();
                lastTag = tag;
            }
            return lastTagString;
        }

        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() != arity) {
                throw new LuaError(
                        name
                                + ": expecting exactly "
                                + arity
                                + (arity == 1 ? " argument" : " arguments"));
            }
            switch (name) {
                case "analyze_event":
                    {
                        LuaValue tag = args.arg1();
                        if (!tag.isnil()) {
                            String s = tagString(tag);
                            if (!s.isEmpty()) {
                                router.analyze(s, args.arg(2));
                            }
                        }
                        return NONE;
                    }
                case "output_event":
                    router.output(tagString(args.arg1()), args.arg(2));
                    return NONE;
                case "log_event":
                    router.log(args.arg1());
                    return NONE;
                case "stats_event":
                    router.stats(args.arg1());
                    return NONE;
                case "timer_event":
                    return timer(args);
                case "date2epoch":
                    return date2epoch(args.checkjstring(1));
                case "http_get":
                    httpGet(args.checkjstring(1), args.checkjstring(2));
                    return NONE;
                case "dnslookup":
                    return dnslookup(args.checkjstring(1));
                case "echo":
                    System.err.println(LuaToString.of(args.arg1()).tojstring());
                    return NONE;
                default:
                    throw new IllegalStateException(name);
            }
        }

        private Varargs timer(Varargs args) {
            String tag = args.checkjstring(1);
            double seconds = args.checkdouble(2);
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new LuaError("timer_event: seconds must be a number >= 0, got " + seconds);
            }
            router.timer(tag, seconds, args.arg(3));
            return NONE;
        }
    }

    private static LuaValue date2epoch(String ts) {
        try {
            return valueOf(EveTimestamp.toEpoch(ts));
        } catch (IllegalArgumentException e) {
            throw new LuaError("date2epoch: " + e.getMessage());
        }
    }

    private static LuaValue dnslookup(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            LuaTable t = new LuaTable(all.length, 0);
            for (int i = 0; i < all.length; i++) {
                t.rawset(i + 1, valueOf(all[i].getHostAddress()));
            }
            return t;
        } catch (UnknownHostException | SecurityException e) {
            throw new LuaError("dnslookup: " + host + " does not resolve");
        }
    }

    /**
     * Downloads {@code url} into {@code file}, which must be under ROOT/data ({@link HttpDownload}
     * says from where, how much and how long). The body goes to a temporary file next to the
     * target, moved into place only after a complete 2xx answer, so a failed download never leaves
     * half a file behind.
     */
    private void httpGet(String url, String file) {
        Path target;
        try {
            target = paths.forDownload(file);
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new LuaError("http_get: " + e.getMessage());
        }
        new HttpDownload(capabilities, budget).get(url, target);
    }
}
