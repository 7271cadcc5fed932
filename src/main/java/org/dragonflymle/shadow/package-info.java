/**
 * Shadow analyzers without Flink: what a live stage did with one event ({@link
 * org.dragonflymle.shadow.ShadowCase}), recording it ({@link
 * org.dragonflymle.shadow.ShadowCapture}), and comparing it with what the shadow version did
 * ({@link org.dragonflymle.shadow.ShadowDiff}). The engine's operators and {@code dragonfly-mle
 * test} use the same comparison.
 */
package org.dragonflymle.shadow;
