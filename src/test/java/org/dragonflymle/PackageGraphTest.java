package org.dragonflymle;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages form the documented DAG (docs/development.md, "Package graph"): each
 * package imports only the packages listed for it, and no import runs back up. Reads the compiled
 * main classes (not the tests), so it checks what the code does, not what a comment says.
 */
class PackageGraphTest {

    private static final String ROOT = "org.dragonflymle.";

    /** Package (below {@code org.dragonflymle}) → the engine packages it may import. */
    static final Map<String, Set<String>> MAY_IMPORT =
            Map.ofEntries(
                    may(
                            "cli",
                            "config",
                            "config.loader",
                            "connector",
                            "graph",
                            "lua",
                            "metrics",
                            "operator",
                            "redis.server",
                            "testing"),
                    may(
                            "testing",
                            "config",
                            "errors",
                            "event",
                            "graph",
                            "lua",
                            "lua.api",
                            "lua.compat",
                            "lua.lib",
                            "lua.sandbox",
                            "ml.command",
                            "redis",
                            "redis.server"),
                    may("graph", "config", "connector", "event", "operator"),
                    may(
                            "operator",
                            "config",
                            "errors",
                            "event",
                            "lua",
                            "lua.api",
                            "lua.lib",
                            "metrics",
                            "ml.command",
                            "redis"),
                    may("lua", "lua.api", "lua.compat", "lua.lib", "lua.sandbox"),
                    may(
                            "lua.lib",
                            "config",
                            "event",
                            "lua.api",
                            "lua.compat",
                            "lua.sandbox",
                            "redis"),
                    may("lua.sandbox", "lua.api", "lua.compat"),
                    may("lua.api", "config"),
                    may("lua.compat"),
                    may("ml"),
                    may("ml.command", "ml.model", "ml.protocol", "ml.store", "redis"),
                    may("ml.store", "ml.model", "ml.protocol", "redis"),
                    may("ml.model", "ml.protocol"),
                    may("ml.protocol"),
                    may("redis", "config", "os"),
                    may("redis.server", "config", "os"),
                    may("os"),
                    may("metrics"),
                    may("errors"),
                    may("event"),
                    may(
                            "connector",
                            "config",
                            "connector.file",
                            "connector.kafka",
                            "connector.socket",
                            "connector.socket.sink",
                            "connector.socket.source",
                            "connector.tail",
                            "event"),
                    may("connector.kafka", "config", "connector.file", "event"),
                    may("connector.file", "event"),
                    may("connector.socket", "config"),
                    may("connector.socket.internal", "config"),
                    may(
                            "connector.socket.sink",
                            "connector.socket",
                            "connector.socket.internal",
                            "event"),
                    may(
                            "connector.socket.source",
                            "connector.socket",
                            "connector.socket.source.enumerator",
                            "connector.socket.source.reader",
                            "connector.socket.source.split",
                            "event"),
                    may("connector.socket.source.enumerator", "connector.socket.source.split"),
                    may(
                            "connector.socket.source.reader",
                            "connector.file",
                            "connector.socket",
                            "connector.socket.internal",
                            "connector.socket.source.split",
                            "event"),
                    may("connector.socket.source.split"),
                    may(
                            "connector.tail",
                            "connector.tail.enumerator",
                            "connector.tail.reader",
                            "connector.tail.split",
                            "event"),
                    may("connector.tail.enumerator", "connector.tail.split"),
                    may("connector.tail.reader", "connector.file", "connector.tail.split", "event"),
                    may("connector.tail.split"),
                    may("config.loader", "config", "config.routing", "lua.sandbox"),
                    may("config.routing"),
                    may("config"));

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
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
            Set<String> allowed = MAY_IMPORT.get(from);
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
        assertThat(existing).containsAll(MAY_IMPORT.keySet());
    }

    private static String pkg(JavaClass c) {
        return c.getPackageName().substring(ROOT.length());
    }

    private static Map.Entry<String, Set<String>> may(String pkg, String... imports) {
        return entry(pkg, Set.of(imports));
    }
}
