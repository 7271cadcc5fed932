/**
 * config.lua to a validated {@link org.dragonflymle.config.PipelineSpec}: {@link
 * org.dragonflymle.config.loader.ConfigLoader} is the entry point; the sandbox that runs config.lua
 * ({@code ConfigSandbox}), the readers of each table, and the problem collector behind it. Every
 * message names the file, the entry and the field.
 */
package org.dragonflymle.config.loader;
