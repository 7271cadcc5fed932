package org.dragonflymle.connector.socket.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.event.Event;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    private final List<Event> out = new ArrayList<>();

    private void feed(LineSplitter s, String text) throws InterruptedException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.feed(b, 0, b.length, out::add);
    }

    private List<String> lines() {
        return out.stream()
                .map(e -> e.kind() + ":" + new String(e.bytes(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void linesSplitAcrossChunksComeOutWholeWithoutTerminators() throws Exception {
        LineSplitter s = new LineSplitter(1000);
        feed(s, "{\"a\":1}\n{\"b\"");
        feed(s, ":2}\r\n\n   \n{\"c\"");
        feed(s, ":3}\n");

        assertThat(lines()).containsExactly("LINE:{\"a\":1}", "LINE:{\"b\":2}", "LINE:{\"c\":3}");
    }

    @Test
    void aDatagramEndsItsLastLineEvenWithoutANewline() throws Exception {
        LineSplitter s = new LineSplitter(1000);
        feed(s, "{\"a\":1}\n{\"b\":2}");
        s.endOfRecord(out::add);
        feed(s, "{\"c\":3}\n");
        s.endOfRecord(out::add);

        assertThat(lines()).containsExactly("LINE:{\"a\":1}", "LINE:{\"b\":2}", "LINE:{\"c\":3}");
    }

    @Test
    void anUnfinishedLineIsDiscardedNotEmitted() throws Exception {
        LineSplitter s = new LineSplitter(1000);
        feed(s, "{\"a\":1}\n{\"b\":");

        assertThat(s.discardPartial()).isEqualTo(5);
        assertThat(lines()).containsExactly("LINE:{\"a\":1}");
        assertThat(s.discardPartial()).isZero();
    }

    @Test
    void aLineOverTheBoundIsOversizedWithItsHeadAndRealLengthAcrossChunks() throws Exception {
        LineSplitter s = new LineSplitter(10_000);
        feed(s, "{\"x\":\"" + "y".repeat(6_000));
        feed(s, "y".repeat(6_000));
        feed(s, "\"}\n{\"ok\":1}\n");
        feed(s, "z".repeat(20_000) + "\n");

        assertThat(out).hasSize(3);
        assertThat(out.get(0).kind()).isEqualTo(Event.Kind.OVERSIZED);
        assertThat(out.get(0).fullLength()).isEqualTo(6 + 12_000 + 2);
        assertThat(out.get(0).bytes()).hasSize(4096);
        assertThat(new String(out.get(0).bytes(), 0, 6, StandardCharsets.UTF_8))
                .isEqualTo("{\"x\":\"");
        assertThat(lines().get(1)).isEqualTo("LINE:{\"ok\":1}");
        assertThat(out.get(2).kind()).isEqualTo(Event.Kind.OVERSIZED);
        assertThat(out.get(2).fullLength()).isEqualTo(20_000);
    }

    @Test
    void aLineOfExactlyTheBoundIsALine() throws Exception {
        LineSplitter s = new LineSplitter(100);
        feed(s, "a".repeat(60));
        feed(s, "a".repeat(40) + "\r\n");

        assertThat(out).hasSize(1);
        assertThat(out.get(0).kind()).isEqualTo(Event.Kind.LINE);
        assertThat(out.get(0).bytes()).hasSize(100);
    }
}
