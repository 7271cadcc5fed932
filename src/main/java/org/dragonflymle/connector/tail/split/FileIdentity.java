package org.dragonflymle.connector.tail.split;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.zip.CRC32;
import org.apache.flink.annotation.Internal;

/**
 * Which file a saved offset belongs to: the file system's key of the file (device and inode) plus a
 * checksum of its first bytes. The key follows a file through renames (a rotated {@code eve.json}
 * becomes {@code eve.json.1} but keeps its inode); the checksum catches what the key cannot: a file
 * emptied and rewritten in place (copy-truncate) and an inode reused by a new file after the old
 * one was deleted.
 *
 * @param key the file system key, null where the file system has none
 * @param headLength how many leading bytes the checksum covers (at most {@link #HEAD_BYTES}); only
 *     bytes of lines already read are covered, so an appending writer never changes them
 * @param headCrc CRC-32 of those bytes
 */
@Internal
public record FileIdentity(String key, int headLength, long headCrc) {

    /** The most leading bytes a checksum covers. */
    public static final int HEAD_BYTES = 1024;

    private static final long EMPTY_CRC = new CRC32().getValue();

    public FileIdentity {
        if (headLength < 0 || headLength > HEAD_BYTES) {
            throw new IllegalArgumentException("headLength " + headLength);
        }
    }

    /** A file known by its key only (no bytes read from it yet). */
    public static FileIdentity ofKey(String key) {
        return new FileIdentity(key, 0, EMPTY_CRC);
    }

    /** The identity of the file open in {@code channel}, checksumming up to {@code upTo} bytes. */
    public static FileIdentity of(String key, FileChannel channel, long upTo) throws IOException {
        int n = (int) Math.min(HEAD_BYTES, Math.max(0, upTo));
        Long crc = crc(channel, n);
        if (crc == null) {
            throw new IOException("file shorter than " + n + " bytes");
        }
        return new FileIdentity(key, n, crc);
    }

    /** Whether this identity can grow its checksum to cover more of the first bytes. */
    public boolean headCanGrow(long offset) {
        return headLength < HEAD_BYTES && offset > headLength;
    }

    /** Whether {@code key} names the same file (files without keys are told apart by head only). */
    public boolean sameKey(String other) {
        return Objects.equals(key, other);
    }

    /** Whether the file open in {@code channel} still starts with the bytes this identity saw. */
    public boolean headMatches(FileChannel channel) throws IOException {
        if (headLength == 0) {
            return true;
        }
        Long crc = crc(channel, headLength);
        return crc != null && crc == headCrc;
    }

    private static Long crc(FileChannel channel, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (channel.read(buf, buf.position()) < 0) {
                return null;
            }
        }
        CRC32 crc = new CRC32();
        crc.update(buf.flip());
        return crc.getValue();
    }
}
