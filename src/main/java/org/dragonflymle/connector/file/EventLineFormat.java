package org.dragonflymle.connector.file;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.dragonflymle.event.Event;
import org.dragonflymle.event.EventTypeInfo;

/**
 * Reads a file of JSON lines for Flink's {@code FileSource} as raw {@link Event}s, leaving
 * validation to the input stage so that a bad line becomes an error record, not a failed job. Files
 * are not split (a line must stay whole); the checkpointed position is the byte offset after the
 * last line handed out, so a restore resumes exactly there.
 *
 * <p>A {@linkplain #gunzipping gunzipping} format reads gzip files whatever their name ({@code
 * FileSource} itself decompresses only by extension, {@code .gz}); its offsets count decompressed
 * bytes, and a restore decompresses again up to the offset (gzip cannot seek).
 */
public final class EventLineFormat implements StreamFormat<Event> {

    private static final long serialVersionUID = 1L;

    private static final int GZIP_BUFFER_BYTES = 64 * 1024;

    private final int maxLineBytes;
    private final boolean gunzip;

    public EventLineFormat(int maxLineBytes) {
        this(maxLineBytes, false);
    }

    private EventLineFormat(int maxLineBytes, boolean gunzip) {
        this.maxLineBytes = maxLineBytes;
        this.gunzip = gunzip;
    }

    /** A format for gzip files that {@code FileSource} does not decompress by itself. */
    public static EventLineFormat gunzipping(int maxLineBytes) {
        return new EventLineFormat(maxLineBytes, true);
    }

    @Override
    public Reader<Event> createReader(
            Configuration config, FSDataInputStream stream, long fileLen, long splitEnd)
            throws IOException {
        return new LineStreamReader(stream, new LineReader(input(stream), 0, maxLineBytes));
    }

    @Override
    public Reader<Event> restoreReader(
            Configuration config,
            FSDataInputStream stream,
            long restoredOffset,
            long fileLen,
            long splitEnd)
            throws IOException {
        InputStream in;
        if (gunzip) {
            in = input(stream);
            in.skipNBytes(restoredOffset);
        } else {
            stream.seek(restoredOffset);
            in = stream;
        }
        return new LineStreamReader(stream, new LineReader(in, restoredOffset, maxLineBytes));
    }

    private InputStream input(FSDataInputStream stream) throws IOException {
        return gunzip ? new GZIPInputStream(stream, GZIP_BUFFER_BYTES) : stream;
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<Event> getProducedType() {
        return EventTypeInfo.INSTANCE;
    }

    private static final class LineStreamReader implements Reader<Event> {
        private final FSDataInputStream stream;
        private final LineReader lines;

        LineStreamReader(FSDataInputStream stream, LineReader lines) {
            this.stream = stream;
            this.lines = lines;
        }

        @Override
        public Event read() throws IOException {
            return lines.next();
        }

        @Override
        public CheckpointedPosition getCheckpointedPosition() {
            return new CheckpointedPosition(lines.offset(), 0);
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }
}
