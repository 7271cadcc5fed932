package org.dragonflymle.ml.model;

import java.util.Arrays;

/**
 * K cluster centres in a space of some dimensions; a prediction is the index (0-based) of the
 * centre nearest to a point by Euclidean distance. When two centres are equally near, the lower
 * index wins. Immutable and thread-safe.
 */
public final class KMeansModel {

    private final int k;
    private final int dimensions;
    private final double[] centers;

    /**
     * @param centers {@code k * dimensions} values, centre by centre
     */
    public KMeansModel(int k, int dimensions, double[] centers) {
        if (k <= 0 || dimensions <= 0 || (long) k * dimensions != centers.length) {
            throw new IllegalArgumentException(
                    "k-means needs k * dimensions centre values, k and dimensions > 0");
        }
        this.k = k;
        this.dimensions = dimensions;
        this.centers = centers.clone();
    }

    public int k() {
        return k;
    }

    public int dimensions() {
        return dimensions;
    }

    /** A copy of the centre values, centre by centre. */
    public double[] centers() {
        return centers.clone();
    }

    /** The nearest centre to the first {@link #dimensions()} values of {@code x}. */
    public int predict(double[] x) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double distance = 0;
            int base = c * dimensions;
            for (int d = 0; d < dimensions; d++) {
                double delta = x[d] - centers[base + d];
                distance += delta * delta;
            }
            if (distance < bestDistance) {
                bestDistance = distance;
                best = c;
            }
        }
        return best;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KMeansModel other
                && k == other.k
                && dimensions == other.dimensions
                && Arrays.equals(centers, other.centers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(centers) * 31 + k;
    }
}
