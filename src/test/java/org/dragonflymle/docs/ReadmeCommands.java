package org.dragonflymle.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands a newcomer copies from the README's first screen (the fenced blocks before its first
 * {@code ##} heading), and whether each names something that exists: a script path that is an
 * executable file, {@code -r} roots with a {@code config/config.lua}, and Maven goals the pom runs.
 * Running them is CI's job; this catches a README that names what is not there.
 */
final class ReadmeCommands {

    /** One command line of a fenced block, with its shell comment removed. */
    record Command(int line, List<String> words) {}

    /** Maven's default and clean lifecycle phases: what {@code mvn PHASE} runs on any pom. */
    static final Set<String> LIFECYCLE_PHASES =
            Set.of(
                    "validate",
                    "initialize",
                    "generate-sources",
                    "process-sources",
                    "generate-resources",
                    "process-resources",
                    "compile",
                    "process-classes",
                    "generate-test-sources",
                    "process-test-sources",
                    "generate-test-resources",
                    "process-test-resources",
                    "test-compile",
                    "process-test-classes",
                    "test",
                    "prepare-package",
                    "package",
                    "pre-integration-test",
                    "integration-test",
                    "post-integration-test",
                    "verify",
                    "install",
                    "deploy",
                    "pre-clean",
                    "clean",
                    "post-clean");

    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    private static final Pattern SHELL_COMMENT = Pattern.compile("(^|\\s)#.*$");
    private static final Pattern PLUGIN_ARTIFACT =
            Pattern.compile("<artifactId>([A-Za-z0-9.-]+)-maven-plugin</artifactId>");
    private static final Pattern MAVEN_PLUGIN_ARTIFACT =
            Pattern.compile("<artifactId>maven-([A-Za-z0-9.-]+)-plugin</artifactId>");

    private ReadmeCommands() {}

    /** The command lines of the fenced blocks before the first {@code ##} heading. */
    static List<Command> firstScreen(String readme) {
        List<Command> commands = new ArrayList<>();
        boolean inFence = false;
        String[] lines = readme.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            if (!inFence && line.startsWith("## ")) {
                break;
            }
            if (inFence) {
                String code = SHELL_COMMENT.matcher(line).replaceAll("").trim();
                if (!code.isEmpty()) {
                    commands.add(new Command(i + 1, Arrays.asList(code.split("\\s+"))));
                }
            }
        }
        return commands;
    }

    /**
     * What is wrong with the first screen's commands, one line each; empty when all of them name
     * things that exist. A first screen without any command is wrong too.
     */
    static List<String> problems(Path repoRoot, String readme) {
        List<Command> commands = firstScreen(readme);
        if (commands.isEmpty()) {
            return List.of("README.md: no command in a fenced block before the first ## heading");
        }
        List<String> problems = new ArrayList<>();
        for (Command c : commands) {
            String where = "README.md:" + c.line() + ": " + String.join(" ", c.words()) + ": ";
            String program = c.words().get(0);
            if (program.equals("mvn")) {
                for (String problem : mavenProblems(repoRoot, c.words())) {
                    problems.add(where + problem);
                }
            } else if (program.contains("/")) {
                Path script = repoRoot.resolve(program).normalize();
                if (!script.startsWith(repoRoot) || !Files.isRegularFile(script)) {
                    problems.add(where + "no such file " + program);
                } else if (!Files.isExecutable(script)) {
                    problems.add(where + program + " is not executable");
                }
                for (String problem : rootProblems(repoRoot, c.words())) {
                    problems.add(where + problem);
                }
            } else {
                problems.add(
                        where
                                + "'"
                                + program
                                + "' is neither a script of this repository nor mvn; a newcomer"
                                + " has only Java 17 and Maven");
            }
        }
        return problems;
    }

    private static List<String> rootProblems(Path repoRoot, List<String> words) {
        List<String> problems = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            if (words.get(i).equals("-r")) {
                if (i + 1 == words.size()) {
                    problems.add("-r without a root");
                    continue;
                }
                String root = words.get(i + 1);
                if (!Files.isRegularFile(repoRoot.resolve(root).resolve("config/config.lua"))) {
                    problems.add(
                            "-r " + root + " is not a root (no " + root + "/config/config.lua)");
                }
            }
        }
        return problems;
    }

    private static List<String> mavenProblems(Path repoRoot, List<String> words) {
        Set<String> prefixes = pluginPrefixes(MarkdownLinks.read(repoRoot.resolve("pom.xml")));
        List<String> problems = new ArrayList<>();
        List<String> goals = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            if (w.startsWith("-")) {
                // -B, -q, -DskipTests, -Pprofile; -P NAME, -pl NAME and -f FILE take the next word
                if (w.equals("-P") || w.equals("-pl") || w.equals("-f") || w.equals("-D")) {
                    i++;
                }
                continue;
            }
            goals.add(w);
        }
        if (goals.isEmpty()) {
            problems.add("mvn without a goal");
        }
        for (String goal : goals) {
            int colon = goal.indexOf(':');
            if (colon < 0) {
                if (!LIFECYCLE_PHASES.contains(goal)) {
                    problems.add("'" + goal + "' is not a Maven lifecycle phase");
                }
            } else if (!prefixes.contains(goal.substring(0, colon))) {
                problems.add(
                        "'"
                                + goal
                                + "' names a plugin pom.xml does not declare (it declares "
                                + prefixes
                                + ")");
            }
        }
        return problems;
    }

    /** The goal prefixes of the plugins a pom names: {@code spotless} for spotless-maven-plugin. */
    static Set<String> pluginPrefixes(String pom) {
        Set<String> prefixes = new LinkedHashSet<>();
        Matcher m = PLUGIN_ARTIFACT.matcher(pom);
        while (m.find()) {
            prefixes.add(m.group(1));
        }
        m = MAVEN_PLUGIN_ARTIFACT.matcher(pom);
        while (m.find()) {
            prefixes.add(m.group(1));
        }
        return prefixes;
    }
}
