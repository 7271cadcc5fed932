package org.dragonflymle.redis;

import java.util.HashMap;
import java.util.Map;
import org.dragonflymle.config.RedisSpec;

/**
 * The connections of one concurrent stage instance: the first {@code hiredis.connect} to a given
 * Redis opens it, every later one (from the instance's other Lua states) gets a view of the same
 * {@link SharedPipeline}. The connection closes when its last view does. Thread-safe.
 */
public final class SharedConnections implements ConnectionOpener {

    private final Map<RedisSpec, SharedPipeline> pipelines = new HashMap<>();

    @Override
    public synchronized RedisConnection open(
            RedisSpec spec,
            ReconnectPolicy policy,
            CommandInterceptor interceptor,
            RedisOutageLog outages) {
        SharedPipeline shared = pipelines.get(spec);
        if (shared != null) {
            try {
                return shared.view();
            } catch (IllegalStateException closed) {
                pipelines.remove(spec); // every view was closed: connect again
            }
        }
        shared = new SharedPipeline(RedisConnection.open(spec, policy, interceptor, outages));
        pipelines.put(spec, shared);
        return shared.view();
    }
}
