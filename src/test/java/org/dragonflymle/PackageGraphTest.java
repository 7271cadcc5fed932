package org.dragonflymle;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages form the DAG written down in docs/development.md ("Package graph"): each
 * package imports only the packages listed for it, and no import runs back up. Reads the compiled
 * main classes (not the tests), so it checks what the code does, not what a comment says.
 */
class PackageGraphTest {

    private static final String ROOT = "org.dragonflymle.";

    private static final Path GRAPH = Path.of("docs/development.md");

    /** A line of the graph: {@code - `pkg` – what it holds. May import: `a`, `b`.} */
    private static final Pattern ENTRY = Pattern.compile("^- `([a-z.]+)` .*May import: (.*)\\.$");

    private static final Pattern NAME = Pattern.compile("`([a-z.]+)`");

    private static JavaClasses classes;
    private static Map<String, Set<String>> mayImport;

    @BeforeAll
    static void importMainClassesAndTheGraph() throws IOException {
        mayImport = readGraph();
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                        .importPackages("org.dragonflymle");
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("org.dragonflymle.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyPackageImportsOnlyWhatTheGraphAllows() {
        Set<String> violations = new TreeSet<>();
        for (JavaClass c : classes) {
            String from = pkg(c);
            Set<String> allowed = mayImport.get(from);
            if (allowed == null) {
                violations.add(from + " is not in the package graph (" + c.getName() + ")");
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass();
                if (!target.getPackageName().startsWith(ROOT)) {
                    continue;
                }
                String to = pkg(target);
                if (!to.equals(from) && !allowed.contains(to)) {
                    violations.add(from + " -> " + to + ": " + d.getDescription());
                }
            }
        }
        assertThat(violations).as("imports the package graph does not allow").isEmpty();
    }

    /** A graph entry that no package uses any more is stale and must be removed, too. */
    @Test
    void everyPackageOfTheGraphExists() {
        Set<String> existing = new TreeSet<>();
        classes.forEach(c -> existing.add(pkg(c)));
        assertThat(existing).containsAll(mayImport.keySet());
    }

    private static String pkg(JavaClass c) {
        return c.getPackageName().substring(ROOT.length());
    }

    /** The "Package graph" section of docs/development.md: package → what it may import. */
    static Map<String, Set<String>> readGraph() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(GRAPH)) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Package graph");
                continue;
            }
            Matcher m = ENTRY.matcher(line);
            if (!inSection || !m.matches()) {
                continue;
            }
            Set<String> imports = new TreeSet<>();
            Matcher names = NAME.matcher(m.group(2));
            while (names.find()) {
                imports.add(names.group(1));
            }
            assertThat(graph.put(m.group(1), imports)).as("listed twice: " + m.group(1)).isNull();
        }
        assertThat(graph).as("the package graph in " + GRAPH).isNotEmpty();
        return graph;
    }

    /** The listed graph itself has no cycle, whatever the code does. */
    @Test
    void theDocumentedGraphIsADag() {
        Map<String, Integer> state = new HashMap<>();
        for (String p : mayImport.keySet()) {
            assertThat(cycleFrom(p, state, new ArrayDeque<>())).as("cycle in " + GRAPH).isNull();
        }
    }

    private static String cycleFrom(String p, Map<String, Integer> state, Deque<String> path) {
        Integer s = state.get(p);
        if (s != null) {
            return s == 1 ? String.join(" -> ", path) + " -> " + p : null;
        }
        state.put(p, 1);
        path.addLast(p);
        for (String next : mayImport.getOrDefault(p, Set.of())) {
            String cycle = cycleFrom(next, state, path);
            if (cycle != null) {
                return cycle;
            }
        }
        path.removeLast();
        state.put(p, 2);
        return null;
    }
}
