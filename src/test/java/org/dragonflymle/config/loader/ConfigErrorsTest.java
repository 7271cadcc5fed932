package org.dragonflymle.config.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dragonflymle.config.loader.ConfigFixture.ANALYZER;
import static org.dragonflymle.config.loader.ConfigFixture.INPUT;
import static org.dragonflymle.config.loader.ConfigFixture.OUTPUT;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each kind of bad entry fails with the file, the entry and the problem. */
class ConfigErrorsTest {

    @TempDir Path tmp;
    private ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(tmp);
    }

    @Test
    void missingConfigFile() {
        assertThat(f.failure()).contains(f.configFile().toString(), "not found");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "inputs",
                "analyzers",
                "outputs",
            })
    void missingTable(String table) {
        f.basicScripts()
                .config(
                        ("inputs = { "
                                        + INPUT
                                        + " }\nanalyzers = { "
                                        + ANALYZER
                                        + " }\noutputs = { "
                                        + OUTPUT
                                        + " }\n")
                                .replace(table + " = ", "local " + table + " = "));
        f.assertNames(f.failure(), "missing " + table, "global " + table);
    }

    @Test
    void tableThatIsNotATable() {
        f.basicScripts().config("inputs = \"eve\"\nanalyzers = {}\noutputs = {}\n");
        f.assertNames(f.failure(), "inputs must be a table", "got \"eve\"");
    }

    @Test
    void tableThatIsAMapNotAList() {
        f.basicScripts()
                .config(
                        "inputs = { eve = "
                                + INPUT
                                + " }\nanalyzers = { "
                                + ANALYZER
                                + " }\noutputs = { "
                                + OUTPUT
                                + " }\n");
        f.assertNames(f.failure(), "inputs must be a list", "key \"eve\"");
    }

    @Test
    void noInputs() {
        f.pipeline("", ANALYZER, OUTPUT);
        f.assertNames(f.failure(), "inputs is empty");
    }

    @Test
    void entryThatIsNotATable() {
        f.pipeline(INPUT, ANALYZER + ", \"sink\"", OUTPUT);
        f.assertNames(f.failure(), "analyzers[2]", "must be a table like", "got \"sink\"");
    }

    @Test
    void missingTagNamesTheUnknownFieldsAsTypoHelp() {
        f.pipeline(INPUT, ANALYZER + ", { tga=\"x\", script=\"triage.lua\" }", OUTPUT);
        f.assertNames(f.failure(), "analyzers[2]: missing tag", "unknown fields here: tga");
    }

    @Test
    void emptyTag() {
        f.pipeline(INPUT, ANALYZER, OUTPUT + ", { tag=\"\", uri=\"file://x\" }");
        f.assertNames(f.failure(), "outputs[2]: tag is empty");
    }

    @Test
    void tagThatIsNotAString() {
        f.pipeline(INPUT, ANALYZER, OUTPUT + ", { tag=7, uri=\"file://x\" }");
        f.assertNames(f.failure(), "outputs[2]: tag must be a string, got 7");
    }

    @Test
    void tagWithForbiddenCharacters() {
        f.pipeline(INPUT, ANALYZER + ", { tag=\"tri age\", script=\"triage.lua\" }", OUTPUT);
        f.assertNames(
                f.failure(), "analyzers[2]", "tag \"tri age\" may only contain letters, digits");
    }

    @Test
    void duplicateTagAmongAnalyzers() {
        f.pipeline(INPUT, ANALYZER + ", " + ANALYZER, OUTPUT);
        f.assertNames(
                f.failure(),
                "analyzers[2] (tag \"triage\")",
                "duplicate tag \"triage\"",
                "analyzers[1] (tag \"triage\") has it already");
    }

    @Test
    void duplicateTagAmongInputs() {
        f.pipeline(INPUT + ", " + INPUT, ANALYZER, OUTPUT);
        f.assertNames(f.failure(), "inputs[2] (tag \"eve\")", "duplicate tag \"eve\"");
    }

    @Test
    void duplicateTagAmongOutputs() {
        f.pipeline(INPUT, ANALYZER, OUTPUT + ", { tag=\"alerts\", uri=\"file://b.log\" }");
        f.assertNames(
                f.failure(),
                "outputs[2] (tag \"alerts\")",
                "duplicate tag \"alerts\"",
                "outputs[1] (tag \"alerts\")");
    }

    @Test
    void inputAndAnalyzerShareOneNamespace() {
        f.pipeline(INPUT, ANALYZER + ", { tag=\"eve\", script=\"triage.lua\" }", OUTPUT);
        f.assertNames(
                f.failure(),
                "analyzers[2] (tag \"eve\")",
                "inputs[1] (tag \"eve\") has it already",
                "unique among inputs and analyzers");
    }

    @Test
    void analyzerAndOutputMayShareATag() throws Exception {
        f.pipeline(INPUT, ANALYZER, OUTPUT + ", { tag=\"triage\", uri=\"file://t.log\" }");
        assertThat(f.load().output("triage")).isPresent();
    }

    @Test
    void missingUri() {
        f.pipeline(
                "{ tag=\"eve\", script=\"eve.lua\", default_analyzer=\"triage\" }",
                ANALYZER,
                OUTPUT);
        f.assertNames(f.failure(), "inputs[1] (tag \"eve\"): missing uri");
    }

    @Test
    void missingScript() {
        f.pipeline(INPUT, "{ tag=\"triage\", scirpt=\"triage.lua\" }", OUTPUT);
        f.assertNames(
                f.failure(),
                "analyzers[1] (tag \"triage\"): missing script",
                "unknown fields here: scirpt");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "suricata:///var/run/eve.sock | unsupported URI scheme \"suricata://\" (supported: file, tail, zfile, ipc, unix, kafka)",
                "/var/log/eve.json            | malformed URI \"/var/log/eve.json\": expected scheme://",
                "file://                      | file:// needs a path",
                "kafka://broker/eve           | kafka broker \"broker\" must be host:port",
                "kafka://broker:9092          | kafka:// needs host:port and a topic",
                "kafka://broker:9092/         | needs a topic",
                "kafka://broker:99999/eve     | invalid port \"99999\"",
                "kafka://b:9092/eve?group     | query parameters must be name=value",
            })
    void badInputUri(String uri, String problem) {
        f.pipeline(INPUT.replace("file:///e.json", uri), ANALYZER, OUTPUT);
        f.assertNames(f.failure(), "inputs[1] (tag \"eve\"): uri: ", problem);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "tail:///var/log/x.log | tail:// cannot be an output (output schemes: file, ipc, unix, kafka)",
                "zfile:///x.gz         | zfile:// cannot be an output",
                "http://host/x         | unsupported URI scheme \"http://\" (supported: file, ipc, unix, kafka)",
            })
    void badOutputUri(String uri, String problem) {
        f.pipeline(INPUT, ANALYZER, OUTPUT.replace("file://alerts.log", uri));
        f.assertNames(f.failure(), "outputs[1] (tag \"alerts\"): uri: ", problem);
    }

    @Test
    void scriptNotFoundSaysWhereItLookedAndWhatWasMeant() {
        f.pipeline(INPUT, "{ tag=\"triage\", script=\"analyzer/triage.lua\" }", OUTPUT);
        f.assertNames(
                f.failure(),
                "analyzers[1] (tag \"triage\")",
                "script analyzer/analyzer/triage.lua not found (looked for "
                        + f.root.resolve("analyzer/analyzer/triage.lua"),
                "relative to analyzer/, so write script=\"triage.lua\"");
    }

    @Test
    void scriptWithoutLuaSuffixGetsAHint() {
        f.pipeline(INPUT, "{ tag=\"triage\", script=\"triage\" }", OUTPUT);
        f.assertNames(f.failure(), "analyzers[1]", "did you mean \"triage.lua\"?");
    }

    @Test
    void absoluteScriptPath() {
        f.pipeline(INPUT, "{ tag=\"triage\", script=\"/etc/triage.lua\" }", OUTPUT);
        f.assertNames(
                f.failure(),
                "analyzers[1] (tag \"triage\")",
                "\"/etc/triage.lua\" is an absolute path");
    }

    @Test
    void scriptEscapingRoot() {
        f.pipeline(INPUT, "{ tag=\"triage\", script=\"../../outside.lua\" }", OUTPUT);
        f.assertNames(f.failure(), "analyzers[1] (tag \"triage\")", "leaves ROOT");
    }

    @Test
    void scriptElsewhereInRootIsAllowed() throws Exception {
        f.write("lib/shared.lua", "function loop(m) end\n");
        f.pipeline(INPUT, ANALYZER + ", { tag=\"shared\", script=\"../lib/shared.lua\" }", OUTPUT);
        assertThat(f.load().analyzer("shared").orElseThrow().script())
                .isEqualTo(f.root.resolve("lib/shared.lua"));
    }

    @Test
    void scriptThatDoesNotCompileNamesTheLuaLine() {
        f.pipeline(INPUT, ANALYZER + ", { tag=\"x\", script=\"x.lua\" }", OUTPUT);
        f.analyzer("x.lua", "function setup()\nend\n\nfunction loop(msg)\n  local a\n  a b\nend\n");
        f.assertNames(
                f.failure(),
                "analyzers[2] (tag \"x\")",
                "script analyzer/x.lua does not compile: analyzer/x.lua:6:");
    }

    @Test
    void filterThatDoesNotCompileNamesTheLuaLine() {
        f.pipeline(INPUT, ANALYZER, OUTPUT);
        f.filter("eve.lua", "function loop(msg)\n  if msg then\nend\n");
        f.assertNames(
                f.failure(),
                "inputs[1] (tag \"eve\")",
                "script filter/eve.lua does not compile: filter/eve.lua:",
                "'end' expected");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "parallelism=0     | parallelism must be a positive integer (1..32768), got 0",
                "parallelism=1.5   | parallelism must be a positive integer (1..32768), got 1.5",
                "parallelism=\"2\" | parallelism must be a positive integer (1..32768), got \"2\"",
                "concurrency=0     | concurrency must be a positive integer (1..64), got 0",
                "concurrency=65    | concurrency must be a positive integer (1..64), got 65",
                "concurrency=2.5   | concurrency must be a positive integer (1..64), got 2.5",
                "key=\"\"          | key must be a field name or dotted path",
                "key=\"dns..rrname\" | key must be a field name or dotted path",
                "key=3             | key must be a string, got 3",
                "routes=\"x\"      | routes must be a list of tags",
                "routes={1}        | routes must hold non-empty tag strings, found 1",
                "default_analyzer=false | default_analyzer must be a string, got false",
            })
    void badStageField(String field, String problem) {
        f.pipeline(INPUT, ANALYZER.replace(" }", ", " + field + " }"), OUTPUT);
        f.assertNames(f.failure(), "analyzers[1] (tag \"triage\"): ", problem);
    }

    @Test
    void everyBadEntryIsReportedInOneMessage() {
        f.pipeline(
                "{ tag=\"eve\", script=\"eve.lua\", default_analyzer=\"triage\" }",
                ANALYZER + ", { tag=\"b\", script=\"nope.lua\", parallelism=0 }",
                "{ tag=\"alerts\", uri=\"http://x\" }");
        String message = f.failure();
        f.assertNames(message, "3 problems:");
        assertThat(message)
                .contains("\n  inputs[1] (tag \"eve\"): missing uri")
                .contains("\n  analyzers[2] (tag \"b\"): script analyzer/nope.lua not found")
                .contains("\n  outputs[1] (tag \"alerts\"): uri: unsupported URI scheme")
                .doesNotContain("parallelism");
    }
}
