/**
 * The Lua runtime: one {@link org.dragonflymle.lua.ScriptHost} per operator instance runs one user
 * script, written for LuaJIT, on LuaJ 3.0.1.
 *
 * <ul>
 *   <li>{@code sandbox/} builds the script's own {@code Globals} with only what docs/lua-api.md
 *       allows, the file-system policy ({@code ScriptPaths}) and the per-thread string metatable.
 *   <li>{@code compat/} makes LuaJ behave like LuaJIT 2.1 where scripts notice.
 *   <li>{@code lib/} holds the modules this package writes: {@code dragonfly}, {@code bit}, {@code
 *       marshal}.
 *   <li>{@code api/} is what the sandbox and the modules see of their script (context, router,
 *       state, budget clock): they import it, never this package, so the host sits on top.
 * </ul>
 *
 * <p>Decisions:
 *
 * <ul>
 *   <li>{@code coroutine} is available; each coroutine costs a Java thread while it lives.
 *   <li>{@code os.getenv} returns nil; {@code os.exit} is an error of the script, never a JVM exit.
 *   <li>{@code io} works in the top level and {@code setup()} only; files opened there stay usable.
 *   <li>{@code collectgarbage} never forces a collection.
 *   <li>Integral numbers print all their digits (like LuaJ's {@code ..}), not {@code %.14g}.
 * </ul>
 *
 * <p>LuaJ differences that remain: {@code ..} writes non-integral numbers with float precision
 * ({@code "" .. 1/3} is {@code 0.33333334}; use {@code tostring} or {@code string.format}), {@code
 * #} of an array with holes may differ from LuaJIT, there is no negative zero, and runtime error
 * messages name fewer variables ({@code attempt to index ?}).
 */
package org.dragonflymle.lua;
