package org.dragonflymle.ml.model;

import java.nio.charset.StandardCharsets;

/** The kinds of value a Redis-ML key holds, as stored in the hash field {@code type}. */
public enum ModelType {
    /** {@code ML.LINREG.*} and {@code ML.LOGREG.*}: one shared type, as in Redis-ML. */
    REGRESSION("regression", "a linear/logistic regression model"),
    FOREST("forest", "a forest"),
    KMEANS("kmeans", "a k-means model"),
    MATRIX("matrix", "a matrix");

    private final String stored;
    private final byte[] storedBytes;
    private final String noun;

    ModelType(String stored, String noun) {
        this.stored = stored;
        this.storedBytes = stored.getBytes(StandardCharsets.US_ASCII);
        this.noun = noun;
    }

    /** The value of the {@code type} field. */
    public String stored() {
        return stored;
    }

    /** "a forest", for messages. */
    public String noun() {
        return noun;
    }

    /** The type whose {@code type} field is {@code b}, or null. */
    public static ModelType ofStored(byte[] b) {
        for (ModelType t : values()) {
            if (java.util.Arrays.equals(t.storedBytes, b)) {
                return t;
            }
        }
        return null;
    }
}
