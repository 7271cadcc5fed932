package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a run starts from: --resume, --resume-if-any, or the beginning. */
class RecoveryTest {

    @TempDir Path dir;

    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();

    private Configuration configure(String... flags) throws Exception {
        Path root =
                Files.isDirectory(dir.resolve("hello-world"))
                        ? dir.resolve("hello-world")
                        : TestRoots.copyExample("hello-world", dir);
        String[] args = new String[flags.length + 4];
        args[0] = "-r";
        args[1] = root.toString();
        args[2] = "-l";
        args[3] = dir.resolve("logs").toString();
        System.arraycopy(flags, 0, args, 4, flags.length);
        LaunchOptions options = LaunchOptions.parse(args);
        PipelineSpec spec = ConfigLoader.load(options.root(), options.logDir());
        Configuration conf = new Configuration();
        Recovery.configure(
                conf, spec, options, new PrintStream(terminal, true, StandardCharsets.UTF_8));
        return conf;
    }

    private String said() {
        return terminal.toString(StandardCharsets.UTF_8);
    }

    private Path retainedCheckpoint(int n) throws Exception {
        Path chk = dir.resolve("logs/checkpoints/0123abcd/chk-" + n);
        Files.createDirectories(chk);
        Files.writeString(chk.resolve("_metadata"), "x");
        return chk;
    }

    @Test
    void resumeWithNothingRetainedIsAUsageError() {
        assertThatThrownBy(() -> configure("--resume"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--resume: no retained checkpoint in " + dir.resolve("logs"));
    }

    @Test
    void resumeIfAnyWithNothingRetainedStartsAfreshAndSaysSo() throws Exception {
        Configuration conf = configure("--resume-if-any");
        assertThat(conf.getOptional(StateRecoveryOptions.SAVEPOINT_PATH)).isEmpty();
        assertThat(said()).contains("no retained checkpoint in").contains("starting afresh");
    }

    @Test
    void bothResumeFromTheNewestRetainedCheckpoint() throws Exception {
        Path chk = retainedCheckpoint(7);
        for (String flag : new String[] {"--resume", "--resume-if-any"}) {
            Configuration conf = configure(flag);
            assertThat(conf.get(StateRecoveryOptions.SAVEPOINT_PATH)).isEqualTo(chk.toString());
        }
        assertThat(said()).contains("dragonfly-mle: resuming from " + chk);
    }

    @Test
    void noFlagStartsFromTheBeginningEvenWithCheckpointsRetained() throws Exception {
        retainedCheckpoint(3);
        assertThat(configure().getOptional(StateRecoveryOptions.SAVEPOINT_PATH)).isEmpty();
        assertThat(said()).isEmpty();
    }

    @Test
    void resumeIfAnyAndFromSavepointExcludeEachOther() {
        assertThatThrownBy(() -> configure("--resume-if-any", "--from-savepoint", "/x"))
                .hasMessageContaining("exclude each other");
    }

    @Test
    void resumeTakesAReloadSavepointWhenItIsTheNewest() throws Exception {
        Path chk = retainedCheckpoint(4);
        Path reload = dir.resolve("logs/checkpoints/reloads/savepoint-0123ab-cdef");
        Files.createDirectories(reload);
        Files.writeString(reload.resolve("_metadata"), "x");
        Files.setLastModifiedTime(
                chk.resolve("_metadata"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        assertThat(configure("--resume").get(StateRecoveryOptions.SAVEPOINT_PATH))
                .isEqualTo(reload.toString());
    }

    @Test
    void aSavepointOutsideReloadsIsNotACheckpointToResume() throws Exception {
        Path other = dir.resolve("logs/checkpoints/elsewhere/savepoint-0123ab-cdef");
        Files.createDirectories(other);
        Files.writeString(other.resolve("_metadata"), "x");
        assertThatThrownBy(() -> configure("--resume")).isInstanceOf(UsageException.class);
    }

    @Test
    void onlyTheNewestReloadSavepointIsKept() throws Exception {
        Path reloads = dir.resolve("logs/checkpoints/reloads");
        Path old = Files.createDirectories(reloads.resolve("savepoint-aaaaaa-111111"));
        Files.writeString(old.resolve("_metadata"), "x");
        Path kept = Files.createDirectories(reloads.resolve("savepoint-bbbbbb-222222"));
        Files.writeString(kept.resolve("_metadata"), "x");
        configure();
        PipelineSpec spec = ConfigLoader.load(dir.resolve("hello-world"), dir.resolve("logs"));
        Recovery.deleteReloadSavepointsExcept(spec, "file:" + kept);
        assertThat(old).doesNotExist();
        assertThat(kept.resolve("_metadata")).exists();
    }
}
