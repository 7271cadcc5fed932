/**
 * What the sandbox and the Lua modules know of the script they serve: its {@link
 * org.dragonflymle.lua.api.ScriptContext}, where its emissions go ({@link
 * org.dragonflymle.lua.api.EventRouter}) and its state store ({@link
 * org.dragonflymle.lua.api.ScriptState}); the budget of its calls is {@code lua.budget}. Small
 * interfaces and records, so {@code lua.lib} and {@code lua.sandbox} never import the host ({@code
 * lua}) that assembles them.
 */
package org.dragonflymle.lua.api;
