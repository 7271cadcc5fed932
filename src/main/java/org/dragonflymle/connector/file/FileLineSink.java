package org.dragonflymle.connector.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.dragonflymle.event.Event;

/**
 * Appends each event as one line to a single named file, as the C engine's {@code file://} output
 * does (Flink's FileSink writes bucket directories of part files instead). Runs with parallelism 1
 * so lines of one output never interleave. Lines are buffered and written out on every checkpoint
 * and at the end of input.
 */
public final class FileLineSink implements Sink<Event> {

    private static final long serialVersionUID = 1L;

    private final String path;

    public FileLineSink(Path path) {
        this.path = path.toString();
    }

    @Override
    public SinkWriter<Event> createWriter(WriterInitContext context) throws IOException {
        Path file = Path.of(path);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        return new Writer(file);
    }

    /**
     * Buffers whole lines only, so every write(2) to the file ends on a line boundary: another
     * appender of the same file (the engine's own log shares dragonfly-mle.log) never splits a
     * line.
     */
    private static final class Writer implements SinkWriter<Event> {
        private final OutputStream out;
        private final byte[] buf = new byte[256 * 1024];
        private int len;

        Writer(Path file) throws IOException {
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        @Override
        public void write(Event element, Context context) throws IOException {
            byte[] line = element.bytes();
            if (len + line.length + 1 > buf.length) {
                drain();
                if (line.length + 1 > buf.length) {
                    byte[] whole = java.util.Arrays.copyOf(line, line.length + 1);
                    whole[line.length] = '\n';
                    out.write(whole);
                    return;
                }
            }
            System.arraycopy(line, 0, buf, len, line.length);
            len += line.length;
            buf[len++] = '\n';
        }

        private void drain() throws IOException {
            if (len > 0) {
                out.write(buf, 0, len);
                len = 0;
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            drain();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            drain();
            out.close();
        }
    }
}
