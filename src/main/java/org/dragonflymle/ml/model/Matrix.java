package org.dragonflymle.ml.model;

import java.util.Arrays;

/**
 * A dense matrix of doubles, row by row, with the operations of {@code ML.MATRIX.*}. Immutable:
 * every operation returns a new matrix. Thread-safe.
 */
public final class Matrix {

    private final int rows;
    private final int cols;
    private final double[] values;

    /**
     * @param values {@code rows * cols} entries, row by row
     */
    public Matrix(int rows, int cols, double[] values) {
        if (rows <= 0 || cols <= 0 || (long) rows * cols != values.length) {
            throw new IllegalArgumentException("a matrix needs rows * cols entries, both > 0");
        }
        this.rows = rows;
        this.cols = cols;
        this.values = values.clone();
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** A copy of the entries, row by row. */
    public double[] values() {
        return values.clone();
    }

    double get(int row, int col) {
        return values[row * cols + col];
    }

    /** This plus {@code other}; the caller checks that the shapes are equal. */
    public Matrix plus(Matrix other) {
        double[] sum = new double[values.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = values[i] + other.values[i];
        }
        return new Matrix(rows, cols, sum);
    }

    /** This times {@code other}; the caller checks that {@code cols == other.rows}. */
    public Matrix times(Matrix other) {
        double[] product = new double[rows * other.cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < other.cols; c++) {
                double sum = 0;
                for (int i = 0; i < cols; i++) {
                    sum += values[r * cols + i] * other.values[i * other.cols + c];
                }
                product[r * other.cols + c] = sum;
            }
        }
        return new Matrix(rows, other.cols, product);
    }

    /** Every entry multiplied by {@code factor}. */
    public Matrix scaled(double factor) {
        double[] scaled = new double[values.length];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = values[i] * factor;
        }
        return new Matrix(rows, cols, scaled);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matrix other
                && rows == other.rows
                && cols == other.cols
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values) * 31 + rows;
    }
}
