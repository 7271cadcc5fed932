package org.dragonflymle.ml.model;

import java.util.Arrays;

/**
 * A linear predictor, {@code intercept + Σ coefficient[i]·x[i]}, and its logistic form {@code
 * 1/(1+e^-(intercept + Σ coefficient[i]·x[i]))}.
 *
 * <p>{@code ML.LINREG.*} and {@code ML.LOGREG.*} share this one model type, as they shared one in
 * Redis-ML: a key set by either {@code SET} answers either {@code PREDICT}. The terms are added in
 * order, intercept first. Immutable and thread-safe.
 */
public final class LinearModel {

    private final double intercept;
    private final double[] coefficients;

    public LinearModel(double intercept, double[] coefficients) {
        if (coefficients.length == 0) {
            throw new IllegalArgumentException("a linear model needs at least one coefficient");
        }
        this.intercept = intercept;
        this.coefficients = coefficients.clone();
    }

    /** How many features a prediction takes. */
    public int features() {
        return coefficients.length;
    }

    public double intercept() {
        return intercept;
    }

    /** A copy of the coefficients. */
    public double[] coefficients() {
        return coefficients.clone();
    }

    /**
     * {@code intercept + Σ coefficient[i]·x[i]} over the first {@link #features()} of {@code x}.
     */
    public double linear(double[] x) {
        double sum = intercept;
        double[] c = coefficients;
        for (int i = 0; i < c.length; i++) {
            sum += c[i] * x[i];
        }
        return sum;
    }

    /** The logistic function of {@link #linear}: a probability in [0, 1]. */
    public double logistic(double[] x) {
        return 1.0 / (1.0 + Math.exp(-linear(x)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearModel other
                && Double.compare(intercept, other.intercept) == 0
                && Arrays.equals(coefficients, other.coefficients);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(intercept) + Arrays.hashCode(coefficients);
    }
}
