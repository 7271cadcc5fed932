/**
 * A real {@code redis-server} the project starts for local runs and tests, and where its executable
 * comes from. Launcher and test code only: no task starts a process.
 */
package org.dragonflymle.redis.server;
