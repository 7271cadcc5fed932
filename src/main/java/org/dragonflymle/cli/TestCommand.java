package org.dragonflymle.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.testing.AnalyzerTestRunner;
import org.dragonflymle.testing.TestResult;

/**
 * {@code dragonfly-mle test [-r ROOT] [-v] [TEST...]}: runs the analyzer tests of a root (see
 * {@link AnalyzerTestRunner}). Exit status: 0 when every test passed, 1 when one failed or there
 * were none, 2 for a bad command line or config.lua.
 */
final class TestCommand {

    static final String USAGE =
            "usage: dragonfly-mle test [-r ROOT] [-v] [--shadow] [TEST...]\n"
                    + "  runs ROOT/tests/*.lua (or the TESTs named: a file, or a name under"
                    + " ROOT/tests)\n"
                    + "  through the real scripts against a throwaway redis-server\n"
                    + "  --shadow: also run each analyzer's shadow (config.lua shadow=) on the"
                    + " same events\n"
                    + "            and show where it differs from the live version\n";

    private TestCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path root = Path.of("/usr/local/dragonfly-mle");
        boolean verbose = false;
        boolean shadows = false;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-r" -> {
                    if (++i >= args.length) {
                        err.println("dragonfly-mle test: -r needs a value");
                        err.print(USAGE);
                        return 2;
                    }
                    root = Path.of(args[i]);
                }
                case "-v" -> verbose = true;
                case "--shadow" -> shadows = true;
                case "-h", "--help" -> {
                    err.print(USAGE);
                    return 2;
                }
                default -> {
                    if (args[i].startsWith("-")) {
                        err.println("dragonfly-mle test: unknown option " + args[i]);
                        err.print(USAGE);
                        return 2;
                    }
                    names.add(args[i]);
                }
            }
        }
        Path logDir;
        try {
            logDir = Files.createTempDirectory("dragonfly-test-");
        } catch (IOException e) {
            err.println("dragonfly-mle test: cannot create a temporary LOGDIR: " + e);
            return 1;
        }
        try {
            EngineLogging.configure(logDir, verbose);
            PipelineSpec spec;
            try {
                spec = ConfigLoader.load(root.toAbsolutePath().normalize(), logDir);
            } catch (ConfigException e) {
                err.println("dragonfly-mle: " + e.getMessage());
                return 2;
            }
            AnalyzerTestRunner runner = new AnalyzerTestRunner(spec, out);
            if (shadows) {
                runner.comparingShadows();
            }
            List<Path> files;
            try {
                files = runner.select(names);
            } catch (Exception e) {
                err.println("dragonfly-mle test: " + e.getMessage());
                return 2;
            }
            if (files.isEmpty()) {
                err.println(
                        "dragonfly-mle test: no tests in "
                                + spec.root().resolve(AnalyzerTestRunner.TESTS_DIR)
                                + " (see docs/testing-analyzers.md to write one)");
                return 1;
            }
            List<TestResult> results = runner.run(files, logDir);
            return results.stream().allMatch(TestResult::passed) ? 0 : 1;
        } finally {
            deleteTree(logDir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
