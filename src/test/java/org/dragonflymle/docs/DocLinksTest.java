package org.dragonflymle.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The repository's own documentation: README.md and every page under docs/. Its links must lead
 * somewhere, the pages other documents and messages name must exist, and the README's first screen
 * must show commands that name what is there.
 */
class DocLinksTest {

    /** Pages other engineers, Javadoc and messages point at; renaming one breaks them. */
    static final List<String> AGREED_PAGES =
            List.of(
                    "docs/README.md",
                    "docs/running.md",
                    "docs/config.md",
                    "docs/lua-api.md",
                    "docs/connectors/README.md",
                    "docs/connectors/files.md",
                    "docs/connectors/sockets.md",
                    "docs/connectors/kafka.md",
                    "docs/guarantees.md",
                    "docs/testing-analyzers.md",
                    "docs/operations.md",
                    "docs/model-scoring.md",
                    "docs/performance.md",
                    "docs/development.md");

    private static final Path HERE = Path.of("src/test/java/org/dragonflymle/docs");

    private static Path repo;

    @BeforeAll
    static void findTheRepository() {
        // Maven runs tests in the project directory
        repo = Path.of("").toAbsolutePath();
        assertThat(repo.resolve("pom.xml")).as("the working directory is the project").exists();
    }

    @Test
    void everyRelativeLinkInTheReadmeAndDocsResolves() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path page : markdownFiles()) {
            problems.addAll(MarkdownLinks.problems(repo, page));
        }
        assertThat(problems).as("broken links").isEmpty();
    }

    @Test
    void theAgreedPagesExist() {
        for (String page : AGREED_PAGES) {
            assertThat(repo.resolve(page)).as(page).isRegularFile();
        }
    }

    @Test
    void everyDocsPageNamedInCodeScriptsAndExamplesExists() throws IOException {
        Pattern named = Pattern.compile("docs/[A-Za-z0-9_./-]*[A-Za-z0-9_-]\\.md");
        List<String> problems = new ArrayList<>();
        for (String dir : List.of("src", "scripts", "examples", ".ci")) {
            if (!Files.isDirectory(repo.resolve(dir))) {
                continue;
            }
            try (Stream<Path> files = Files.walk(repo.resolve(dir))) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    // binary samples, and this package's own fixtures of broken links
                    if (file.toString().endsWith(".gz")
                            || file.toString().contains("/resources/")
                            || file.getParent().endsWith(HERE)) {
                        continue;
                    }
                    // Latin-1 reads any bytes; the names looked for are ASCII
                    Matcher m =
                            named.matcher(
                                    new String(
                                            Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                    while (m.find()) {
                        if (!Files.isRegularFile(repo.resolve(m.group()))) {
                            problems.add(repo.relativize(file) + " names " + m.group());
                        }
                    }
                }
            }
        }
        assertThat(problems).as("docs pages named but missing").isEmpty();
    }

    @Test
    void theIndexAndTheReadmeLinkEveryDocsPage() throws IOException {
        Path index = repo.resolve("docs/README.md");
        List<String> indexed = targets(index, index.getParent());
        List<String> fromReadme = targets(repo.resolve("README.md"), repo);
        for (Path page : markdownFiles()) {
            String name = repo.relativize(page).toString();
            if (!name.startsWith("docs/")) {
                continue;
            }
            if (!page.equals(index)) {
                assertThat(indexed).as("docs/README.md links " + name).contains(name);
            }
            assertThat(fromReadme).as("README.md links " + name).contains(name);
        }
    }

    @Test
    void theReadmeFirstScreenNamesScriptsRootsAndGoalsThatExist() {
        String readme = MarkdownLinks.read(repo.resolve("README.md"));
        assertThat(ReadmeCommands.problems(repo, readme)).as("first-screen commands").isEmpty();
        assertThat(ReadmeCommands.firstScreen(readme))
                .extracting(c -> c.words().get(0))
                .as("the two commands a newcomer runs")
                .contains("scripts/dragonfly-mle", "mvn");
    }

    /** The files the links of {@code page} lead to, relative to the repository. */
    private static List<String> targets(Path page, Path dir) {
        return MarkdownLinks.links(MarkdownLinks.read(page)).stream()
                .map(l -> l.target().replaceFirst("#.*", ""))
                .filter(t -> !t.isEmpty() && !t.contains(":"))
                .map(t -> repo.relativize(dir.resolve(t).normalize()).toString())
                .toList();
    }

    private static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(repo.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(repo.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }
}
