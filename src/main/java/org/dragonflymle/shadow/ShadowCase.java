package org.dragonflymle.shadow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.event.Event;

/**
 * One event as the live stage got it and what the live version did with it: what a shadowed stage's
 * operator sends its shadow, encoded as bytes ({@link #encode}, {@link #decode}) so that it travels
 * as a plain {@code byte[]} stream.
 *
 * @param inputKind the event's {@code Event.Kind} ordinal
 * @param input the event's bytes as the live stage got them (events are immutable: the live loop
 *     works on a decoded table, never on these bytes)
 * @param fullLength the event's real length (an oversized line keeps only its head)
 * @param live what the live version emitted, in order
 */
public record ShadowCase(int inputKind, byte[] input, int fullLength, List<Emitted> live) {

    /** The version of {@link #encode}'s format, its first byte. */
    static final int VERSION = 1;

    /**
     * One value a stage version emitted.
     *
     * @param route where to: {@code analyzer:TAG}, {@code output:TAG}, {@code timer:TAG}, {@code
     *     log}, {@code stats}, or {@link #ERROR} for an error record
     * @param json the value's JSON (for {@link #ERROR}, the error record)
     */
    public record Emitted(String route, byte[] json) {}

    /** The route of an error record. */
    public static final String ERROR = "error";

    /** The event as the live stage got it. */
    public Event inputEvent() {
        return switch (Event.Kind.values()[inputKind]) {
            case LINE -> Event.line(input);
            case JSON -> Event.json(input);
            case OVERSIZED -> Event.oversized(input, fullLength);
        };
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(input.length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(inputKind);
            out.writeInt(fullLength);
            out.writeInt(input.length);
            out.write(input);
            out.writeInt(live.size());
            for (Emitted e : live) {
                out.writeUTF(e.route());
                out.writeInt(e.json().length);
                out.write(e.json());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ShadowCase decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("shadow case of version " + version);
            }
            int kind = in.readUnsignedByte();
            int fullLength = in.readInt();
            byte[] input = new byte[in.readInt()];
            in.readFully(input);
            int n = in.readInt();
            List<Emitted> live = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String route = in.readUTF();
                byte[] json = new byte[in.readInt()];
                in.readFully(json);
                live.add(new Emitted(route, json));
            }
            return new ShadowCase(kind, input, fullLength, List.copyOf(live));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
