package org.dragonflymle.event;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A Lua table backed by the JSON bytes it was decoded from, the heart of the engine's speed and
 * fidelity.
 *
 * <p>Nothing is decoded until a script first looks inside the table; then only this level is
 * decoded, and nested objects and arrays become lazy tables of their own. When the table is encoded
 * again ({@link LuaJsonWriter}), every part no script changed is copied from the original bytes:
 * 64-bit integers, {@code null}, {@code []} versus {@code {}}, number spelling and key order come
 * out as they came in, and an event that an analyzer merely forwards costs one array copy instead
 * of a decode and re-encode.
 *
 * <p>Every LuaTable entry point that reads or writes contents is overridden to decode first; every
 * one that writes marks this table and its ancestors changed, so the writer knows which byte ranges
 * are still valid. Keys added after decoding are remembered in insertion order and written after
 * the original keys.
 *
 * <p>Not thread-safe, like every LuaJ value: a table lives in one script instance.
 */
public final class LazyJsonTable extends LuaTable {

    private static final byte RAW = 0;
    private static final byte LOADING = 1;
    private static final byte LOADED = 2;
    // An object whose members are decoded up to scanPos only, by a lookup that found its key early.
    private static final byte PARTIAL = 3;
    private static final int MAX_LOOK_AHEADS = 4;

    private final byte[] json;
    private final int start;
    private final int end;
    private final boolean array;
    private final LazyJsonTable parent;

    private byte state = RAW;
    private boolean changed;

    // Filled by load(): the original members in document order.
    private JsonMembers members;
    private List<LuaValue> addedKeys;
    // Where the next undecoded member of an object starts; -1 once its '}' is reached.
    private int scanPos;
    private byte lookAheads;

    LazyJsonTable(byte[] json, int start, int end, boolean array, LazyJsonTable parent) {
        super(0, 0);
        this.json = json;
        this.start = start;
        this.end = end;
        this.array = array;
        this.parent = parent;
    }

    /** Whether this came from a JSON array (as opposed to an object). */
    public boolean isJsonArray() {
        return array;
    }

    /** Whether the bytes {@code [start, end)} still describe this table and all below it. */
    boolean isPristine() {
        return !changed;
    }

    byte[] json() {
        return json;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** Members decoded so far, without finishing the decode (what a look-ahead left undone). */
    int decodedCount() {
        return members == null ? 0 : members.count();
    }

    /** The original members, all decoded. */
    JsonMembers originalMembers() {
        load();
        return members;
    }

    List<LuaValue> addedKeys() {
        return addedKeys == null ? List.of() : addedKeys;
    }

    private void load() {
        if (state == LOADING || state == LOADED) {
            return;
        }
        boolean begun = state == PARTIAL;
        state = LOADING;
        if (array) {
            loadArray();
        } else {
            if (!begun) {
                beginObject();
            }
            while (scanPos >= 0) {
                decodeNextMember();
            }
            // sized once: growing a LuaTable key by key rehashes it several times
            int n = members.count();
            super.presize(0, n);
            for (int i = 0; i < n; i++) {
                // a duplicate key: the last one wins, as in lua-cjson
                super.rawset(members.key(i), members.value(i));
            }
        }
        state = LOADED;
    }

    private void beginObject() {
        members = new JsonMembers(false, 16);
        int p = JsonValidator.skipWhitespace(json, start + 1, end);
        scanPos = json[p] == '}' ? -1 : p;
    }

    /** Decodes the member at {@link #scanPos} into the next slot and moves past it. */
    private void decodeNextMember() {
        int p = scanPos;
        int keyEnd = JsonDecoder.skipString(json, p);
        LuaString key = JsonDecoder.decodeString(json, p, keyEnd, true);
        p = JsonValidator.skipWhitespace(json, keyEnd, end);
        p = JsonValidator.skipWhitespace(json, p + 1, end); // past ':'
        int valueEnd = JsonDecoder.skipValue(json, p, end);
        members.append(key, JsonDecoder.decodeValue(json, p, valueEnd, this), p, valueEnd);
        p = JsonValidator.skipWhitespace(json, valueEnd, end);
        scanPos = json[p] == '}' ? -1 : JsonValidator.skipWhitespace(json, p + 1, end);
    }

    /**
     * Answers a lookup such as {@code msg.event_type} without decoding the members after the key: a
     * script that reads a field or two of an event it forwards would otherwise pay for decoding all
     * of them, the largest part of a Redis-bound analyzer's own work. Returns null when the full
     * decode must answer instead: for an array, a key that is not plain ASCII, a key that is not an
     * original member, or one that may occur again further on (a later duplicate wins, as in
     * lua-cjson; a later {@code "key"} anywhere in the bytes, or any \\u escape, counts). Each
     * answer searches the rest of the bytes once, so after {@link #MAX_LOOK_AHEADS} of them the
     * full decode answers: a script that reads many fields pays for one decode, not many searches.
     */
    private LuaValue lookAhead(LuaValue key) {
        if (array
                || !(key instanceof LuaString k)
                || !isPlainKey(k)
                || ++lookAheads > MAX_LOOK_AHEADS) {
            return null;
        }
        if (state == RAW) {
            beginObject();
            state = PARTIAL;
        }
        for (int i = 0; ; i++) {
            if (i == members.count()) {
                if (scanPos < 0) {
                    return null;
                }
                decodeNextMember();
            }
            if (members.key(i).raweq(k)) {
                return mayOccurFrom(k, scanPos < 0 ? end : scanPos) ? null : members.value(i);
            }
        }
    }

    /** A key every spelling of which in JSON is either {@code "key"} or contains an escape. */
    private static boolean isPlainKey(LuaString k) {
        for (int i = 0; i < k.m_length; i++) {
            int c = k.m_bytes[k.m_offset + i] & 0xff;
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '/') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code "k"} or a \\u escape appears in this object's bytes from {@code p}. The bytes
     * are searched as a Latin-1 string, whose indexOf the JVM vectorises: four times faster than a
     * byte loop here, and this search is most of what a look-ahead costs.
     */
    private boolean mayOccurFrom(LuaString k, int p) {
        String rest = new String(json, p, end - p, StandardCharsets.ISO_8859_1);
        return rest.indexOf("\\u") >= 0 || rest.indexOf('"' + k.tojstring() + '"') >= 0;
    }

    private void loadArray() {
        members = new JsonMembers(true, 8);
        int p = JsonValidator.skipWhitespace(json, start + 1, end);
        if (json[p] == ']') {
            return;
        }
        while (true) {
            int valueEnd = JsonDecoder.skipValue(json, p, end);
            members.append(null, JsonDecoder.decodeValue(json, p, valueEnd, this), p, valueEnd);
            p = JsonValidator.skipWhitespace(json, valueEnd, end);
            if (json[p] == ']') {
                break;
            }
            p = JsonValidator.skipWhitespace(json, p + 1, end);
        }
        int n = members.count();
        super.presize(n);
        for (int i = 0; i < n; i++) {
            // JSON null inside an array stays cjson.null, so the array keeps its length
            super.rawset(i + 1, members.value(i));
        }
    }

    private void markChanged() {
        for (LazyJsonTable t = this; t != null && !t.changed; t = t.parent) {
            t.changed = true;
        }
    }

    /** Called before a write of {@code key}: records a key that was not there before. */
    private void beforeWrite(LuaValue key, LuaValue value) {
        load();
        if (state != LOADED) {
            return;
        }
        markChanged();
        if (!array && !value.isnil() && super.rawget(key).isnil() && !members.containsKey(key)) {
            if (addedKeys == null) {
                addedKeys = new ArrayList<>(4);
            }
            addedKeys.add(key);
        }
    }

    // ---- every content entry point of LuaTable decodes first ----

    @Override
    public LuaValue get(int key) {
        load();
        return super.get(key);
    }

    @Override
    public LuaValue get(LuaValue key) {
        if (state == RAW || state == PARTIAL) {
            LuaValue found = lookAhead(key);
            if (found != null) {
                return found;
            }
        }
        load();
        return super.get(key);
    }

    @Override
    public LuaValue rawget(int key) {
        load();
        return super.rawget(key);
    }

    @Override
    public LuaValue rawget(LuaValue key) {
        if (state == RAW || state == PARTIAL) {
            LuaValue found = lookAhead(key);
            if (found != null) {
                return found;
            }
        }
        load();
        return super.rawget(key);
    }

    @Override
    public void set(int key, LuaValue value) {
        load(); // the write itself goes through rawset
        super.set(key, value);
    }

    @Override
    public void set(LuaValue key, LuaValue value) {
        load();
        super.set(key, value);
    }

    @Override
    public void rawset(int key, LuaValue value) {
        beforeWrite(LuaValue.valueOf(key), value);
        super.rawset(key, value);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        beforeWrite(key, value);
        super.rawset(key, value);
    }

    @Override
    public LuaValue remove(int pos) {
        load();
        markChanged();
        return super.remove(pos);
    }

    @Override
    public void insert(int pos, LuaValue value) {
        load();
        markChanged();
        super.insert(pos, value);
    }

    @Override
    public void sort(LuaValue comparator) {
        load();
        markChanged();
        super.sort(comparator);
    }

    @Override
    public void presize(int narray) {
        load();
        super.presize(narray);
    }

    @Override
    public LuaValue concat(LuaString sep, int i, int j) {
        load();
        return super.concat(sep, i, j);
    }

    @Override
    public int length() {
        load();
        return super.length();
    }

    @Override
    public LuaValue len() {
        load();
        return super.len();
    }

    @Override
    public int rawlen() {
        load();
        return super.rawlen();
    }

    @Override
    public Varargs next(LuaValue key) {
        load();
        return super.next(key);
    }

    @Override
    public Varargs inext(LuaValue key) {
        load();
        return super.inext(key);
    }

    @Override
    public int keyCount() {
        load();
        return super.keyCount();
    }

    @Override
    public LuaValue[] keys() {
        load();
        return super.keys();
    }

    @Override
    public Varargs unpack() {
        load();
        return super.unpack();
    }

    @Override
    public Varargs unpack(int i) {
        load();
        return super.unpack(i);
    }

    @Override
    public Varargs unpack(int i, int j) {
        load();
        return super.unpack(i, j);
    }
}
