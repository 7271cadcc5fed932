package org.dragonflymle.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.dragonflymle.event.JsonFormatException.Reason;
import org.dragonflymle.testutils.EveSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonValidatorTest {

    private final JsonValidator validator = new JsonValidator(512);

    private Reason reject(byte[] b) {
        JsonFormatException e =
                catchThrowableOfType(
                        JsonFormatException.class, () -> validator.validate(b, 0, b.length));
        assertThat(e).as("rejected: %s", new String(b, StandardCharsets.UTF_8)).isNotNull();
        return e.reason();
    }

    @Test
    void acceptsEveryRealLine() {
        for (String line : EveSamples.devLines()) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            assertThatCode(() -> validator.validate(b, 0, b.length)).doesNotThrowAnyException();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "{",
                "{\"a\":}",
                "{\"a\" 1}",
                "[1,]",
                "{\"a\":1,}",
                "01",
                "1.",
                "-",
                "tru",
                "nul",
                "\"abc",
                "{\"a\":1}x",
                "{a:1}",
                "[1 2]",
                "\"\\x\"",
                "\"\\u12\"",
                "{\"a\":1}{\"b\":2}",
                "\"tab\there\""
            })
    void rejectsMalformed(String json) {
        assertThat(reject(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(Reason.MALFORMED_JSON);
    }

    @Test
    void rejectsInvalidUtf8() {
        assertThat(reject(new byte[] {'"', (byte) 0xc3, '"'})).isEqualTo(Reason.INVALID_UTF8);
        assertThat(reject(new byte[] {'"', (byte) 0xff, '"'})).isEqualTo(Reason.INVALID_UTF8);
        assertThat(reject(new byte[] {'"', (byte) 0xc0, (byte) 0x80, '"'}))
                .isEqualTo(Reason.INVALID_UTF8);
        assertThat(reject(new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}))
                .isEqualTo(Reason.INVALID_UTF8);
    }

    @Test
    void rejectsDeepNestingWithoutStackOverflow() {
        int depth = 200_000;
        byte[] b = ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
        assertThat(reject(b)).isEqualTo(Reason.TOO_DEEP);
    }

    @Test
    void acceptsNestingUpToTheBound() {
        byte[] b = ("[".repeat(512) + "]".repeat(512)).getBytes(StandardCharsets.UTF_8);
        assertThatCode(() -> validator.validate(b, 0, b.length)).doesNotThrowAnyException();
    }

    @Test
    void acceptsNumbersBeyond64BitsAndDuplicateKeys() {
        byte[] b =
                "{\"a\":123456789012345678901234567890,\"a\":2}".getBytes(StandardCharsets.UTF_8);
        assertThatCode(() -> validator.validate(b, 0, b.length)).doesNotThrowAnyException();
    }
}
