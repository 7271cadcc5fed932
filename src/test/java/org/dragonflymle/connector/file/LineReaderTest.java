package org.dragonflymle.connector.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.event.Event;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    /** A stream whose end moves: what was appended so far, then -1 until more is appended. */
    private static final class GrowingStream extends InputStream {
        private final List<Byte> data = new ArrayList<>();
        private int pos;

        void append(String s) {
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                data.add(b);
            }
        }

        @Override
        public int read() {
            return pos < data.size() ? data.get(pos++) & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == data.size()) {
                return -1;
            }
            int n = Math.min(len, data.size() - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = data.get(pos++);
            }
            return n;
        }
    }

    private static String text(Event e) {
        return new String(e.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aFinishedStreamEndsWithItsLastLineEvenWithoutNewline() throws IOException {
        LineReader r =
                new LineReader(
                        new ByteArrayInputStream("{\"a\":1}\r\n\n  \n{\"b\":2}".getBytes()),
                        0,
                        100);

        assertThat(text(r.next())).isEqualTo("{\"a\":1}");
        assertThat(r.offset()).isEqualTo(9);
        assertThat(text(r.next())).isEqualTo("{\"b\":2}");
        assertThat(r.offset()).isEqualTo(20);
        assertThat(r.next()).isNull();
    }

    @Test
    void followingHoldsAPartialLineBackUntilItsNewlineArrives() throws IOException {
        GrowingStream in = new GrowingStream();
        LineReader r = LineReader.following(in, 0, 100);
        in.append("{\"a\":1}\n{\"b\":");

        assertThat(text(r.next())).isEqualTo("{\"a\":1}");
        assertThat(r.next()).isNull();
        assertThat(r.offset()).isEqualTo(8);

        in.append("2}");
        assertThat(r.next()).isNull();
        in.append("\n");
        assertThat(text(r.next())).isEqualTo("{\"b\":2}");
        assertThat(r.offset()).isEqualTo(16);
        assertThat(r.next()).isNull();
    }

    @Test
    void finishHandsOutTheAbandonedPartialLine() throws IOException {
        GrowingStream in = new GrowingStream();
        LineReader r = LineReader.following(in, 100, 100);
        in.append("{\"a\":1}\n{\"trunc");

        assertThat(text(r.next())).isEqualTo("{\"a\":1}");
        assertThat(r.next()).isNull();
        assertThat(text(r.finish())).isEqualTo("{\"trunc");
        assertThat(r.offset()).isEqualTo(115);
        assertThat(r.finish()).isNull();
    }

    @Test
    void anOversizedLineArrivingInPiecesIsOneOversizedEventWithItsHead() throws IOException {
        GrowingStream in = new GrowingStream();
        LineReader r = LineReader.following(in, 0, 10);
        String big = "x".repeat(100_000);
        in.append(big.substring(0, 70_000));
        assertThat(r.next()).isNull();
        in.append(big.substring(70_000) + "\n{\"ok\":1}\n");

        Event e = r.next();
        assertThat(e.kind()).isEqualTo(Event.Kind.OVERSIZED);
        assertThat(e.fullLength()).isEqualTo(100_000);
        assertThat(e.bytes()).hasSize(LineReader.OVERSIZED_HEAD_BYTES);
        assertThat(r.offset()).isEqualTo(100_001);
        assertThat(text(r.next())).isEqualTo("{\"ok\":1}");
        assertThat(r.offset()).isEqualTo(100_010);
    }

    @Test
    void aLineJustOverTheBoundIsOversizedAndOneWithinIsNot() throws IOException {
        LineReader r =
                new LineReader(
                        new ByteArrayInputStream("0123456789\n01234567890\n".getBytes()), 0, 10);

        assertThat(r.next().kind()).isEqualTo(Event.Kind.LINE);
        Event over = r.next();
        assertThat(over.kind()).isEqualTo(Event.Kind.OVERSIZED);
        assertThat(over.fullLength()).isEqualTo(11);
    }

    @Test
    void aLineLongerThanOneReadButWithinTheBoundIsWholeAndReadsStaySmall() throws IOException {
        String big = "{\"p\":\"" + "y".repeat(300_000) + "\"}";
        byte[] data = (big + "\n{\"ok\":1}\n").getBytes(StandardCharsets.US_ASCII);
        List<Integer> asked = new ArrayList<>();
        InputStream in =
                new ByteArrayInputStream(data) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        asked.add(len);
                        return super.read(b, off, len);
                    }
                };
        LineReader r = new LineReader(in, 0, 1024 * 1024);

        Event e = r.next();
        assertThat(e.kind()).isEqualTo(Event.Kind.LINE);
        assertThat(text(e)).isEqualTo(big);
        assertThat(text(r.next())).isEqualTo("{\"ok\":1}");
        assertThat(r.next()).isNull();
        assertThat(r.offset()).isEqualTo(data.length);
        assertThat(asked).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(LineReader.READ_BYTES));
    }

    @Test
    void aLineOverABoundLargerThanOneReadIsStillOversized() throws IOException {
        String big = "z".repeat(200_000);
        LineReader r =
                new LineReader(new ByteArrayInputStream((big + "\nok\n").getBytes()), 0, 150_000);

        Event over = r.next();
        assertThat(over.kind()).isEqualTo(Event.Kind.OVERSIZED);
        assertThat(over.fullLength()).isEqualTo(200_000);
        assertThat(over.bytes()).hasSize(LineReader.OVERSIZED_HEAD_BYTES);
        assertThat(text(r.next())).isEqualTo("ok");
    }
}
