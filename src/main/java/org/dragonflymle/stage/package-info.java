/**
 * What a stage of config.lua does with an event, without Flink: {@link
 * org.dragonflymle.stage.StageRuntime}. The engine's operator and {@code dragonfly-mle test} both
 * wrap it, each binding its own output, state store, counters and metrics ({@link
 * org.dragonflymle.stage.StageBindings}), so the two cannot drift apart.
 */
package org.dragonflymle.stage;
