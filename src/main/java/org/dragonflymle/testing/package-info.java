/**
 * {@code dragonfly-mle test}: runs analyzer tests ({@code ROOT/tests/*.lua}) through the real
 * script runtime – {@link org.dragonflymle.lua.ScriptHost} with the {@code dragonfly}, {@code
 * cjson} and {@code hiredis} modules – routing events between stages in this thread, without Flink,
 * against a throwaway real redis-server, with a virtual clock for {@code timer_event}.
 *
 * <p>The format of a test file is described in docs/testing-analyzers.md; {@link TestFileReader}
 * reads it, {@link PipelineRun} runs one test, {@link ExpectationChecker} compares, {@link
 * AnalyzerTestRunner} runs a directory of them.
 */
package org.dragonflymle.testing;
