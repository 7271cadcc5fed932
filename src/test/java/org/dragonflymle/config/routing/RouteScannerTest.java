package org.dragonflymle.config.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.dragonflymle.config.routing.RouteScanner.LiteralRoute;
import org.dragonflymle.config.routing.RouteScanner.Target;
import org.junit.jupiter.api.Test;

class RouteScannerTest {

    private static List<String> tags(String source) {
        return RouteScanner.scan(source).stream().map(LiteralRoute::tag).toList();
    }

    @Test
    void findsEveryRoutingFunctionWithItsTargetAndLine() {
        List<LiteralRoute> routes =
                RouteScanner.scan(
                        """
                        function loop(m)
                          dragonfly.analyze_event("a", m)
                          dragonfly.output_event('b', m)
                          dragonfly.forward_event("c", m)
                          dragonfly.timer_event("d", 10, m)
                        end
                        """);
        assertThat(routes)
                .containsExactly(
                        new LiteralRoute(Target.ANALYZER, "analyze_event", "a", 2),
                        new LiteralRoute(Target.OUTPUT, "output_event", "b", 3),
                        new LiteralRoute(Target.OUTPUT, "forward_event", "c", 4),
                        new LiteralRoute(Target.ANALYZER, "timer_event", "d", 5));
    }

    @Test
    void toleratesWhiteSpaceAndOtherCallForms() {
        assertThat(
                        tags(
                                "dragonfly . analyze_event ( \"a\" , m )\n"
                                        + "dragonfly.analyze_event(\n  'b',\n  m)\n"
                                        + "dragonfly[\"output_event\"](\"c\", m)\n"
                                        + "analyze_event (\"d\", m)\n"
                                        + "dragonfly.output_event([[e]], m)\n"))
                .containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void skipsComments() {
        assertThat(
                        tags(
                                """
                                -- dragonfly.analyze_event("line", m)
                                --[[ dragonfly.analyze_event("block", m)
                                     dragonfly.analyze_event("block2", m) ]]
                                --[==[ dragonfly.analyze_event("level", m) ]] still comment ]==]
                                x = 1 -- dragonfly.analyze_event("trailing", m)
                                dragonfly.analyze_event("real", m)
                                """))
                .containsExactly("real");
    }

    @Test
    void skipsCallsInsideStrings() {
        assertThat(
                        tags(
                                "local s = \"dragonfly.analyze_event('a', m)\"\n"
                                        + "local t = 'say \\\"dragonfly.analyze_event(\"b\", m)'\n"
                                        + "local u = [[dragonfly.analyze_event(\"c\", m)]]\n"
                                        + "dragonfly.analyze_event(\"real\", m)\n"))
                .containsExactly("real");
    }

    @Test
    void countsLinesAcrossLongStringsAndComments() {
        List<LiteralRoute> routes =
                RouteScanner.scan(
                        "local s = [[\none\ntwo]]\n--[[\nthree\n]]\ndragonfly.analyze_event(\"x\", m)\n");
        assertThat(routes).extracting(LiteralRoute::line).containsExactly(7);
    }

    @Test
    void ignoresComputedTagsAndOtherReceivers() {
        assertThat(
                        tags(
                                """
                                dragonfly.analyze_event(default_analyzer, m)
                                dragonfly.analyze_event("a" .. x, m)
                                dragonfly.analyze_event(tags["x"], m)
                                other.analyze_event("b", m)
                                obj:analyze_event("c", m)
                                local function analyze_event(tag, v) end
                                dragonfly.analyze_event("d\\n", m)
                                dragonfly.analyze_event "e"
                                """))
                .isEmpty();
    }

    @Test
    void unfinishedStringDoesNotSwallowTheRest() {
        assertThat(tags("x = \"open\ndragonfly.analyze_event(\"a\", m)\n")).containsExactly("a");
    }

    @Test
    void seesRedisUseThroughTheGlobalOrRequireButNotInComments() {
        assertThat(RouteScanner.namesHiredis("local r = hiredis.connect()")).isTrue();
        assertThat(RouteScanner.namesHiredis("local h = require 'hiredis'\nlocal r = h.connect()"))
                .isTrue();
        assertThat(RouteScanner.namesHiredis("-- hiredis.connect() once lived here\nx = 1"))
                .isFalse();
        assertThat(RouteScanner.namesHiredis("--[[ local r = hiredis.connect() ]] x = 1"))
                .isFalse();
        assertThat(RouteScanner.namesHiredis("local hiredis_like = 1")).isFalse();
    }
}
