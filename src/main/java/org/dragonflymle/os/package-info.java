/**
 * What the launcher needs from Linux that Java does not offer: finding helper programs, and which
 * CPUs a process may run on. Read-only; everything here degrades to "unknown" off Linux. Launcher
 * and test code only: no task reads the host through it.
 */
package org.dragonflymle.os;
