/**
 * config.lua to a validated {@link org.dragonflymle.config.PipelineSpec}. {@link
 * org.dragonflymle.config.ConfigLoader} is the entry point and the only public behaviour besides
 * {@link org.dragonflymle.config.EndpointUri}, which connectors use to read the URIs the spec
 * holds; the readers, the sandbox and the checks behind them are package-private.
 */
package org.dragonflymle.config;
