package org.dragonflymle.connector.socket.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EventBufferTest {

    private static Event event(int bytes) {
        return Event.line(new byte[bytes]);
    }

    @Test
    void offerRefusesWhenEitherBoundIsReached() {
        EventBuffer byCount = new EventBuffer(2, 1_000);
        assertThat(byCount.offer(event(1))).isTrue();
        assertThat(byCount.offer(event(1))).isTrue();
        assertThat(byCount.offer(event(1))).isFalse();

        EventBuffer byBytes = new EventBuffer(100, 10);
        assertThat(byBytes.offer(event(6))).isTrue();
        assertThat(byBytes.offer(event(6))).isFalse();
        assertThat(byBytes.drainTo(new Event[10])).isEqualTo(1);
        assertThat(byBytes.offer(event(50))).as("one event always fits when empty").isTrue();
    }

    @Test
    void availabilityCompletesWhenAnEventArrives() {
        EventBuffer buffer = new EventBuffer(10, 1_000);
        CompletableFuture<Void> f = buffer.availability();
        assertThat(f).isNotDone();

        buffer.offer(event(1));

        assertThat(f).isDone();
        assertThat(buffer.availability()).isDone();
        buffer.drainTo(new Event[10]);
        assertThat(buffer.availability()).isNotDone();
    }

    @Test
    void putWaitsForRoomAndCloseReleasesIt() throws Exception {
        EventBuffer buffer = new EventBuffer(1, 1_000);
        buffer.put(event(1));
        CountDownLatch added = new CountDownLatch(1);
        Thread t =
                new Thread(
                        () -> {
                            try {
                                if (buffer.put(event(1))) {
                                    added.countDown();
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
        t.start();
        assertThat(added.await(200, TimeUnit.MILLISECONDS)).isFalse();

        buffer.drainTo(new Event[1]);
        assertThat(added.await(5, TimeUnit.SECONDS)).isTrue();

        // full again with t's event
        Thread blocked =
                new Thread(
                        () -> {
                            try {
                                buffer.put(event(1));
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
        blocked.start();
        buffer.close();
        blocked.join(5_000);
        assertThat(blocked.isAlive()).isFalse();
    }
}
