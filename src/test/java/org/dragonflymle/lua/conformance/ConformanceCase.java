package org.dragonflymle.lua.conformance;

/**
 * One case: a Lua chunk whose results are compared ({@code generated == false}), or a generated
 * operation {@code kind\targ\targ...} run by the driver without compiling.
 */
record ConformanceCase(String name, String code, boolean generated) {}
