package org.dragonflymle.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link checker itself: it must report every kind of broken link and nothing else. */
class MarkdownLinksTest {

    @TempDir Path repo;

    @Test
    void slugsFollowGitHubsRules() {
        assertThat(MarkdownLinks.slug("Redis's CPU")).isEqualTo("rediss-cpu");
        assertThat(MarkdownLinks.slug("config.lua")).isEqualTo("configlua");
        assertThat(MarkdownLinks.slug("`--explain`: what a config builds, without running it"))
                .isEqualTo("--explain-what-a-config-builds-without-running-it");
        assertThat(MarkdownLinks.slug("`tail://` – follow a growing file"))
                .isEqualTo("tail--follow-a-growing-file");
        assertThat(MarkdownLinks.slug("Example: DGA scoring (`examples/dga`)"))
                .isEqualTo("example-dga-scoring-examplesdga");
        assertThat(MarkdownLinks.slug("See [the API](lua-api.md) here"))
                .isEqualTo("see-the-api-here");
        assertThat(MarkdownLinks.slug("snake_case and Ünïcode"))
                .isEqualTo("snake_case-and-ünïcode");
    }

    @Test
    void repeatedHeadingsGetNumberedAnchorsAndHeadingsInCodeAreNone() {
        String md = "# Metrics\n## Metrics\n```\n# not a heading\n```\n### Metrics\n";
        assertThat(MarkdownLinks.anchors(md)).containsExactly("metrics", "metrics-1", "metrics-2");
    }

    @Test
    void aValidLinkToAFileAndAHeadingPasses() throws IOException {
        write("docs/a.md", "# A\n\n## Redis's CPU\n");
        Path readme =
                write(
                        "README.md",
                        "See [a](docs/a.md), [its part](docs/a.md#rediss-cpu),"
                                + " [a dir](docs/), [here](#top) and [web](https://example.org/x#y).\n\n# Top\n");
        assertThat(MarkdownLinks.problems(repo, readme)).isEmpty();
    }

    @Test
    void aLinkToAMissingFileIsReported() throws IOException {
        Path readme = write("README.md", "# R\n\nSee\n[the guide](docs/missing.md).\n");
        assertThat(MarkdownLinks.problems(repo, readme))
                .singleElement()
                .asString()
                .contains("README.md:4")
                .contains("[the guide](docs/missing.md)")
                .contains("no such file docs/missing.md");
    }

    @Test
    void aLinkToAMissingHeadingIsReported() throws IOException {
        write("docs/a.md", "# A\n\n## Performance\n");
        Path readme =
                write("README.md", "[perf](docs/a.md#performanc) and [self](#nowhere)\n# R\n");
        assertThat(MarkdownLinks.problems(repo, readme))
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("no heading #performanc in docs/a.md"))
                .anySatisfy(p -> assertThat(p).contains("no heading #nowhere in README.md"));
    }

    @Test
    void aLinkOutOfTheRepositoryIsReportedEvenWhenTheFileExists() throws IOException {
        write("contract.md", "# Contract\n");
        Path inner = repo.resolve("inner");
        Path page = write("inner/docs/a.md", "The [contract](../../contract.md#contract).\n");
        assertThat(MarkdownLinks.problems(inner, page))
                .singleElement()
                .asString()
                .contains("docs/a.md:1")
                .contains("points outside the repository");
    }

    @Test
    void anAnchorIntoADirectoryIsReported() throws IOException {
        Files.createDirectories(repo.resolve("docs"));
        Path readme = write("README.md", "[docs](docs#x)\n");
        assertThat(MarkdownLinks.problems(repo, readme))
                .singleElement()
                .asString()
                .contains("needs a Markdown file");
    }

    @Test
    void linksInCodeAreNotLinks() throws IOException {
        Path readme =
                write(
                        "README.md",
                        "```lua\nlocal x = t[1](nowhere.md)\n```\n"
                                + "Inline `f[1](nowhere.md)` and\n```\n[a](gone.md)\n```\n");
        assertThat(MarkdownLinks.links(MarkdownLinks.read(readme))).isEmpty();
        assertThat(MarkdownLinks.problems(repo, readme)).isEmpty();
    }

    @Test
    void aLinkWhoseTextSpansLinesOrHoldsCodeIsFoundOnItsFirstLine() {
        String md = "one\nsee [Scaling an\nanalyzer](ops.md#scaling) and [`tail://`](files.md)\n";
        assertThat(MarkdownLinks.links(md))
                .extracting(MarkdownLinks.Link::line, MarkdownLinks.Link::target)
                .containsExactly(Tuple.tuple(2, "ops.md#scaling"), Tuple.tuple(3, "files.md"));
    }

    private Path write(String name, String text) throws IOException {
        Path p = repo.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }
}
