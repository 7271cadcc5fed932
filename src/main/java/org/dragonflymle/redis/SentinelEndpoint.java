package org.dragonflymle.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.config.RedisAddress;
import org.dragonflymle.config.RedisTopology;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The master that Sentinels watch under one name, found anew at every connect: the Sentinels are
 * asked in turn ({@code SENTINEL GET-MASTER-ADDR-BY-NAME}), the one that answered is asked first
 * next time, and the server it names must answer {@code ROLE} as a master, as the Sentinel client
 * guidelines ask (right after a failover a Sentinel may still name the old master). Until then the
 * connect fails as for an unreachable Redis, so a {@link ReconnectingConnection} waits and retries
 * within its budget and logs the switch as one outage.
 *
 * <p>A server that answers {@code READONLY} was demoted while the connection stayed open: the
 * command was not run, and the connection finds the master again ({@link #demoted}).
 *
 * <p>The Sentinels themselves are asked without a password, over TLS when the data servers are;
 * {@code redis_password}/{@code redis_user} are for the master. Not thread-safe (one per
 * connection).
 */
final class SentinelEndpoint implements RedisEndpoint {

    private static final List<byte[]> ROLE = List.of(new byte[] {'R', 'O', 'L', 'E'});

    private final String master;
    private final String address;
    private final List<HostAndPort> sentinels = new ArrayList<>();
    private final JedisClientConfig sentinelConfig;
    private HostAndPort current;
    private String switched;
    private int replicas = -1;

    SentinelEndpoint(RedisTopology.Sentinel topology, boolean tls) {
        this.master = topology.master();
        this.address = topology.describe();
        for (RedisAddress a : topology.sentinels()) {
            sentinels.add(new HostAndPort(a.host(), a.port()));
        }
        int timeout = millis(ReconnectPolicy.defaults().connectTimeout());
        this.sentinelConfig =
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(timeout)
                        .socketTimeoutMillis(timeout)
                        .ssl(tls)
                        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                        .build();
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public TypedReplyConnection connect(JedisClientConfig config) {
        HostAndPort at = locate();
        TypedReplyConnection c = TypedReplyConnection.open(at, config);
        try {
            replicas = checkIsMaster(c, at);
        } catch (JedisException e) {
            c.closeQuietly();
            throw e;
        }
        if (current != null && !current.equals(at) && switched == null) {
            switched = current + " to " + at;
        }
        current = at;
        return c;
    }

    @Override
    public boolean failsOver() {
        return true;
    }

    @Override
    public int replicas() {
        return replicas;
    }

    @Override
    public void checkNoSwitch() {
        if (switched != null) {
            String what = switched;
            switched = null;
            throw new RedisFailoverException(
                    "Redis "
                            + address
                            + ": the master changed from "
                            + what
                            + " since the last checkpoint; writes the old master acknowledged"
                            + " but had not passed on to its replica are lost, so the stage goes"
                            + " back to its last checkpoint and replays the events since");
        }
    }

    @Override
    public boolean demoted(RespReply.ErrorReply error) {
        return error.message().startsWith("READONLY");
    }

    /** Where the Sentinels say the master is now. */
    private HostAndPort locate() {
        List<String> failures = new ArrayList<>();
        int answered = 0;
        for (int i = 0; i < sentinels.size(); i++) {
            HostAndPort sentinel = sentinels.get(i);
            try (Jedis j = new Jedis(sentinel, sentinelConfig)) {
                List<String> hostPort = j.sentinelGetMasterAddrByName(master);
                answered++;
                if (hostPort == null || hostPort.size() != 2) {
                    failures.add(sentinel + " knows no master named " + master);
                    continue;
                }
                if (i > 0) {
                    sentinels.add(0, sentinels.remove(i));
                }
                return new HostAndPort(hostPort.get(0), Integer.parseInt(hostPort.get(1)));
            } catch (JedisException | NumberFormatException e) {
                failures.add(sentinel + ": " + e.getMessage());
            }
        }
        String why =
                "no Sentinel named the master " + master + " (" + String.join("; ", failures) + ")";
        if (answered == sentinels.size()) {
            // every Sentinel answered and none knows the name: a configuration mistake
            throw new JedisDataException(why);
        }
        throw new JedisConnectionException(why);
    }

    /**
     * ROLE must say master; returns how many replicas it lists. A user whose ACL does not allow
     * ROLE cannot check: the Sentinels' word is taken then, and the replicas are unknown (-1).
     */
    private static int checkIsMaster(TypedReplyConnection c, HostAndPort at) {
        c.write(ROLE);
        c.flushRequests();
        RespReply reply = c.readReply();
        if (reply instanceof RespReply.ArrayReply a
                && !a.elements().isEmpty()
                && a.elements().get(0) instanceof RespReply.BulkReply role) {
            if (!role.text().equals("master")) {
                throw new JedisConnectionException(
                        at
                                + " is a "
                                + role.text()
                                + ", not the master yet (a failover is under way)");
            }
            if (a.elements().size() > 2 && a.elements().get(2) instanceof RespReply.ArrayReply r) {
                return r.elements().size();
            }
        }
        return -1;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }
}
