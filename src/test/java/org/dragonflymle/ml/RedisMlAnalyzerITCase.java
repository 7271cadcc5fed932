package org.dragonflymle.ml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.dragonflymle.testutils.EveSamples;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.RedisServerExtension;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The definition of done: an analyzer written for the C engine, which sets models with
 * ML.LOGREG.SET / ML.FOREST.ADD in setup() and predicts in loop(), runs unchanged in the real
 * pipeline and gets the documented answers.
 */
class RedisMlAnalyzerITCase {

    @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

    @TempDir Path dir;

    @Test
    void aCEngineStyleAnalyzerGetsTheDocumentedAnswers() throws Exception {
        Path root = TestRoots.copyExample("passthrough", dir);
        TestRoots.appendConfig(root, "redis_port = " + REDIS.port());
        TestRoots.write(
                root,
                "analyzer/pass.lua",
                """
                local redis

                function setup()
                  redis = hiredis.connect()
                  local reply = redis:command("ML.LOGREG.SET", "ml:lr", 0, 2, 2)
                  if type(reply) == 'table' and reply.name ~= 'OK' then error(reply.name) end
                  redis:command_line("ML.LINREG.SET ml:lin 2 3 4 5")
                  redis:command_line("ML.FOREST.ADD ml:rf 0 . NUMERIC 1 0.1 .l LEAF 1 .r LEAF 0")
                  redis:command_line("ML.FOREST.ADD ml:rf 1 . NUMERIC 1 0.1 .l LEAF 1 .r LEAF 0")
                  redis:command_line("ML.FOREST.ADD ml:rf 2 . NUMERIC 1 0.1 .l LEAF 0 .r LEAF 1")
                end

                function loop(msg)
                  msg.ml = {
                    logreg = redis:command("ML.LOGREG.PREDICT", "ml:lr", -3, 1),
                    linreg = redis:command_line("ML.LINREG.PREDICT ml:lin 1 1 1"),
                    low = redis:command("ML.FOREST.RUN", "ml:rf", "1:0.01", "CLASSIFICATION"),
                    high = redis:command("ML.FOREST.RUN", "ml:rf", "1:0.2", "CLASSIFICATION"),
                  }
                  dragonfly.output_event(default_output, msg)
                end
                """);
        List<String> input = EveSamples.devLines().subList(0, 200);
        TestRoots.writeLines(dir.resolve("data/eve-sample.jsonl"), input);

        Launcher.Result result = Launcher.run(root, dir.resolve("logs"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> output = TestRoots.readLines(dir.resolve("logs/passthrough.json"));
        assertThat(output).hasSize(200);
        ObjectMapper json = new ObjectMapper();
        for (String line : output) {
            JsonNode ml = json.readTree(line).get("ml");
            assertThat(ml.get("logreg").asText()).isEqualTo("0.017986209962091559");
            assertThat(ml.get("linreg").asText()).isEqualTo("14");
            assertThat(ml.get("low").asText()).isEqualTo("1");
            assertThat(ml.get("high").asText()).isEqualTo("0");
        }
    }
}
