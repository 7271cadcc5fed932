package org.dragonflymle.event;

import java.util.Arrays;
import org.luaj.vm2.LuaValue;

/**
 * The original members of one JSON object or array, in document order, each with the byte range its
 * value was decoded from: what {@link LuaJsonWriter} copies back for every member no script
 * changed. Keys are null for an array's elements.
 */
final class JsonMembers {

    private LuaValue[] keys;
    private LuaValue[] values;
    private int[] valueStarts;
    private int[] valueEnds;
    private int count;

    JsonMembers(boolean array, int capacity) {
        keys = array ? null : new LuaValue[capacity];
        values = new LuaValue[capacity];
        valueStarts = new int[capacity];
        valueEnds = new int[capacity];
    }

    /** Records the next member; {@code key} is null for an array element. */
    void append(LuaValue key, LuaValue value, int valueStart, int valueEnd) {
        if (count == values.length) {
            grow();
        }
        if (keys != null) {
            keys[count] = key;
        }
        values[count] = value;
        valueStarts[count] = valueStart;
        valueEnds[count] = valueEnd;
        count++;
    }

    private void grow() {
        int capacity = values.length * 2;
        if (keys != null) {
            keys = Arrays.copyOf(keys, capacity);
        }
        values = Arrays.copyOf(values, capacity);
        valueStarts = Arrays.copyOf(valueStarts, capacity);
        valueEnds = Arrays.copyOf(valueEnds, capacity);
    }

    int count() {
        return count;
    }

    LuaValue key(int i) {
        return keys[i];
    }

    LuaValue value(int i) {
        return values[i];
    }

    int valueStart(int i) {
        return valueStarts[i];
    }

    int valueEnd(int i) {
        return valueEnds[i];
    }

    boolean containsKey(LuaValue key) {
        for (int i = 0; i < count; i++) {
            if (keys[i].raweq(key)) {
                return true;
            }
        }
        return false;
    }
}
