package org.dragonflymle.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dragonflymle.testutils.EveSamples;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

class LuaJsonRoundTripTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final LuaJsonWriter writer = new LuaJsonWriter();
    private final JsonValidator validator = new JsonValidator(512);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String roundTrip(String json, java.util.function.Consumer<LuaValue> script)
            throws Exception {
        byte[] bytes = utf8(json);
        validator.validate(bytes, 0, bytes.length);
        LuaValue value = JsonDecoder.decode(bytes, 0, bytes.length);
        script.accept(value);
        return new String(writer.encode(value), StandardCharsets.UTF_8);
    }

    @Test
    void everyRealLineComesOutByteForByteWhenUntouched() throws Exception {
        List<String> lines = EveSamples.devLines();
        assertThat(lines).hasSize(4278);
        for (String line : lines) {
            assertThat(roundTrip(line, v -> {})).isEqualTo(line);
        }
    }

    /**
     * An untouched event leaves as its own bytes, not a copy; anything that changes it – a field
     * set deep down, a field removed – or bytes around the JSON text give a new array.
     */
    @Test
    void anUntouchedEventSharesItsBytesAndAChangedOneDoesNot() {
        for (String line : EveSamples.devLines().subList(0, 200)) {
            byte[] bytes = utf8(line);
            LuaValue read = JsonDecoder.decode(bytes, 0, bytes.length);
            read.get("event_type");
            read.next(LuaValue.NIL);
            assertThat(writer.encode(read)).isSameAs(bytes);

            LuaValue changed = JsonDecoder.decode(bytes, 0, bytes.length);
            LuaValue flow = changed.get("flow");
            if (flow.istable()) {
                flow.set("pkts_toserver", LuaValue.valueOf(-1));
            } else {
                changed.set("event_type", LuaValue.NIL);
            }
            byte[] out = writer.encode(changed);
            assertThat(out).isNotSameAs(bytes);
            assertThat(new String(out, StandardCharsets.UTF_8)).isNotEqualTo(line);
            assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(line);

            byte[] padded = utf8(" " + line + " ");
            LuaValue inner = JsonDecoder.decode(padded, 1, padded.length - 1);
            byte[] trimmed = writer.encode(inner);
            assertThat(trimmed).isNotSameAs(padded);
            assertThat(new String(trimmed, StandardCharsets.UTF_8)).isEqualTo(line);
        }
    }

    @Test
    void everyRealLineReadAndExtendedKeepsValuesAndKeyOrder() throws Exception {
        for (String line : EveSamples.devLines()) {
            String out =
                    roundTrip(
                            line,
                            v -> {
                                // read everything at the top level and one level down, then add a
                                // field
                                LuaValue k = LuaValue.NIL;
                                while (!(k = v.next(k).arg1()).isnil()) {
                                    LuaValue child = v.get(k);
                                    if (child.istable()) {
                                        child.next(LuaValue.NIL);
                                    }
                                }
                                LuaTable analytics = new LuaTable();
                                analytics.set("score", LuaValue.valueOf(0.5));
                                v.set("analytics", analytics);
                            });
            ObjectNode expected = (ObjectNode) MAPPER.readTree(line);
            expected.putObject("analytics").put("score", 0.5);
            JsonNode actual = MAPPER.readTree(out);
            assertThat(actual).isEqualTo(expected);
            // integers compared textually: flow_id and friends keep every digit
            assertThat(out).startsWith(line.substring(0, line.length() - 1));
        }
    }

    @Test
    void changedNestedValueIsReencodedAndTheRestKeptExact() throws Exception {
        String line =
                "{\"flow_id\":2090564295433925,\"big\":9223372036854775807,\"n\":null,"
                        + "\"e\":[],\"o\":{},\"x\":1.50,\"dns\":{\"rrname\":\"a.b\",\"ttl\":30}}";
        String out = roundTrip(line, v -> v.get("dns").set("ttl", LuaValue.valueOf(60)));
        assertThat(out).isEqualTo(line.replace("\"ttl\":30", "\"ttl\":60"));
    }

    @Test
    void removedAndAddedKeysKeepOriginalOrderThenInsertionOrder() throws Exception {
        String out =
                roundTrip(
                        "{\"a\":1,\"b\":2,\"c\":3}",
                        v -> {
                            v.set("b", LuaValue.NIL);
                            v.set("z", LuaValue.valueOf("last"));
                            v.set("y", LuaValue.valueOf(true));
                            v.set("a", LuaValue.valueOf(10));
                        });
        assertThat(out).isEqualTo("{\"a\":10,\"c\":3,\"z\":\"last\",\"y\":true}");
    }

    @Test
    void arraysEditedStayArrays() throws Exception {
        assertThat(roundTrip("[1,[2],{\"k\":null}]", v -> v.set(4, LuaValue.valueOf(4))))
                .isEqualTo("[1,[2],{\"k\":null},4]");
        assertThat(roundTrip("[1]", v -> v.set(1, LuaValue.NIL))).isEqualTo("[]");
    }

    @Test
    void sharedSubTablesThatWouldMakeExabytesOfJsonAreRefused() throws Exception {
        LuaTable t = LuaValue.listOf(new LuaValue[] {LuaValue.valueOf("x")});
        for (int i = 0; i < 60; i++) {
            t = LuaValue.listOf(new LuaValue[] {t, t});
        }
        LuaTable bomb = t;
        long start = System.nanoTime();
        assertThatThrownBy(() -> writer.encode(bomb))
                .isInstanceOf(JsonEncodeException.class)
                .hasMessage("Cannot serialise, the JSON would be longer than 64 MiB");
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
        // the writer is fine afterwards, and its buffer is small again
        assertThat(new String(writer.encode(LuaValue.valueOf(1)), StandardCharsets.UTF_8))
                .isEqualTo("1");
    }

    @Test
    void nullDecodesToCjsonNull() throws Exception {
        byte[] b = utf8("{\"a\":null}");
        assertThat(JsonDecoder.decode(b, 0, b.length).get("a")).isSameAs(JsonNull.NULL);
    }

    @Test
    void stringsWithEscapesDecodeToTheirBytes() throws Exception {
        byte[] b = utf8("{\"s\":\"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00/\"}");
        LuaValue s = JsonDecoder.decode(b, 0, b.length).get("s");
        // compared as bytes: LuaJ's own tojstring() decodes only up to 3-byte UTF-8
        assertThat(s.checkstring().m_length).isEqualTo(utf8("a\"b\\c\né😀/").length);
        assertThat(
                        new String(
                                s.checkstring().m_bytes,
                                s.checkstring().m_offset,
                                s.checkstring().m_length,
                                StandardCharsets.UTF_8))
                .isEqualTo("a\"b\\c\né😀/");
        LuaTable t = new LuaTable();
        t.set("s", s);
        assertThat(new String(writer.encode(t), StandardCharsets.UTF_8))
                .isEqualTo("{\"s\":\"a\\\"b\\\\c\\né😀/\"}");
    }

    @Test
    void numbersDecodeLikeLua() throws Exception {
        byte[] b = utf8("[1,-2,2090564295433925,1.5,1e3,-0]");
        LuaValue v = JsonDecoder.decode(b, 0, b.length);
        assertThat(v.get(1).isinttype()).isTrue();
        assertThat(v.get(2).toint()).isEqualTo(-2);
        assertThat(v.get(3).todouble()).isEqualTo(2090564295433925d);
        assertThat(v.get(4).todouble()).isEqualTo(1.5);
        assertThat(v.get(5).todouble()).isEqualTo(1000);
    }

    @Test
    void newTablesEncodeLikeCjson() {
        LuaTable t = new LuaTable();
        assertThat(new String(writer.encode(t))).isEqualTo("{}");
        t.set(1, LuaValue.valueOf("a"));
        t.set(2, LuaValue.valueOf(2.0));
        assertThat(new String(writer.encode(t))).isEqualTo("[\"a\",2]");
        LuaTable sparse = new LuaTable();
        sparse.set(20, LuaValue.TRUE);
        assertThatThrownBy(() -> writer.encode(sparse)).hasMessageContaining("sparse");
        LuaTable holes = new LuaTable();
        holes.set(3, LuaValue.TRUE);
        assertThat(new String(writer.encode(holes))).isEqualTo("[null,null,true]");
        assertThat(new String(writer.encode(LuaValue.valueOf(2090564295433925d))))
                .isEqualTo("2090564295433925");
        assertThat(new String(writer.encode(LuaValue.valueOf(0.1)))).isEqualTo("0.1");
        assertThatThrownBy(() -> writer.encode(LuaValue.valueOf(Double.NaN)))
                .isInstanceOf(JsonEncodeException.class);
    }

    @Test
    void cyclesAreRefusedNotStackOverflows() {
        LuaTable t = new LuaTable();
        t.set("self", t);
        assertThatThrownBy(() -> writer.encode(t)).hasMessageContaining("excessive nesting");
    }
}
