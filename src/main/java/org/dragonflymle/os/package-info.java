/**
 * What the engine needs from Linux that Java does not offer: finding helper programs, and which
 * CPUs a process or thread may run on. Everything here degrades to "unknown" off Linux.
 */
package org.dragonflymle.os;
