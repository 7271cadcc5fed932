package org.dragonflymle.config.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dragonflymle.config.loader.ConfigFixture.ANALYZER;
import static org.dragonflymle.config.loader.ConfigFixture.INPUT;
import static org.dragonflymle.config.loader.ConfigFixture.OUTPUT;

import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.RedisAddress;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.RedisTopology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** redis_cluster, redis_sentinel and redis_user: what they read and what they refuse. */
class RedisTopologySettingsTest {

    @TempDir Path tmp;
    private ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(tmp);
    }

    private void pipelineWith(String prelude) {
        f.basicScripts()
                .config(
                        prelude
                                + "\ninputs = { "
                                + INPUT
                                + " }\nanalyzers = { "
                                + ANALYZER
                                + " }\noutputs = { "
                                + OUTPUT
                                + " }\n");
    }

    private RedisSpec redisWith(String prelude) throws ConfigException {
        pipelineWith(prelude);
        return f.load().redis();
    }

    @Test
    void clusterSeedsWithCredentialsAndTls() throws Exception {
        RedisSpec r =
                redisWith(
                        "redis_cluster = { \"10.0.0.1:7000\", \"redis-b\", \"[fd00::2]:7002\" }\n"
                                + "redis_password = \"pw\"\nredis_user = \"engine\"\n"
                                + "redis_tls = true");

        assertThat(r.topology())
                .isEqualTo(
                        new RedisTopology.Cluster(
                                List.of(
                                        new RedisAddress("10.0.0.1", 7000),
                                        new RedisAddress("redis-b", 6379),
                                        new RedisAddress("fd00::2", 7002))));
        assertThat(r.password()).isEqualTo("pw");
        assertThat(r.user()).isEqualTo("engine");
        assertThat(r.tls()).isTrue();
        assertThat(r.isStandalone()).isFalse();
        assertThat(r.isUnixSocket()).isFalse();
        assertThat(r.address()).isEqualTo("cluster 10.0.0.1:7000,redis-b:6379,[fd00::2]:7002");
        assertThat(r.toString()).doesNotContain("pw\"").contains("password=***");
        assertThat(f.warnings).noneMatch(w -> w.contains("redis_"));
    }

    @Test
    void sentinelMasterAndNodesWithADatabase() throws Exception {
        RedisSpec r =
                redisWith(
                        "redis_sentinel = { master = \"mymaster\","
                                + " nodes = { \"10.0.0.1\", \"10.0.0.2:5000\" } }\nredis_db = 3");

        assertThat(r.topology())
                .isEqualTo(
                        new RedisTopology.Sentinel(
                                "mymaster",
                                List.of(
                                        new RedisAddress("10.0.0.1", 26379),
                                        new RedisAddress("10.0.0.2", 5000))));
        assertThat(r.database()).isEqualTo(3);
        assertThat(r.address())
                .isEqualTo("sentinel master mymaster via 10.0.0.1:26379,10.0.0.2:5000");
    }

    @Test
    void aUserForOneServer() throws Exception {
        RedisSpec r = redisWith("redis_user = \"engine\"\nredis_password = \"pw\"");
        assertThat(r)
                .isEqualTo(
                        new RedisSpec(
                                "127.0.0.1",
                                6379,
                                "pw",
                                0,
                                false,
                                "engine",
                                RedisTopology.STANDALONE));
        assertThat(r.isStandalone()).isTrue();
    }

    @Test
    void theSpecTravelsToTaskManagers() throws Exception {
        RedisSpec r =
                redisWith(
                        "redis_sentinel = { master = \"m\", nodes = { \"s1:26379\" } }\n"
                                + "redis_user = \"u\"");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(r);
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "redis_cluster = \"10.0.0.1:7000\" | redis_cluster must be a list of \"host:port\" strings",
                "redis_cluster = {} | redis_cluster is empty",
                "redis_cluster = { 7000 } | redis_cluster[1] must be a \"host:port\" string, got 7000",
                "redis_cluster = { \"a:1\", \"b c:2\" } | redis_cluster[2] \"b c:2\" must be host:port",
                "redis_cluster = { \"a:0\" } | redis_cluster[1] \"a:0\": the port must be 1..65535",
                "redis_cluster = { \"a:x\" } | redis_cluster[1] \"a:x\": the port must be 1..65535",
                "redis_cluster = { \"::1:7000\" } | write an IPv6 address in brackets",
                "redis_cluster = { \"[::1\" } | unclosed [",
                "redis_cluster = { \"a:1\", \"a:1\" } | redis_cluster lists a:1 twice",
                "redis_cluster = { n = \"a:1\" } | redis_cluster",
                "redis_cluster = { \"a:1\" }; redis_host = \"b\" | redis_cluster and redis_host are both set",
                "redis_cluster = { \"a:1\" }; redis_port = 7000 | redis_cluster and redis_port are both set",
                "redis_cluster = { \"a:1\" }; redis_url = \"redis://b\" | redis_cluster and redis_url are both set",
                "redis_cluster = { \"a:1\" }; redis_db = 2 | a Redis Cluster has only database 0",
                "redis_cluster = { \"a:1\" }; redis_sentinel = { master = \"m\", nodes = { \"s\" } } | redis_cluster and redis_sentinel are both set",
                "redis_sentinel = \"m\" | redis_sentinel must be a table like",
                "redis_sentinel = { nodes = { \"s\" } } | missing redis_sentinel.master",
                "redis_sentinel = { master = \"\", nodes = { \"s\" } } | redis_sentinel.master is empty",
                "redis_sentinel = { master = \"a b\", nodes = { \"s\" } } | redis_sentinel.master must be the name Sentinel monitors",
                "redis_sentinel = { master = \"m\" } | missing redis_sentinel.nodes",
                "redis_sentinel = { master = \"m\", nodes = {} } | redis_sentinel.nodes is empty",
                "redis_sentinel = { master = \"m\", nodes = { \"s\" }, pasword = \"x\" } | redis_sentinel has unknown fields pasword",
                "redis_sentinel = { master = \"m\", nodes = { \"s\" } }; redis_host = \"h\" | redis_sentinel and redis_host are both set",
                "redis_user = \"a b\" | redis_user must be an ACL user name without spaces",
                "redis_user = 5 | redis_user must be a string",
                "redis_user = \"u\"; redis_url = \"redis://h\" | redis_url and redis_user are both set",
            })
    void badSetting(String lua, String problem) {
        pipelineWith(lua);
        f.assertNames(f.failure(), problem);
    }
}
