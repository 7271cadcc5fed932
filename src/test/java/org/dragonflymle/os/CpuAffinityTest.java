package org.dragonflymle.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CpuAffinityTest {

    private static BitSet cpus(int... numbers) {
        BitSet set = new BitSet();
        for (int n : numbers) {
            set.set(n);
        }
        return set;
    }

    @Test
    void readsAndWritesTheKernelsCpuListFormat() {
        assertThat(CpuAffinity.parseList("0")).isEqualTo(cpus(0));
        assertThat(CpuAffinity.parseList(" 0-3,8,10-11\n")).isEqualTo(cpus(0, 1, 2, 3, 8, 10, 11));
        assertThat(CpuAffinity.parseList("")).isEqualTo(new BitSet());
        assertThat(CpuAffinity.format(cpus(0, 1, 2, 3, 8, 10, 11))).isEqualTo("0-3,8,10-11");
        assertThat(CpuAffinity.format(cpus(1))).isEqualTo("1");
        assertThat(CpuAffinity.format(new BitSet())).isEmpty();
        for (String bad : List.of("a", "3-1", "-1", "1,,2", "1-")) {
            assertThatThrownBy(() -> CpuAffinity.parseList(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
    }

    @Test
    void readsTheCpusOfThisProcessAndOfItsThreads() {
        BitSet own = CpuAffinity.ofThisProcess().orElseThrow();

        assertThat(own.cardinality()).isPositive();
        assertThat(CpuAffinity.ofProcess(ProcessHandle.current().pid())).contains(own);
        assertThat(CpuAffinity.ofThread(CpuAffinity.currentThreadId().orElseThrow())).contains(own);
        assertThat(CpuAffinity.ofProcess(-1)).isEmpty();
        assertThat(CpuAffinity.ofThread(0)).isEmpty();
    }

    @Test
    void confinesOneThreadAndWhatItStartsButNotTheRestOfTheProcess() throws Exception {
        BitSet own = CpuAffinity.ofThisProcess().orElseThrow();
        assumeTrue(own.cardinality() > 1, "needs a machine with two CPUs or more");
        BitSet last = cpus(own.length() - 1);
        List<BitSet> seen = new ArrayList<>();

        CompletableFuture.runAsync(
                        () -> {
                            long tid = CpuAffinity.currentThreadId().orElseThrow();
                            setThread(tid, last);
                            seen.add(CpuAffinity.ofThread(tid).orElseThrow());
                            Thread child = new Thread(() -> seen.add(currentThreadCpus()));
                            child.start();
                            join(child);
                            setThread(tid, own);
                            seen.add(CpuAffinity.ofThread(tid).orElseThrow());
                        },
                        runnable -> new Thread(runnable).start())
                .get(30, TimeUnit.SECONDS);

        assertThat(seen).containsExactly(last, last, own);
        assertThat(CpuAffinity.ofThisProcess()).contains(own);
        assertThat(CpuAffinity.ofThread(CpuAffinity.currentThreadId().orElseThrow())).contains(own);
    }

    @Test
    void saysWhyItCannotMoveAThread() throws Exception {
        BitSet own = CpuAffinity.ofThisProcess().orElseThrow();
        BitSet outside = cpus(own.length() + 64);
        long[] tid = new long[1];
        Throwable[] refused = new Throwable[1];
        Thread thread =
                new Thread(
                        () -> {
                            tid[0] = CpuAffinity.currentThreadId().orElseThrow();
                            try {
                                CpuAffinity.setThread(tid[0], outside);
                            } catch (CpuAffinityException e) {
                                refused[0] = e;
                            }
                        });
        thread.start();
        join(thread);

        assertThat(refused[0])
                .isInstanceOf(CpuAffinityException.class)
                .hasMessageStartingWith(
                        "cannot move thread " + tid[0] + " to CPU " + (own.length() + 64) + ": ")
                .hasMessageContaining("taskset exited with 1");
        assertThatThrownBy(() -> CpuAffinity.setThread(tid[0], own))
                .as("a thread that has ended")
                .isInstanceOf(CpuAffinityException.class)
                .hasMessageContaining("thread " + tid[0]);
    }

    @Test
    void startsAProgramConfinedToOneCpu() throws Exception {
        BitSet own = CpuAffinity.ofThisProcess().orElseThrow();
        int cpu = own.length() - 1;
        List<String> command = new ArrayList<>(CpuAffinity.confiningPrefix(cpu));
        assertThat(command).as("taskset is installed").isNotEmpty();
        command.addAll(List.of("sleep", "30"));
        Process sleeper = new ProcessBuilder(command).start();
        try {
            // taskset sets the CPU, then becomes the program: wait for the exec.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!sleeper.info().command().orElse("").endsWith("sleep")
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(sleeper.info().command())
                    .hasValueSatisfying(c -> assertThat(c).endsWith("sleep"));
            assertThat(CpuAffinity.ofProcess(sleeper.pid())).contains(cpus(cpu));
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    private static void setThread(long tid, BitSet cpus) {
        try {
            CpuAffinity.setThread(tid, cpus);
        } catch (CpuAffinityException e) {
            throw new AssertionError(e);
        }
    }

    private static BitSet currentThreadCpus() {
        return CpuAffinity.ofThread(CpuAffinity.currentThreadId().orElseThrow()).orElseThrow();
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
