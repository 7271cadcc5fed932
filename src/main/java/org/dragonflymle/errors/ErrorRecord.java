package org.dragonflymle.errors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Builds the one JSON line the error output gets per rejected record (docs/guarantees.md): time,
 * stage, tag, script, reason, error text, and the original event – embedded as JSON when it is
 * well-formed JSON and short enough, otherwise as a string cut to {@link #MAX_EVENT_BYTES} – with
 * its length in bytes so a truncated record is recognisable.
 */
public final class ErrorRecord {

    /** The most of an event an error line carries. */
    public static final int MAX_EVENT_BYTES = 4096;

    private static final JsonFactory JSON = new JsonFactory();

    private ErrorRecord() {}

    /**
     * @param stage {@code input}, {@code analyzer} or {@code output}
     * @param eventIsJson whether {@code event} is known to be one well-formed JSON value
     * @param eventLength the event's real length (larger than {@code event.length} when only its
     *     head was kept)
     */
    public static byte[] build(
            String stage,
            String tag,
            String script,
            ErrorReason reason,
            String error,
            byte[] event,
            boolean eventIsJson,
            int eventLength) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(256 + Math.min(event.length, MAX_EVENT_BYTES));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.now().toString());
            g.writeStringField("stage", stage);
            g.writeStringField("tag", tag);
            if (script != null) {
                g.writeStringField("script", script);
            }
            g.writeStringField("reason", reason.code());
            g.writeStringField("error", error);
            boolean whole = event.length == eventLength && event.length <= MAX_EVENT_BYTES;
            if (eventIsJson && whole) {
                g.writeFieldName("event");
                g.writeRawValue(new String(event, StandardCharsets.UTF_8));
            } else {
                int n = Math.min(event.length, MAX_EVENT_BYTES);
                // invalid UTF-8 is replaced, never copied raw into the error line
                g.writeStringField("raw", new String(event, 0, n, StandardCharsets.UTF_8));
                g.writeBooleanField("truncated", n < eventLength);
            }
            g.writeNumberField("event_bytes", eventLength);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
