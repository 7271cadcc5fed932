package org.dragonflymle.ml.model;

import java.util.Arrays;

/**
 * The attribute names a forest splits on, each with a dense index, found by the bytes of a name
 * inside a larger array (a sample string) without copying them. Open addressing, built once.
 * Immutable after construction; thread-safe.
 */
final class AttributeTable {

    private final byte[][] names;
    private final int[] slots; // index + 1, 0 = empty
    private final int mask;

    /**
     * @param names distinct names; index i is {@code names[i]}
     */
    AttributeTable(byte[][] names) {
        this.names = names.clone();
        int capacity = Integer.highestOneBit(Math.max(4, names.length * 2) - 1) << 1;
        this.slots = new int[capacity];
        this.mask = capacity - 1;
        for (int i = 0; i < names.length; i++) {
            int slot = hash(names[i], 0, names[i].length) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i + 1;
        }
    }

    int size() {
        return names.length;
    }

    byte[] name(int index) {
        return names[index];
    }

    /** The index of the name equal to {@code b[off, off+len)}, or -1. */
    int find(byte[] b, int off, int len) {
        int slot = hash(b, off, len) & mask;
        while (true) {
            int entry = slots[slot];
            if (entry == 0) {
                return -1;
            }
            byte[] name = names[entry - 1];
            if (name.length == len && Arrays.equals(name, 0, len, b, off, off + len)) {
                return entry - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static int hash(byte[] b, int off, int len) {
        int h = 1;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }
}
