package org.dragonflymle.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dragonflymle.event.Event;
import org.junit.jupiter.api.Test;

/** What counts as a difference between two versions, and how the diff line names it. */
class ShadowDiffTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ShadowDiff diff = new ShadowDiff("dga");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ShadowCase.Emitted out(String json) {
        return new ShadowCase.Emitted("output:scored", b(json));
    }

    private static ShadowCase live(String input, ShadowCase.Emitted... emitted) {
        return new ShadowCase(
                Event.Kind.LINE.ordinal(), b(input), b(input).length, List.of(emitted));
    }

    private JsonNode line(ShadowDiff.Result r) throws Exception {
        return JSON.readTree(r.line());
    }

    @Test
    void theSameValuesAreIdenticalAndNumbersCompareByValue() {
        ShadowDiff.Result r =
                diff.compare(
                        live("{\"a\":1}", out("{\"a\":1,\"s\":0.5}")),
                        List.of(out("{\"s\":0.50,\"a\":1.0}")));
        assertThat(r.identical()).isTrue();
        assertThat(r.line()).isNull();
    }

    @Test
    void fieldsAddedChangedAndRemovedAreNamedByPath() throws Exception {
        ShadowDiff.Result r =
                diff.compare(
                        live(
                                "{\"dns\":{}}",
                                out(
                                        "{\"dga\":{\"score\":0.4,\"class\":\"benign\"},"
                                                + "\"old\":1,\"l\":[1,2]}")),
                        List.of(
                                out(
                                        "{\"dga\":{\"score\":0.4,\"class\":\"dga\",\"v\":2},"
                                                + "\"l\":[1,3,4]}")));
        assertThat(r.kinds()).containsExactly(ShadowDiff.Kind.FIELDS);
        JsonNode f = line(r).at("/fields/0");
        assertThat(f.get("route").asText()).isEqualTo("output:scored");
        assertThat(f.at("/changed/dga.class/live").asText()).isEqualTo("benign");
        assertThat(f.at("/changed/dga.class/shadow").asText()).isEqualTo("dga");
        assertThat(f.at("/changed/l[2]/shadow").asInt()).isEqualTo(3);
        assertThat(f.at("/added/dga.v").asInt()).isEqualTo(2);
        assertThat(f.at("/added/l[3]").asInt()).isEqualTo(4);
        assertThat(f.at("/removed/old").asInt()).isEqualTo(1);
        assertThat(f.get("changed").has("dga.score")).isFalse();
        assertThat(line(r).at("/event/dns").isObject()).isTrue();
    }

    @Test
    void anotherRouteOrNoneIsARouteDifference() throws Exception {
        ShadowDiff.Result r =
                diff.compare(
                        live("{}", out("{}")),
                        List.of(new ShadowCase.Emitted("analyzer:next", b("{}"))));
        assertThat(r.kinds()).containsExactly(ShadowDiff.Kind.ROUTES);
        assertThat(line(r).at("/routes/live/0").asText()).isEqualTo("output:scored");
        assertThat(line(r).at("/routes/shadow/0").asText()).isEqualTo("analyzer:next");

        assertThat(diff.compare(live("{}", out("{}")), List.of()).kinds())
                .containsExactly(ShadowDiff.Kind.ROUTES);
    }

    @Test
    void errorsCompareByReasonNotByTheMessageThatNamesEachScript() throws Exception {
        ShadowCase.Emitted liveError =
                new ShadowCase.Emitted(
                        ShadowCase.ERROR,
                        b(
                                "{\"reason\":\"script_error\",\"error\":\"analyzer/dga.lua:3:"
                                        + " boom\"}"));
        ShadowCase.Emitted shadowError =
                new ShadowCase.Emitted(
                        ShadowCase.ERROR,
                        b(
                                "{\"reason\":\"script_error\",\"error\":\"analyzer/dga-v2.lua:3:"
                                        + " boom\"}"));
        assertThat(diff.compare(live("{}", liveError), List.of(shadowError)).identical()).isTrue();

        ShadowDiff.Result r = diff.compare(live("{}", out("{}")), List.of(shadowError));
        assertThat(r.kinds()).containsExactly(ShadowDiff.Kind.ROUTES, ShadowDiff.Kind.ERRORS);
        assertThat(line(r).at("/errors/shadow/0/error").asText()).contains("dga-v2.lua");
        assertThat(line(r).at("/errors/live").size()).isZero();
    }

    @Test
    void anInputThatIsNotJsonIsShownRaw() throws Exception {
        ShadowDiff.Result r = diff.compare(live("not json", out("{}")), List.of());
        assertThat(line(r).get("raw").asText()).isEqualTo("not json");
        assertThat(line(r).has("event")).isFalse();
    }

    @Test
    void aCaseSurvivesItsEncoding() {
        ShadowCase c =
                new ShadowCase(
                        Event.Kind.OVERSIZED.ordinal(),
                        b("{\"a\":"),
                        9000,
                        List.of(out("{\"x\":1}"), new ShadowCase.Emitted("timer:t", b("2"))));
        ShadowCase back = ShadowCase.decode(c.encode());
        assertThat(back.inputKind()).isEqualTo(c.inputKind());
        assertThat(back.input()).isEqualTo(c.input());
        assertThat(back.fullLength()).isEqualTo(9000);
        assertThat(back.live()).hasSize(2);
        assertThat(back.live().get(1).route()).isEqualTo("timer:t");
        assertThat(back.live().get(1).json()).isEqualTo(b("2"));
        assertThat(back.inputEvent().kind()).isEqualTo(Event.Kind.OVERSIZED);
        assertThat(back.inputEvent().fullLength()).isEqualTo(9000);
    }

    @Test
    void aCaptureRecordsOnlyBetweenBeginAndEnd() {
        ShadowCapture capture = new ShadowCapture();
        capture.output("x", b("1"));
        capture.begin();
        capture.analyzer("a", b("2"));
        capture.timer("t", b("3"));
        capture.error(b("{}"));
        List<ShadowCase.Emitted> got = capture.end();
        capture.log(b("4"));
        assertThat(got)
                .extracting(ShadowCase.Emitted::route)
                .containsExactly("analyzer:a", "timer:t", ShadowCase.ERROR);
    }
}
