package org.dragonflymle.connector.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.dragonflymle.connector.tail.split.StartPosition;
import org.junit.jupiter.api.Test;

class TailSourceOptionsTest {

    @Test
    void defaultsAreEndOfFileAnd200Milliseconds() {
        TailSource source = TailSource.fromUriPath("/var/log/suricata/eve.json", 1000);

        assertThat(source.path()).isEqualTo("/var/log/suricata/eve.json");
        assertThat(source.startPosition()).isEqualTo(StartPosition.END);
        assertThat(source.pollInterval()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void queryParametersSetStartAndPollInterval() {
        TailSource source =
                TailSource.fromUriPath("/var/log/eve.json?start=beginning&poll=50ms", 1000);

        assertThat(source.path()).isEqualTo("/var/log/eve.json");
        assertThat(source.startPosition()).isEqualTo(StartPosition.BEGINNING);
        assertThat(source.pollInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(TailSource.fromUriPath("/x?start=END", 1).startPosition())
                .isEqualTo(StartPosition.END);
    }

    @Test
    void aQuestionMarkWithoutParametersBelongsToTheFileName() {
        assertThat(TailSource.fromUriPath("/logs/what?.json", 1000).path())
                .isEqualTo("/logs/what?.json");
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> TailSource.fromUriPath("/x?from=end", 1))
                .hasMessageContaining("unknown parameter \"from\"")
                .hasMessageContaining("start, poll");
        assertThatThrownBy(() -> TailSource.fromUriPath("/x?start=middle", 1))
                .hasMessageContaining("\"middle\"")
                .hasMessageContaining("start=end or start=beginning");
        assertThatThrownBy(() -> TailSource.fromUriPath("/x?poll=soon", 1))
                .hasMessageContaining("\"soon\"")
                .hasMessageContaining("duration");
        assertThatThrownBy(() -> TailSource.fromUriPath("/x?poll=1ms", 1))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> TailSource.fromUriPath("/x?start=end&start=beginning", 1))
                .hasMessageContaining("repeated");
        assertThatThrownBy(() -> TailSource.fromUriPath("relative/eve.json", 1))
                .hasMessageContaining("absolute");
    }
}
