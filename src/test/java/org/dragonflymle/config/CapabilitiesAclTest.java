package org.dragonflymle.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ACL rules are written in the syntax of the redis-server that reads them. */
class CapabilitiesAclTest {

    @Test
    void redis7DeniesSubcommandsOneByOne() {
        List<String> rules = Capabilities.aclRules(Set.of(), 700);
        assertThat(rules).startsWith("~*", "&*", "+@all", "-@admin");
        assertThat(rules)
                .contains("-client|kill", "-client|no-evict", "-function|flush", "-failover");
        assertThat(rules).doesNotContain("-client", "-script");
    }

    @Test
    void redis6DeniesTheCommandAndAllowsTheHarmlessSubcommands() {
        List<String> rules = Capabilities.aclRules(Set.of(), 602);
        assertThat(rules).noneMatch(r -> r.startsWith("-") && r.contains("|"));
        assertThat(rules).noneMatch(r -> r.contains("function"));
        assertThat(rules).contains("-failover", "-client", "+client|setname", "+client|id");
        assertThat(rules).contains("-script", "+script|load", "+script|exists");
        assertThat(rules)
                .doesNotContain("+client|kill", "+client|pause", "+script|flush", "+script|debug");
        // a deny is followed, never preceded, by the subcommands it lets through
        assertThat(rules.indexOf("-client")).isLessThan(rules.indexOf("+client|setname"));
    }

    @Test
    void redis60KnowsNoFailoverAndOlderServersNoAclUsers() {
        assertThat(Capabilities.aclRules(Set.of(), 600)).doesNotContain("-failover");
        assertThat(Capabilities.aclRules(Set.of(), 502)).isNull();
    }

    @Test
    void anAllowedCommandIsAllowedWholeOnEitherSyntax() {
        for (int version : new int[] {602, 700}) {
            List<String> rules = Capabilities.aclRules(Set.of("client", "function"), version);
            assertThat(rules).contains("+client").noneMatch(r -> r.startsWith("-client"));
            assertThat(rules.contains("+function")).isEqualTo(version >= 700);
        }
    }
}
