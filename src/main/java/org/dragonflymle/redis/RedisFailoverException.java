package org.dragonflymle.redis;

/**
 * A master that a connection wrote to was replaced by a promoted replica (or became unreachable
 * with replicas that may take over) since the stage's last checkpoint. Redis replicates
 * asynchronously: whatever that master acknowledged but had not passed on is not on the new master,
 * and the stage must go back to its last checkpoint and replay the events since, so that their
 * commands run again. Thrown by {@link RedisConnection#checkpoint()}.
 */
public class RedisFailoverException extends RuntimeException {

    public RedisFailoverException(String message) {
        super(message);
    }
}
