package org.dragonflymle.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.RedisInputStream;

/**
 * Reads one {@link RespReply} from Jedis's buffered input stream, keeping the RESP type that
 * Jedis's own {@code Protocol.read} drops. A malformed stream or a closed socket is a {@link
 * JedisConnectionException}, as in Jedis, so the caller treats it as a dropped connection.
 *
 * <p>Not thread-safe: one reader per connection. It keeps a small buffer so that the common status
 * lines ({@code +OK}, {@code +PONG}, {@code +QUEUED}) are answered with shared constants without
 * allocating.
 */
final class RespReader {

    private static final byte[] OK = {'O', 'K'};
    private static final byte[] PONG = {'P', 'O', 'N', 'G'};
    private static final byte[] QUEUED = {'Q', 'U', 'E', 'U', 'E', 'D'};
    private static final int MAX_DEPTH = 512;

    private byte[] line = new byte[64];

    RespReply read(RedisInputStream in) {
        return read(in, 0);
    }

    private RespReply read(RedisInputStream in, int depth) {
        byte type = in.readByte();
        switch (type) {
            case '+':
                return readStatus(in);
            case '-':
                return RespReply.error(readLineText(in));
            case ':':
                return RespReply.integer(in.readLongCrLf());
            case '$':
                return readBulk(in);
            case '*':
            case '~':
            case '>':
                return readArray(in, in.readIntCrLf(), depth);
            case '%':
                int pairs = in.readIntCrLf();
                return readArray(in, pairs < 0 ? pairs : pairs * 2, depth);
            case '_':
                readLine(in);
                return RespReply.nil();
            case '#':
                return RespReply.integer(readLineText(in).equals("t") ? 1 : 0);
            case ',':
            case '(':
                return RespReply.bulk(copyLine(in));
            case '=':
                return verbatim(readBulk(in));
            case '!':
                RespReply blob = readBulk(in);
                return blob instanceof RespReply.BulkReply b
                        ? RespReply.error(b.text())
                        : RespReply.error("");
            default:
                throw new JedisConnectionException(
                        "Unknown RESP reply type byte "
                                + (type & 0xff)
                                + " ('"
                                + (char) type
                                + "')");
        }
    }

    private RespReply readStatus(RedisInputStream in) {
        int length = readLine(in);
        if (matches(OK, length)) {
            return RespReply.OK;
        }
        if (matches(PONG, length)) {
            return RespReply.PONG;
        }
        if (matches(QUEUED, length)) {
            return RespReply.QUEUED;
        }
        return RespReply.status(new String(line, 0, length, StandardCharsets.UTF_8));
    }

    private RespReply readBulk(RedisInputStream in) {
        int length = in.readIntCrLf();
        if (length < 0) {
            return RespReply.nil();
        }
        byte[] bytes = new byte[length];
        int offset = 0;
        while (offset < length) {
            offset += in.read(bytes, offset, length - offset);
        }
        if (in.readByte() != '\r' || in.readByte() != '\n') {
            throw new JedisConnectionException(
                    "Bulk string of " + length + " bytes not ended by CRLF");
        }
        return RespReply.bulk(bytes);
    }

    private RespReply readArray(RedisInputStream in, int count, int depth) {
        if (count < 0) {
            return RespReply.nil();
        }
        if (depth >= MAX_DEPTH) {
            throw new JedisConnectionException("Reply nested deeper than " + MAX_DEPTH + " arrays");
        }
        RespReply[] elements = new RespReply[count];
        for (int i = 0; i < count; i++) {
            elements[i] = read(in, depth + 1);
        }
        return new RespReply.ArrayReply(Collections.unmodifiableList(Arrays.asList(elements)));
    }

    /** A verbatim string is {@code txt:} (format and colon) followed by the text. */
    private static RespReply verbatim(RespReply reply) {
        if (reply instanceof RespReply.BulkReply b && b.bytes().length >= 4) {
            return RespReply.bulk(Arrays.copyOfRange(b.bytes(), 4, b.bytes().length));
        }
        return reply;
    }

    /** Reads up to CRLF into {@link #line}; returns the length without CRLF. */
    private int readLine(RedisInputStream in) {
        int length = 0;
        while (true) {
            byte b = in.readByte();
            if (b == '\r') {
                byte next = in.readByte();
                if (next == '\n') {
                    return length;
                }
                append(b, length++);
                b = next;
            }
            append(b, length++);
        }
    }

    private void append(byte b, int at) {
        if (at == line.length) {
            line = Arrays.copyOf(line, line.length * 2);
        }
        line[at] = b;
    }

    private String readLineText(RedisInputStream in) {
        int length = readLine(in);
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }

    private byte[] copyLine(RedisInputStream in) {
        int length = readLine(in);
        return Arrays.copyOf(line, length);
    }

    private boolean matches(byte[] expected, int length) {
        return length == expected.length
                && Arrays.equals(line, 0, length, expected, 0, expected.length);
    }
}
