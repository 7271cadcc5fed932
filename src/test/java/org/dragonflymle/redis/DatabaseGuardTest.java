package org.dragonflymle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A shadow's connection stays in its database: what is refused, and what passes on. */
class DatabaseGuardTest {

    private final List<String> passed = new ArrayList<>();
    private final DatabaseGuard guard =
            new DatabaseGuard(
                    3,
                    (args, redis) -> {
                        passed.add(new String(args.get(0), StandardCharsets.UTF_8));
                        return null;
                    });

    private RespReply send(String... words) {
        List<byte[]> args = new ArrayList<>();
        for (String w : words) {
            args.add(w.getBytes(StandardCharsets.UTF_8));
        }
        return guard.intercept(args, null);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT 0",
                "select 0",
                "MOVE k 0",
                "SWAPDB 0 3",
                "FLUSHALL",
                "flushall ASYNC",
                "MIGRATE h 1 k 0 5",
                "COPY a b DB 0",
                "EVAL |redis.call('SELECT',0)| 0",
                "EVAL_RO |return redis.call(\"select\",0)| 0",
            })
    void changingDatabaseIsRefusedNamingTheShadowsOwn(String command) {
        RespReply r = send(command.contains("|") ? splitScript(command) : command.split(" "));
        assertThat(r).isInstanceOf(RespReply.ErrorReply.class);
        assertThat(((RespReply.ErrorReply) r).message())
                .contains("refused")
                .contains("own database (3)");
        assertThat(passed).isEmpty();
    }

    private static String[] splitScript(String command) {
        String[] parts = command.split("\\|");
        return new String[] {parts[0].trim(), parts[1], parts[2].trim()};
    }

    @Test
    void everythingElsePassesOn() {
        assertThat(send("GET", "k")).isNull();
        assertThat(send("COPY", "a", "b")).isNull();
        assertThat(send("FLUSHDB")).isNull();
        assertThat(send("EVAL", "return redis.call('GET', KEYS[1])", "1", "k")).isNull();
        assertThat(send("SET", "SELECT", "1")).isNull();
        assertThat(passed).containsExactly("GET", "COPY", "FLUSHDB", "EVAL", "SET");
    }
}
