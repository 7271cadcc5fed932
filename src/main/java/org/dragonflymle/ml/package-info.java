/**
 * Redis-ML in the engine: the {@code ML.*} commands scripts send through {@code hiredis}, answered
 * in-process from models kept in Redis.
 *
 * <ul>
 *   <li>{@code protocol/}: the conventions every command shares – argument reading, Redis-ML's
 *       number syntax and printing, the error type.
 *   <li>{@code model/}: the models as immutable values that score (linear, logistic, k-means,
 *       forests, matrices).
 *   <li>{@code store/}: models in Redis (one hash per key, versioned writes), their storage format
 *       and the per-instance cache of compiled models.
 *   <li>{@code command/}: one class per command family and the interceptor that dispatches them.
 * </ul>
 *
 * Each layer imports only the ones listed before it (and {@code redis} for the connection).
 */
package org.dragonflymle.ml;
