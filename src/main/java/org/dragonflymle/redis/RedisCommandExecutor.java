package org.dragonflymle.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a command straight to Redis over a {@link ReconnectingConnection}, bypassing its {@link
 * CommandInterceptor}. This is how an interceptor keeps its own data (such as Redis-ML models) in
 * Redis. Calls reconnect like any other and may throw {@link RedisUnavailableException}.
 */
public interface RedisCommandExecutor {

    /**
     * Runs one command and returns Redis's reply (an error reply is returned, not thrown).
     *
     * @param args the command name and its arguments; not kept after the call
     */
    RespReply execute(List<byte[]> args);

    /** {@link #execute(List)} with each argument encoded as UTF-8. */
    default RespReply execute(String... args) {
        List<byte[]> bytes = new ArrayList<>(args.length);
        for (String arg : args) {
            bytes.add(arg.getBytes(StandardCharsets.UTF_8));
        }
        return execute(bytes);
    }
}
