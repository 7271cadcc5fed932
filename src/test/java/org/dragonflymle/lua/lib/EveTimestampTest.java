package org.dragonflymle.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EveTimestampTest {

    @ParameterizedTest
    @CsvSource({
        "2019-01-28T17:16:12.000386-0500, 1548713772.000386",
        "2019-01-28T22:16:12.000386+0000, 1548713772.000386",
        "2019-01-28T22:16:12.5Z, 1548713772.5",
        "2019-01-29T03:46:12+05:30, 1548713772",
        "2019-01-28T22:16:12, 1548713772",
        "2019-01-28 22:16:12, 1548713772",
        "1970-01-01T00:00:00.000000+0000, 0",
        "2019-01-28T17:16:12-05, 1548713772"
    })
    void parsesSuricataTimestamps(String ts, double epoch) {
        assertThat(EveTimestamp.toEpoch(ts)).isCloseTo(epoch, within(1e-6));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "yesterday",
                "2019-13-01T00:00:00",
                "2019-01-28T25:00:00Z",
                "2019-01-28"
            })
    void rejectsWhatIsNotATimestamp(String ts) {
        assertThatThrownBy(() -> EveTimestamp.toEpoch(ts))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
