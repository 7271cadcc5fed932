package org.dragonflymle.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first-screen command checker itself, on a small repository of its own. */
class ReadmeCommandsTest {

    @TempDir Path repo;

    @BeforeEach
    void aRepository() throws IOException {
        Files.createDirectories(repo.resolve("scripts"));
        Files.writeString(repo.resolve("scripts/run"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(
                repo.resolve("scripts/run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(repo.resolve("scripts/notes"), "text\n");
        Files.createDirectories(repo.resolve("examples/hello/config"));
        Files.writeString(repo.resolve("examples/hello/config/config.lua"), "inputs = {}\n");
        Files.writeString(
                repo.resolve("pom.xml"),
                "<project><build><plugins><plugin>"
                        + "<artifactId>spotless-maven-plugin</artifactId></plugin><plugin>"
                        + "<artifactId>maven-surefire-plugin</artifactId></plugin>"
                        + "</plugins></build></project>");
    }

    @Test
    void commandsThatNameWhatExistsPass() {
        String readme =
                "# T\n\n```\nscripts/run -r examples/hello -l /tmp/x   # run it\n"
                        + "mvn -B verify   # test\nmvn -q -DskipTests spotless:apply surefire:test\n```\n";
        assertThat(ReadmeCommands.firstScreen(readme)).hasSize(3);
        assertThat(ReadmeCommands.problems(repo, readme)).isEmpty();
    }

    @Test
    void aScriptThatDoesNotExistIsReported() {
        String readme = "# T\n\n```\nscripts/dragonfly -r examples/hello   # run\n```\n";
        assertThat(ReadmeCommands.problems(repo, readme))
                .singleElement()
                .asString()
                .contains("README.md:4")
                .contains("no such file scripts/dragonfly");
    }

    @Test
    void aScriptThatIsNotExecutableIsReported() {
        String readme = "# T\n\n```\nscripts/notes\n```\n";
        assertThat(ReadmeCommands.problems(repo, readme))
                .singleElement()
                .asString()
                .contains("scripts/notes is not executable");
    }

    @Test
    void aRootThatDoesNotExistIsReported() {
        String readme = "# T\n```\nscripts/run -r examples/hello-world -l /tmp/x\n```\n";
        assertThat(ReadmeCommands.problems(repo, readme))
                .singleElement()
                .asString()
                .contains("-r examples/hello-world is not a root");
    }

    @Test
    void aMavenGoalThePomDoesNotRunIsReported() {
        String readme = "# T\n```\nmvn -B verfiy\nmvn jacoco:report\nmvn -B\n```\n";
        assertThat(ReadmeCommands.problems(repo, readme))
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("'verfiy' is not a Maven lifecycle phase"))
                .anySatisfy(p -> assertThat(p).contains("'jacoco:report' names a plugin"))
                .anySatisfy(p -> assertThat(p).contains("mvn without a goal"));
    }

    @Test
    void aProgramANewcomerDoesNotHaveIsReported() {
        String readme = "# T\n```\ndocker compose up\n```\n";
        assertThat(ReadmeCommands.problems(repo, readme))
                .singleElement()
                .asString()
                .contains("'docker' is neither a script of this repository nor mvn");
    }

    @Test
    void onlyTheFirstScreenCountsAndItMustHaveACommand() {
        String later = "# T\n\ntext\n\n## Later\n```\nscripts/missing\n```\n";
        assertThat(ReadmeCommands.firstScreen(later)).isEmpty();
        assertThat(ReadmeCommands.problems(repo, later))
                .singleElement()
                .asString()
                .contains("no command in a fenced block before the first ## heading");
    }
}
