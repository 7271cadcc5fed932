package org.dragonflymle.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class CpuAffinityTest {

    private static BitSet cpus(int... cpus) {
        BitSet set = new BitSet();
        for (int c : cpus) {
            set.set(c);
        }
        return set;
    }

    @Test
    void theKernelsListFormatReadsAndWritesBack() {
        assertThat(CpuAffinity.parseList("0")).isEqualTo(cpus(0));
        assertThat(CpuAffinity.parseList(" 0-3,8,10-11\n")).isEqualTo(cpus(0, 1, 2, 3, 8, 10, 11));
        assertThat(CpuAffinity.parseList("")).isEqualTo(new BitSet());
        assertThat(CpuAffinity.format(cpus(0, 1, 2, 3, 8, 10, 11))).isEqualTo("0-3,8,10-11");
        assertThat(CpuAffinity.format(cpus(1))).isEqualTo("1");
        assertThat(CpuAffinity.format(new BitSet())).isEmpty();
        for (String bad : new String[] {"a", "3-1", "1-", "-1", "1,,2"}) {
            assertThatThrownBy(() -> CpuAffinity.parseList(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void thisProcessAndAnyProcessByPidReadTheSame() {
        assumeTrue(Files.exists(Path.of("/proc/self/status")), "needs Linux's /proc");
        BitSet own = CpuAffinity.ofThisProcess().orElseThrow();
        assertThat(own.cardinality()).isPositive();
        assertThat(CpuAffinity.ofProcess(ProcessHandle.current().pid())).contains(own);
        assertThat(CpuAffinity.ofProcess(-1)).isEmpty();
    }
}
