package org.dragonflymle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.RedisInputStream;

/** The wire format cases a live server rarely sends; the common ones run against redis-server. */
class RedisRespReaderTest {

    private final RespReader reader = new RespReader();

    private RespReply read(String wire) {
        return reader.read(stream(wire.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static RedisInputStream stream(byte[] bytes) {
        return new RedisInputStream(new ByteArrayInputStream(bytes));
    }

    @Test
    void commonStatusLinesAreSharedConstants() {
        assertThat(read("+OK\r\n")).isSameAs(RespReply.OK);
        assertThat(read("+PONG\r\n")).isSameAs(RespReply.PONG);
        assertThat(read("+QUEUED\r\n")).isSameAs(RespReply.QUEUED);
        assertThat(read("+string\r\n")).isEqualTo(RespReply.status("string"));
    }

    @Test
    void statusLongerThanTheLineBufferIsKept() {
        String text = "x".repeat(300);
        assertThat(read("+" + text + "\r\n")).isEqualTo(RespReply.status(text));
    }

    @Test
    void keepsEachRespTwoType() {
        assertThat(read("-ERR bad thing\r\n")).isEqualTo(RespReply.error("ERR bad thing"));
        assertThat(read(":-42\r\n")).isEqualTo(RespReply.integer(-42));
        assertThat(read("$2\r\nOK\r\n")).isEqualTo(RespReply.bulk("OK")).isNotEqualTo(RespReply.OK);
        assertThat(read("$0\r\n\r\n")).isEqualTo(RespReply.bulk(new byte[0]));
        assertThat(read("$-1\r\n")).isSameAs(RespReply.nil());
        assertThat(read("*-1\r\n")).isSameAs(RespReply.nil());
        assertThat(read("*3\r\n:1\r\n*1\r\n$1\r\na\r\n$-1\r\n"))
                .isEqualTo(
                        RespReply.array(
                                List.of(
                                        RespReply.integer(1),
                                        RespReply.array(List.of(RespReply.bulk("a"))),
                                        RespReply.nil())));
    }

    @Test
    void bulkStringsAreBinarySafe() {
        byte[] wire = {'$', '4', '\r', '\n', 0, '\r', '\n', (byte) 0xff, '\r', '\n'};
        RespReply reply = reader.read(stream(wire));
        assertThat(((RespReply.BulkReply) reply).bytes())
                .containsExactly(0, '\r', '\n', (byte) 0xff);
    }

    @Test
    void respThreeTypesMapToWhatRespTwoWouldSend() {
        assertThat(read("_\r\n")).isSameAs(RespReply.nil());
        assertThat(read("#t\r\n")).isEqualTo(RespReply.integer(1));
        assertThat(read("#f\r\n")).isEqualTo(RespReply.integer(0));
        assertThat(read(",3.25\r\n")).isEqualTo(RespReply.bulk("3.25"));
        assertThat(read("(12345678901234567890\r\n"))
                .isEqualTo(RespReply.bulk("12345678901234567890"));
        assertThat(read("=8\r\ntxt:abcd\r\n")).isEqualTo(RespReply.bulk("abcd"));
        assertThat(read("!9\r\nERR oops!\r\n")).isEqualTo(RespReply.error("ERR oops!"));
        assertThat(read("%1\r\n+k\r\n:1\r\n"))
                .isEqualTo(RespReply.array(List.of(RespReply.status("k"), RespReply.integer(1))));
        assertThat(read("~1\r\n:7\r\n")).isEqualTo(RespReply.array(List.of(RespReply.integer(7))));
    }

    @Test
    void garbageOrATruncatedStreamIsADroppedConnection() {
        assertThatThrownBy(() -> read("?what\r\n"))
                .isInstanceOf(JedisConnectionException.class)
                .hasMessageContaining("Unknown RESP reply type");
        assertThatThrownBy(() -> read("$5\r\nab")).isInstanceOf(JedisConnectionException.class);
        assertThatThrownBy(() -> read("*1\r\n*1\r\n*1\r\n".repeat(200) + ":1\r\n"))
                .isInstanceOf(JedisConnectionException.class)
                .hasMessageContaining("nested");
    }
}
