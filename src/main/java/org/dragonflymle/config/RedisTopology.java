package org.dragonflymle.config;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What kind of Redis deployment scripts' {@code hiredis.connect()} talks to: one server ({@code
 * redis_host}/{@code redis_url}), a Redis Cluster found through its seed nodes ({@code
 * redis_cluster}), or a master found through Sentinels ({@code redis_sentinel}). See docs/redis.md.
 */
public sealed interface RedisTopology extends Serializable {

    /** One server at {@link RedisSpec#host()}:{@link RedisSpec#port()}. */
    Standalone STANDALONE = new Standalone();

    /** For messages: no password, no secrets. */
    String describe();

    /** One server; the address is the spec's host and port. */
    record Standalone() implements RedisTopology {
        @Override
        public String describe() {
            return "standalone";
        }
    }

    /**
     * A Redis Cluster: commands are routed by key slot to the masters the seed nodes name.
     *
     * @param seeds nodes asked for the slot map, in order, until one answers; at least one
     */
    record Cluster(List<RedisAddress> seeds) implements RedisTopology {
        public Cluster {
            seeds = List.copyOf(seeds);
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("a cluster needs at least one seed node");
            }
        }

        @Override
        public String describe() {
            return "cluster " + joined(seeds);
        }
    }

    /**
     * A master watched by Sentinels: the Sentinels are asked where {@code master} is, at every
     * (re)connect.
     *
     * @param master the name the Sentinels monitor it under ({@code sentinel monitor NAME ...})
     * @param sentinels the Sentinels, asked in order until one answers; at least one
     */
    record Sentinel(String master, List<RedisAddress> sentinels) implements RedisTopology {
        public Sentinel {
            Objects.requireNonNull(master, "master");
            sentinels = List.copyOf(sentinels);
            if (sentinels.isEmpty()) {
                throw new IllegalArgumentException("Sentinel mode needs at least one Sentinel");
            }
        }

        @Override
        public String describe() {
            return "sentinel master " + master + " via " + joined(sentinels);
        }
    }

    private static String joined(List<RedisAddress> addresses) {
        return addresses.stream().map(RedisAddress::toString).collect(Collectors.joining(","));
    }
}
