package org.dragonflymle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many script threads on one {@link SharedPipeline}: each gets its own replies, in its order. */
class SharedPipelineTest {

    /**
     * Answers every command with its last argument, as Redis's ECHO; a read waits a little, so
     * callers queue behind the one talking to "Redis". Records how many commands each read served.
     */
    static final class EchoConnection implements RedisConnection {
        final ArrayDeque<byte[]> pending = new ArrayDeque<>();
        final List<Integer> batches = new ArrayList<>();
        final List<String> sent = new ArrayList<>();
        volatile CountDownLatch hold;
        // when set, flush() (a leader sending the next batch before passing the lead) counts it
        // down and waits for release
        volatile CountDownLatch flushing;
        volatile CountDownLatch release;
        volatile long latencyNanos;
        boolean closed;
        int unflushed;

        @Override
        public String address() {
            return "echo";
        }

        @Override
        public RespReply command(List<byte[]> args) {
            append(args);
            return nextReply();
        }

        @Override
        public synchronized void append(List<byte[]> args) {
            pending.add(args.get(args.size() - 1));
            sent.add(new String(args.get(0), StandardCharsets.US_ASCII));
            unflushed++;
        }

        @Override
        public RespReply nextReply() {
            CountDownLatch h = hold;
            if (h != null) {
                try {
                    h.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (latencyNanos > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(latencyNanos); // a round trip
            }
            synchronized (this) {
                if (unflushed > 0) {
                    batches.add(unflushed); // one write of everything appended since the last
                    unflushed = 0;
                }
                return RespReply.bulk(pending.removeFirst());
            }
        }

        @Override
        public void flush() {
            CountDownLatch f = flushing;
            if (f != null) {
                flushing = null;
                f.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (this) {
                if (unflushed > 0) {
                    batches.add(unflushed);
                    unflushed = 0;
                }
            }
        }

        @Override
        public synchronized int pendingReplies() {
            return pending.size();
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void useClock(CallClock clock) {}

        @Override
        public void abortWait() {}

        @Override
        public void close() {
            closed = true;
        }
    }

    private static List<byte[]> cmd(String... words) {
        List<byte[]> l = new ArrayList<>();
        for (String w : words) {
            l.add(w.getBytes(StandardCharsets.UTF_8));
        }
        return l;
    }

    private static String text(RespReply r) {
        return new String(((RespReply.BulkReply) r).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void everyThreadGetsItsOwnRepliesAndWaitingCallsShareAWrite() throws Exception {
        EchoConnection echo = new EchoConnection();
        echo.latencyNanos = 50_000;
        SharedPipeline shared = new SharedPipeline(echo);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                RedisConnection view = shared.view();
                results.add(
                        pool.submit(
                                () -> {
                                    List<String> got = new ArrayList<>();
                                    for (int i = 0; i < 500; i++) {
                                        // one command alone, then two appended and read back
                                        got.add(text(view.command(cmd("ECHO", id + ":" + i))));
                                        view.append(cmd("ECHO", id + ":" + i + "a"));
                                        view.append(cmd("ECHO", id + ":" + i + "b"));
                                        got.add(text(view.nextReply()));
                                        got.add(text(view.nextReply()));
                                    }
                                    return got;
                                }));
            }
            for (int t = 0; t < threads; t++) {
                List<String> got = results.get(t).get(60, TimeUnit.SECONDS);
                assertThat(got).hasSize(1500);
                for (int i = 0; i < 500; i++) {
                    assertThat(got.subList(3 * i, 3 * i + 3))
                            .containsExactly(t + ":" + i, t + ":" + i + "a", t + ":" + i + "b");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(echo.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(8 * 1500);
        assertThat(echo.batches.stream().mapToInt(Integer::intValue).max().orElse(0))
                .as("commands of waiting callers went out together")
                .isGreaterThan(3);
    }

    @Test
    void commandsThatWouldLeakIntoOtherScriptsAreRefusedUnsent() {
        EchoConnection echo = new EchoConnection();
        RedisConnection view = new SharedPipeline(echo).view();

        view.append(cmd("multi"));
        view.append(cmd("INCR", "x"));
        view.append(cmd("BLPOP", "q", "0"));
        RespReply multi = view.nextReply();
        RespReply incr = view.nextReply();
        RespReply blpop = view.nextReply();

        assertThat(multi).isInstanceOf(RespReply.ErrorReply.class);
        assertThat(((RespReply.ErrorReply) multi).message())
                .contains("MULTI")
                .contains("concurrency");
        assertThat(text(incr)).isEqualTo("x");
        assertThat(blpop).isInstanceOf(RespReply.ErrorReply.class);
        assertThat(echo.sent).containsExactly("INCR");
    }

    @Test
    void anAbortedFollowerStopsWaitingWhileTheLeaderStillWaits() throws Exception {
        EchoConnection echo = new EchoConnection();
        echo.hold = new CountDownLatch(1);
        SharedPipeline shared = new SharedPipeline(echo);
        RedisConnection leader = shared.view();
        RedisConnection follower = shared.view();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<RespReply> first = pool.submit(() -> leader.command(cmd("ECHO", "L")));
            while (echo.sent.isEmpty()) {
                Thread.sleep(1);
            }
            Future<RespReply> second = pool.submit(() -> follower.command(cmd("ECHO", "F")));
            while (shared.queuedGroups() == 0) {
                Thread.sleep(1); // until the follower is queued behind the leader's read
            }
            follower.abortWait();
            assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RedisUnavailableException.class)
                    .hasMessageContaining("past its budget");
            assertThat(first.isDone()).isFalse();
            echo.hold.countDown();
            assertThat(text(first.get(10, TimeUnit.SECONDS))).isEqualTo("L");
            // the shared connection goes on serving
            assertThat(text(follower.command(cmd("ECHO", "again")))).isEqualTo("again");
        } finally {
            echo.hold.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aCallerPastItsBudgetWhenItsBatchIsSentIsSkippedAsTheNextLeader() throws Exception {
        // the leader holds; two followers queue; the leader's reply comes, it sends theirs and
        // would hand the reading to the first – whose call is aborted just then: the second reads
        // both batches' replies, the first gets its error, nothing hangs
        EchoConnection echo = new EchoConnection();
        echo.hold = new CountDownLatch(1);
        SharedPipeline shared = new SharedPipeline(echo);
        RedisConnection leader = shared.view();
        RedisConnection first = shared.view();
        RedisConnection second = shared.view();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<RespReply> l = pool.submit(() -> leader.command(cmd("ECHO", "L")));
            while (echo.sent.isEmpty()) {
                Thread.sleep(1);
            }
            Future<RespReply> f1 = pool.submit(() -> first.command(cmd("ECHO", "F1")));
            while (shared.queuedGroups() < 1) {
                Thread.sleep(1);
            }
            Future<RespReply> f2 = pool.submit(() -> second.command(cmd("ECHO", "F2")));
            while (shared.queuedGroups() < 2) {
                Thread.sleep(1);
            }
            CountDownLatch flushing = new CountDownLatch(1);
            echo.release = new CountDownLatch(1);
            echo.flushing = flushing;
            echo.hold.countDown();
            assertThat(flushing.await(10, TimeUnit.SECONDS)).isTrue();
            // F1 and F2 are sent, the lead not passed yet: F1's call ends now
            first.abortWait();
            assertThatThrownBy(() -> f1.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RedisUnavailableException.class)
                    .hasMessageContaining("past its budget");
            echo.release.countDown();
            assertThat(text(l.get(10, TimeUnit.SECONDS))).isEqualTo("L");
            assertThat(text(f2.get(10, TimeUnit.SECONDS))).isEqualTo("F2");
            assertThat(echo.sent).containsExactly("ECHO", "ECHO", "ECHO");
            // F1's reply was read and dropped: the connection is in step for everybody
            assertThat(text(first.command(cmd("ECHO", "again")))).isEqualTo("again");
            assertThat(text(second.command(cmd("ECHO", "more")))).isEqualTo("more");
            assertThat(echo.pendingReplies()).isZero();
        } finally {
            echo.hold.countDown();
            if (echo.release != null) {
                echo.release.countDown();
            }
            pool.shutdownNow();
        }
    }

    @Test
    void callersWithManyCommandsBesideCallersWithOneGetTheirOwnRepliesInOrder() throws Exception {
        // hostile mix: some callers append 40 commands per read, others one, some of the time a
        // caller does no Redis at all; every reply reaches its caller, in its order
        EchoConnection echo = new EchoConnection();
        echo.latencyNanos = 20_000;
        SharedPipeline shared = new SharedPipeline(echo);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                RedisConnection view = shared.view();
                results.add(
                        pool.submit(
                                () -> {
                                    int checked = 0;
                                    for (int i = 0; i < 200; i++) {
                                        int n = id % 2 == 0 ? 40 : (i % 3 == 0 ? 0 : 1);
                                        for (int c = 0; c < n; c++) {
                                            view.append(cmd("ECHO", id + ":" + i + ":" + c));
                                        }
                                        for (int c = 0; c < n; c++) {
                                            assertThat(text(view.nextReply()))
                                                    .isEqualTo(id + ":" + i + ":" + c);
                                            checked++;
                                        }
                                    }
                                    return checked;
                                }));
            }
            int total = 0;
            for (Future<Integer> r : results) {
                total += r.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(4 * 200 * 40 + 4 * 133);
            assertThat(echo.pendingReplies()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theConnectionClosesWithItsLastView() {
        EchoConnection echo = new EchoConnection();
        SharedPipeline shared = new SharedPipeline(echo);
        RedisConnection a = shared.view();
        RedisConnection b = shared.view();
        a.close();
        assertThat(echo.closed).isFalse();
        b.close();
        assertThat(echo.closed).isTrue();
    }
}
