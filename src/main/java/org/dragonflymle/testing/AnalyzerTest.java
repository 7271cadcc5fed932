package org.dragonflymle.testing;

import java.nio.file.Path;
import java.util.List;
import org.luaj.vm2.LuaTable;

/**
 * One test read from a test file: where events enter, what they are, what Redis holds first, and
 * what must come out.
 *
 * @param file the test file
 * @param name the test's {@code name}, or the file name with its position for a file of several
 * @param start the tag of the stage the events enter (an input or an analyzer)
 * @param steps the events and clock ticks, in order
 * @param redisFixture {@code redis = {...}}: keys set before the scripts start; empty table if none
 * @param redisCommands {@code redis_commands = {{"HSET", ...}, ...}} run after the fixture
 * @param advanceSeconds {@code advance}: virtual seconds that pass after the last step
 * @param expect the {@code expect} table (see {@link ExpectationChecker})
 * @param helpers the test file's sandbox, which evaluates {@code like(pattern)} matchers
 */
record AnalyzerTest(
        Path file,
        String name,
        String start,
        List<TestStep> steps,
        LuaTable redisFixture,
        List<List<String>> redisCommands,
        double advanceSeconds,
        LuaTable expect,
        TestHelpers helpers) {}
