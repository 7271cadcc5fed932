package org.dragonflymle.testutils;

import org.dragonflymle.redis.server.RedisServerProcess;

/**
 * A JVM that starts a redis-server as the launcher does (dying with its parent), prints the
 * server's pid and its directory, and waits to be killed: for the test that kills it.
 */
public final class RedisChild {

    private RedisChild() {}

    public static void main(String[] args) throws Exception {
        RedisServerProcess server = RedisServerProcess.builder().dieWithParent(true).start();
        System.out.println(server.pid() + " " + server.unixSocket().getParent());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
