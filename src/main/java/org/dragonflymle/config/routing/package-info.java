/**
 * The routing analysis of a pipeline, independent of how config.lua is read: which tags a script
 * routes to literally ({@code RouteScanner}) and whether analyzer routes form a cycle ({@code
 * RoutingGraph}).
 */
package org.dragonflymle.config.routing;
