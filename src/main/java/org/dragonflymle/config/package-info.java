/**
 * What a config.lua means once it passed validation: {@link org.dragonflymle.config.PipelineSpec}
 * and the records it holds ({@code StageSpec}, {@code OutputSpec}, {@code EndpointUri}, {@code
 * RedisSpec}, {@code Limits}, {@code CheckpointSpec}). Plain values at the bottom of the package
 * graph: this package imports no other package of the engine. How a config.lua becomes these
 * records is {@code config.loader}; the analysis of script routes is {@code config.routing}.
 */
package org.dragonflymle.config;
