package org.dragonflymle;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Code that runs in a Flink task touches only its task: it forks no process, installs no signal
 * handler, reads no system property and changes no CPU affinity. Host-level choices belong to the
 * launcher ({@code cli}) and to what it starts ({@code redis.server}), never to these packages.
 */
class TaskCodeTest {

    /** Every package whose code a TaskManager runs (or that such code calls). */
    private static final String[] TASK_PACKAGES = {
        "org.dragonflymle.operator..",
        "org.dragonflymle.stage..",
        "org.dragonflymle.lua..",
        "org.dragonflymle.event..",
        "org.dragonflymle.connector..",
        "org.dragonflymle.redis",
        "org.dragonflymle.ml..",
        "org.dragonflymle.errors..",
        "org.dragonflymle.metrics..",
        "org.dragonflymle.format..",
        "org.dragonflymle.config",
    };

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
    void forksNoProcess() {
        noClasses()
                .that()
                .resideInAnyPackage(TASK_PACKAGES)
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(ProcessBuilder.class)
                .orShould()
                .callMethod(Runtime.class, "exec", String.class)
                .orShould()
                .callMethod(Runtime.class, "exec", String[].class)
                .check(classes);
    }

    @Test
    void installsNoSignalHandler() {
        noClasses()
                .that()
                .resideInAnyPackage(TASK_PACKAGES)
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("sun.misc.Signal")
                .check(classes);
    }

    @Test
    void readsNoSystemProperty() {
        noClasses()
                .that()
                .resideInAnyPackage(TASK_PACKAGES)
                .should()
                .callMethod(System.class, "getProperty", String.class)
                .orShould()
                .callMethod(System.class, "getProperty", String.class, String.class)
                .orShould()
                .callMethod(Long.class, "getLong", String.class, long.class)
                .orShould()
                .callMethod(Long.class, "getLong", String.class)
                .orShould()
                .callMethod(Integer.class, "getInteger", String.class, int.class)
                .orShould()
                .callMethod(Boolean.class, "getBoolean", String.class)
                .check(classes);
    }

    @Test
    void neitherSpinsNorPinsThreads() {
        noClasses()
                .that()
                .resideInAnyPackage(TASK_PACKAGES)
                .should()
                .callMethod(Thread.class, "onSpinWait")
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("org.dragonflymle.os..")
                .check(classes);
    }
}
