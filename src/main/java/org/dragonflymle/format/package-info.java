/**
 * Text forms of numbers that more than one part of the engine must print identically: C's printf
 * conversions of a double ({@link org.dragonflymle.format.PrintfFloat}). At the bottom of the
 * package graph, beside {@code config}: it imports nothing of the engine.
 */
package org.dragonflymle.format;
