package org.dragonflymle.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/install-suricata's source detection against apt layouts in a scratch directory ({@code
 * --dry-run} with {@code INSTALL_SURICATA_APT_DIR}): which bookworm-backports line it would write
 * for a deb822-only machine (a fresh bookworm image), a one-line-only one, one with both, one with
 * neither, and one that already has backports.
 */
class InstallSuricataTest {

    private static final String DEBIAN_SOURCES =
            """
            Types: deb
            # http://snapshot.debian.org/archive/debian/20250520T000000Z
            URIs: http://deb.debian.org/debian
            Suites: bookworm bookworm-updates
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

            Types: deb
            URIs: http://deb.debian.org/debian-security
            Suites: bookworm-security
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
            """;

    private static final String SOURCES_LIST =
            """
            # deb cdrom:[Debian GNU/Linux 12.5.0 _Bookworm_]/ bookworm main
            deb http://security.debian.org/debian-security bookworm-security main
            deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://ftp.de.debian.org/debian bookworm main contrib
            deb-src http://ftp.de.debian.org/debian bookworm main
            """;

    @TempDir Path dir;
    private Path apt;

    private record Result(int exit, String out, String err) {}

    @BeforeEach
    void layout() throws Exception {
        apt = dir.resolve("etc/apt");
        Files.createDirectories(apt.resolve("sources.list.d"));
    }

    private Result detect() throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder("bash", "scripts/install-suricata", "--dry-run")
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("INSTALL_SURICATA_APT_DIR", apt.toString());
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private void write(String relative, String text) throws Exception {
        Files.writeString(apt.resolve(relative), text);
    }

    @Test
    void deb822Only() throws Exception {
        write("sources.list.d/debian.sources", DEBIAN_SOURCES);
        Result r = detect();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("deb http://deb.debian.org/debian bookworm-backports main\n");
    }

    @Test
    void oneLineOnlyTakesTheBookwormEntryNotSecurityNorItsOptions() throws Exception {
        write("sources.list", SOURCES_LIST);
        Result r = detect();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo("deb http://ftp.de.debian.org/debian bookworm-backports main\n");
    }

    @Test
    void bothTakesSourcesListFirst() throws Exception {
        write("sources.list", SOURCES_LIST);
        write("sources.list.d/debian.sources", DEBIAN_SOURCES);
        Result r = detect();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo("deb http://ftp.de.debian.org/debian bookworm-backports main\n");
    }

    @Test
    void noneIsAnErrorThatSaysWhereItLooked() throws Exception {
        Result r = detect();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("found no Debian bookworm mirror").contains(apt.toString());
    }

    @Test
    void backportsAlreadyThereWritesNothing() throws Exception {
        write("sources.list.d/debian.sources", DEBIAN_SOURCES);
        write(
                "sources.list.d/backports.sources",
                "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\n"
                        + "Components: main\n");
        Result r = detect();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aThirdPartyOrDisabledSourceIsNotTakenForTheDebianMirror() throws Exception {
        write(
                "sources.list.d/a-nodesource.sources",
                "Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\n"
                        + "Components: main\n");
        write(
                "sources.list.d/b-old.sources",
                "Types: deb\nURIs: http://old.example.org/debian\nSuites: bookworm\n"
                        + "Components: main\nEnabled: no\n");
        write("sources.list.d/c-vendor.list", "deb https://packages.example.com/apt stable main\n");
        write("sources.list.d/debian.sources", DEBIAN_SOURCES);
        Result r = detect();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("deb http://deb.debian.org/debian bookworm-backports main\n");
    }

    @Test
    void onlySecurityOrCommentedEntriesFindNoMirror() throws Exception {
        write(
                "sources.list",
                "#deb http://deb.debian.org/debian bookworm main\n"
                        + "deb http://security.debian.org/debian-security bookworm-security main\n");
        Result r = detect();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
    }
}
